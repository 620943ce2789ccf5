"""Text search on the real Iriss transcripts: each operator against hand-checked expectations,
and the same hits from SQLite FTS5 and PostgreSQL full-text search."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from collabcoder.core.project import Project
from collabcoder.core.search_eval import Hit, SearchOptions
from collabcoder.io.batch import import_files
from tests.postgres import create_database

# Documents are named by their front matter's title.
PUBLIC_SECTOR = "Doing public service management differently"
CO_PRODUCTION = "Co-production Week 2018"


def _build(location: str, shared_data: Path) -> Project:
    project = Project.create(location, coder="Ann")
    result = import_files(project, sorted((shared_data / "transcripts").glob("*.md")))
    assert len(result.imported) == 2
    return project


@pytest.fixture
def transcripts(backend: str, shared_data: Path) -> Iterator[Project]:
    """Both real transcripts imported into a fresh project, on each backend."""
    project = _build(backend, shared_data)
    yield project
    project.close()


def _texts(project: Project) -> dict[str, str]:
    return {d.name: project.documents.text(d.id) for d in project.documents.list()}


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(start, line) of every line: the oracle's own reading of paragraphs."""
    out, start = [], 0
    for line in text.split("\n"):
        out.append((start, line))
        start += len(line) + 1
    return out


def test_lemmas_match_every_inflection(transcripts: Project) -> None:
    """'relationship' finds both forms (26 in the bodies, counted with grep outside the front
    matter); exact mode finds only the form typed (7 'relationships')."""
    hits = transcripts.search.run("relationship").hits
    oracle = sum(
        len(re.findall(r"(?i)\brelationships?\b", text)) for text in _texts(transcripts).values()
    )
    assert len(hits) == oracle == 26
    assert {h.text.lower() for h in hits} == {"relationship", "relationships"}
    exact = transcripts.search.run("relationships", SearchOptions(lemmas=False)).hits
    assert len(exact) == 7 and {h.text for h in exact} == {"relationships"}


def test_every_hit_slices_the_stored_text(transcripts: Project) -> None:
    """A hit's offsets cut exactly its text out of the stored document (curly apostrophes,
    long texts), and the context around it is the text beside it."""
    texts = _texts(transcripts)
    for query in ("co-production", "people", "it’s", "don't", "manage*"):
        for hit in transcripts.search.run(query).hits:
            body = texts[hit.document]
            assert body[hit.start : hit.end] == hit.text
            assert body[: hit.start].endswith(hit.before)
            assert body[hit.end :].startswith(hit.after)


def test_trust_is_found_as_trusted_in_dianas_turns(transcripts: Project) -> None:
    """Hand-checked: 'trust' occurs only as 'trusted', twice, both said by Diana, each before
    'relationship(s)'; NEAR/3 pairs each with that word."""
    hits = transcripts.search.run("trust").hits
    assert [(h.document, h.text, h.speaker) for h in hits] == [
        (PUBLIC_SECTOR, "trusted", "Diana"),
        (PUBLIC_SECTOR, "trusted", "Diana"),
    ]
    near = transcripts.search.run("trust NEAR/3 relationship").hits
    assert [h.text.lower() for h in near] == [
        "trusted",
        "relationships",
        "trusted",
        "relationship",
    ]
    assert transcripts.search.run("trust NEAR/1 relationship").hits == near
    assert transcripts.search.run("trust NEAR/3 council").hits == []


def test_wildcard_and_speaker_scope(transcripts: Project) -> None:
    """'fund*' finds 'funded' and 'funding', both Sam Jordan's; leaving out his turns leaves
    nothing, leaving out the host's keeps both."""
    hits = transcripts.search.run("fund*").hits
    assert [(h.text, h.speaker) for h in hits] == [
        ("funded", "Sam Jordan"),
        ("funding", "Sam Jordan"),
    ]
    without_sam = transcripts.search.scope(exclude_speakers=["sam jordan"])
    assert transcripts.search.run("fund*", scope=without_sam).hits == []
    without_host = transcripts.search.scope(exclude_speakers=["Michelle Drumm"])
    assert transcripts.search.run("fund*", scope=without_host).hits == hits
    only_sam = transcripts.search.scope(speakers=["Sam Jordan"])
    assert transcripts.search.run("fund*", scope=only_sam).hits == hits


def test_phrase(transcripts: Project) -> None:
    """A quoted phrase matches the words in a row, once here, asked by the host."""
    hits = transcripts.search.run('"year of young people"').hits
    assert [(h.document, h.text, h.speaker) for h in hits] == [
        (CO_PRODUCTION, "Year of Young People", "Michelle Drumm")
    ]


def _hit_paragraphs(hits: list[Hit]) -> set[tuple[str, int]]:
    return {(h.document, h.paragraph[0]) for h in hits}


def test_and_or_not_per_paragraph(transcripts: Project) -> None:
    """AND, OR and NOT decide per paragraph exactly as a regex reading of each line does
    (``\bpeople\b`` also matches "people's", which is the lemma's possessive)."""
    texts = _texts(transcripts)

    def lines(test: object) -> set[tuple[str, int]]:
        return {
            (name, start)
            for name, text in texts.items()
            for start, line in _paragraphs(text)
            if test(line)
        }  # type: ignore[operator]

    def people(line: str) -> bool:
        return re.search(r"(?i)\bpeople\b", line) is not None

    def council(line: str) -> bool:
        return re.search(r"(?i)\bcouncils?\b", line) is not None

    both = transcripts.search.run("people AND council").hits
    assert _hit_paragraphs(both) == lines(lambda s: people(s) and council(s))
    assert transcripts.search.run("people council").hits == both
    either = transcripts.search.run("people OR council").hits
    assert _hit_paragraphs(either) == lines(lambda s: people(s) or council(s))
    only = transcripts.search.run("people NOT council").hits
    assert _hit_paragraphs(only) == lines(lambda s: people(s) and not council(s))
    # The possessive is the same word: "young people's voices" is found too.
    assert {h.text.lower().replace("’", "'") for h in only} == {"people", "people's"}


def test_within_turn_spans_paragraphs(transcripts: Project) -> None:
    """Toby's and Diana's turns run over several paragraphs: within the same turn finds word
    pairs that within the same paragraph does not, and never fewer."""
    query = "targets AND relationship"
    paragraph = transcripts.search.run(query).hits
    turn = transcripts.search.run(query, SearchOptions(context="turn")).hits
    assert set(paragraph) <= set(turn)
    assert len(turn) > len(paragraph)
    document = transcripts.search.run(query, SearchOptions(context="document")).hits
    assert set(turn) <= set(document)


def test_regex_mode(transcripts: Project) -> None:
    """A regular expression finds the same spans as Python's own ``re`` on the stored text."""
    texts = _texts(transcripts)
    hits = transcripts.search.run(r"\bco-produc\w+", SearchOptions(regex=True)).hits
    expected = sorted(
        (name, m.start(), m.end())
        for name, text in texts.items()
        for m in re.finditer(r"(?i)\bco-produc\w+", text)
    )
    assert sorted((h.document, h.start, h.end) for h in hits) == expected


QUERIES = [
    "relationship",
    "relationships",
    "trust NEAR/3 relationship",
    "fund*",
    "co-produc*",
    '"year of young people"',
    "people AND council",
    "people NOT council",
    "it’s OR don't",
    "(targets OR relationship) AND (public NOT zebra)",
    "organi?ation*",
    "people NEAR/5 services",
    "community NEAR people",
    "*tion",  # a wildcard the index cannot narrow: every unit is read
    "people AND NOT (council OR services)",
    '"co-production" OR "public service"',
]
CODING_QUERIES = [
    "People AND Council",
    "People OR Council",
    "People NOT Council",
    "People OVERLAPS Council",
    "People WITHIN Council",
    "Council ENCLOSES People",
    "People FOLLOWED BY/15 Council",
    "People PRECEDED BY/15 Council",
    "People NEAR/8 Council",
    "People NEAR/1 TURNS Council",
    "People SAME SENTENCE Council",
    "People SAME PARAGRAPH Council",
    "People SAME TURN Council",
    "People SAME DOCUMENT Council",
]


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_the_same_hits(
    tmp_path: Path, shared_data: Path, postgres_cluster: str
) -> None:
    """The same query gives the same hits from FTS5 and from PostgreSQL, for every operator
    (words, phrases, wildcards, AND, OR, NOT, NEAR/n), in every context, exact and regex
    modes, and with a speaker scope."""
    lite = _build(str(tmp_path / "t.ccproj"), shared_data)
    server = _build(create_database(postgres_cluster), shared_data)

    def spans(project: Project, query: str, context: str) -> list[tuple[str, int, int, str]]:
        hits = project.search.run(query, SearchOptions(context=context)).hits
        return [(h.document, h.start, h.end, h.speaker) for h in hits]

    try:
        for query in QUERIES:
            anywhere = False
            for context in ("sentence", "paragraph", "turn", "document"):
                found = spans(lite, query, context)
                assert found == spans(server, query, context), (query, context)
                anywhere = anywhere or bool(found)
            assert anywhere, query  # each query finds something in some context
        for query, options in [
            ("people", SearchOptions(lemmas=False)),
            ("relationships", SearchOptions(lemmas=False, context="turn")),
            (r"\bco-produc\w+", SearchOptions(regex=True)),
        ]:
            assert lite.search.run(query, options).hits == server.search.run(query, options).hits
        lite_scope = lite.search.scope(exclude_speakers=["Michelle Drumm"])
        server_scope = server.search.scope(exclude_speakers=["Michelle Drumm"])
        scoped = lite.search.run("people OR council", scope=lite_scope).hits
        assert scoped and all(h.speaker != "Michelle Drumm" for h in scoped)
        assert scoped == server.search.run("people OR council", scope=server_scope).hits
    finally:
        lite.close()
        server.close()


def _code_hits(project: Project, query: str, code: str, unit: str) -> None:
    spans = project.search.preview_autocode(project.search.run(query).hits, unit)
    project.search.autocode_new(spans, code, f"search {query!r}")


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_the_same_coding_query_results(
    tmp_path: Path, shared_data: Path, postgres_cluster: str
) -> None:
    """Coded alike on both (sentences with 'people', paragraphs with 'council'), every coding
    operator gives the same passages from SQLite and PostgreSQL, and at least one passage for
    the operators that must find some here."""
    lite = _build(str(tmp_path / "t.ccproj"), shared_data)
    server = _build(create_database(postgres_cluster), shared_data)
    try:
        for project in (lite, server):
            _code_hits(project, "people", "People", "sentence")
            _code_hits(project, "council", "Council", "paragraph")
        for query in CODING_QUERIES:
            found = lite.search.coding_query(query)
            assert found == server.search.coding_query(query), query
            if "NOT" not in query and "ENCLOSES" not in query:
                assert found, query
    finally:
        lite.close()
        server.close()
