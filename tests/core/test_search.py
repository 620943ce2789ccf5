"""Text search in core: the index follows every write, hits are exact, queries are checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text, update

from collabcoder.core import search as search_module
from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.errors import InvalidValue
from collabcoder.core.project import Project
from collabcoder.core.search_eval import SearchOptions
from collabcoder.core.search_query import QueryError
from collabcoder.core.search_schema import FTS_TABLE, text_index_state, text_unit

TEXT = (
    "I: Do you trust the council?\n"
    "P: We trusted them. Funding was short, but trust grew.\n"
    "I: And don't forget co-production 🙂 with Zoë."
)
TURNS = [NewTurn("Interviewer", 0, 28), NewTurn("Pat", 29, 83), NewTurn("Interviewer", 84, 129)]


def _add(project: Project, name: str = "one", body: str = TEXT) -> int:
    turns = TURNS if body == TEXT else []
    return project.documents.add(NewDocument(name, body, kind="transcript", turns=turns)).id


def _found(project: Project, query: str, **options: object) -> list[tuple[int, str]]:
    hits = project.search.run(query, SearchOptions(**options)).hits  # type: ignore[arg-type]
    return [(h.start, h.text) for h in hits]


def _unit_rows(project: Project) -> int:
    with project.read() as conn:
        return int(conn.scalar(select(func.count()).select_from(text_unit)) or 0)


def test_index_follows_import_undo_redo_and_delete(project: Project) -> None:
    """Adding, undoing, redoing and deleting a document changes the index in the same step:
    the search never finds text that is gone, nor misses text that is there."""
    document_id = _add(project)
    assert _found(project, "trust") == [(10, "trust"), (35, "trusted"), (72, "trust")]
    units = _unit_rows(project)
    assert units == 3  # one per line here
    project.undo()
    assert _found(project, "trust") == [] and _unit_rows(project) == 0
    project.redo()
    assert len(_found(project, "trust")) == 3 and _unit_rows(project) == units
    project.documents.delete(document_id)
    assert _found(project, "trust") == [] and _unit_rows(project) == 0
    project.undo()
    assert len(_found(project, "trust")) == 3


def test_operators_on_a_small_transcript(project: Project) -> None:
    """Each operator on a text checked by hand (word numbers: 'trusted' is 2 words from
    'Funding', the second 'trust' 4 words after it)."""
    _add(project)
    assert _found(project, "trust", lemmas=False) == [(10, "trust"), (72, "trust")]
    assert _found(project, "trust AND funding") == [(35, "trusted"), (49, "Funding"), (72, "trust")]
    assert _found(project, "trust AND funding", context="sentence") == [
        (49, "Funding"),
        (72, "trust"),
    ]
    assert _found(project, "trust NOT funding") == [(10, "trust")]
    assert _found(project, "trust AND NOT funding") == [(10, "trust")]
    assert _found(project, "trust NEAR/2 funding") == [(35, "trusted"), (49, "Funding")]
    assert _found(project, "trust NEAR/1 funding") == []
    assert _found(project, "funding NEAR/4 trust") == [
        (35, "trusted"),
        (49, "Funding"),
        (72, "trust"),
    ]
    assert _found(project, "council OR forget") == [(20, "council"), (97, "forget")]
    assert _found(project, '"funding was short"') == [(49, "Funding was short")]
    assert _found(project, "co-prod*") == [(104, "co-production")]
    assert _found(project, "zoë") == [(125, "Zoë")]
    assert _found(project, "don’t") == [(91, "don't")]  # either apostrophe
    assert _found(project, "trust council", context="document") == [
        (10, "trust"),
        (20, "council"),
        (35, "trusted"),
        (72, "trust"),
    ]


def test_speaker_scope_and_turn_context(project: Project) -> None:
    """Speakers narrow the search to their turns; 'within the same turn' joins paragraphs."""
    _add(project)
    pat = project.search.scope(speakers=["pat"])
    assert [h.speaker for h in project.search.run("trust", scope=pat).hits] == ["Pat", "Pat"]
    no_interviewer = project.search.scope(exclude_speakers=["Interviewer"])
    assert len(project.search.run("trust", scope=no_interviewer).hits) == 2
    assert _found(project, "trust AND forget", context="turn") == []
    assert _found(project, "trust AND forget", context="document") == [
        (10, "trust"),
        (35, "trusted"),
        (72, "trust"),
        (97, "forget"),
    ]


def test_scope_by_documents_cases_and_coding(project: Project) -> None:
    """Documents, cases and coders' coding each narrow the search; unknown names are refused."""
    first = _add(project)
    _add(project, "two", "Trust is earned.\nFunding follows trust.")
    case = project.cases.add("Wirral Council")
    project.documents.assign_case([first], case.id)
    assert len(project.search.run("trust").hits) == 5
    in_case = project.search.scope(cases=["Wirral Council"])
    assert {h.document for h in project.search.run("trust", scope=in_case).hits} == {"one"}
    by_name = project.search.scope(documents=["two"])
    assert {h.document for h in project.search.run("trust", scope=by_name).hits} == {"two"}
    code = project.codes.add("Trust")
    project.segments.add(first, code.id, 29, 48)
    coded = project.search.scope(coders=["Ann"], codes=["Trust"])
    assert _hits(project.search.run("trust", scope=coded).hits) == [("one", "trusted")]
    with pytest.raises(Exception, match="No case called"):
        project.search.scope(cases=["Nowhere"])


def _hits(hits: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(h.document, h.text) for h in hits]


def test_query_errors_name_the_problem() -> None:
    """Bad queries are refused with a sentence that says what is wrong."""
    from collabcoder.core.search_query import parse_query

    for query, message in [
        ("", "empty"),
        ("trust AND", "ends where a word"),
        ("(trust", "not closed"),
        ('"trust', "quotation mark"),
        ("NOT trust", "NOT needs"),
        ("*", "wildcard"),
        ("trust OR", "ends where"),
        ("AND trust", "needs a word"),
        ("trust)", "Unexpected"),
    ]:
        with pytest.raises(QueryError, match=message):
            parse_query(query)


def test_regex_errors_and_runaway_patterns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An invalid pattern is refused; one that backtracks without end is stopped, not hung."""
    with Project.create(tmp_path / "p.ccproj", coder="Ann") as project:
        _add(project, "long", "a" * 5000 + "!")
        with pytest.raises(InvalidValue, match="not valid"):
            project.search.run("(unclosed", SearchOptions(regex=True))
        monkeypatch.setattr(search_module, "REGEX_SECONDS", 0.05)
        with pytest.raises(InvalidValue, match="took too long"):
            project.search.run(r"(a|aa)+$", SearchOptions(regex=True))


def test_an_unindexed_project_is_indexed_or_searched_from_text(tmp_path: Path) -> None:
    """A project whose index is missing (an upgraded or pulled copy) gives the same hits:
    read-only from the text itself, writable after indexing it (not an undo step)."""
    path = tmp_path / "p.ccproj"
    with Project.create(path, coder="Ann") as project:
        _add(project)
        expected = _found(project, "trust AND funding")
        with project._store.engine.begin() as conn:
            conn.execute(text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('delete-all')"))
            conn.execute(text_unit.delete())
            conn.execute(text_index_state.delete())
    with Project.open(path, coder="Ann", read_only=True) as reader:
        assert _found(reader, "trust AND funding") == expected
        assert _unit_rows(reader) == 0
    with Project.open(path, coder="Ann") as writer:
        assert _found(writer, "trust AND funding") == expected
        assert _unit_rows(writer) == 3 and writer.undo_label is None


def test_an_index_from_an_older_rule_is_rebuilt(project: Project) -> None:
    """When the index was written by another version of the rules it is rebuilt whole."""
    _add(project)
    _add(project, "two", "Trust is earned.")
    with project._store.engine.begin() as conn:
        conn.execute(update(text_index_state).values(version=0))
    assert len(_found(project, "trust")) == 4
    with project.read() as conn:
        versions = set(conn.execute(select(text_index_state.c.version)).scalars())
    assert versions == {1} and _unit_rows(project) == 4


_ALPHABET = st.sampled_from([*"ab trust Trusted\n\r.?!’'-🙂é\u0301ZÖ", "ß", "İ", "ﬁ"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bodies=st.lists(st.text(_ALPHABET, min_size=1, max_size=120), min_size=1, max_size=3))
def test_hits_always_slice_the_stored_text(
    tmp_path_factory: pytest.TempPathFactory, bodies: list[str]
) -> None:
    """Whatever the text (emoji, CR LF, combining accents, ligatures, case folding that changes
    length), every hit cuts its own text out of the stored document, and the index finds every
    word a plain scan of the stored text finds."""
    folder = tmp_path_factory.mktemp("prop")
    with Project.create(folder / "p.ccproj", coder="Ann") as project:
        ids = [_add(project, f"d{n}", body) for n, body in enumerate(bodies)]
        stored = project.documents.texts(ids)
        for query in ("trust", "trusted", "ab", "tr*", "ß", "zö"):
            for exact in (False, True):
                hits = project.search.run(query, SearchOptions(lemmas=not exact)).hits
                for hit in hits:
                    assert stored[hit.document_id][hit.start : hit.end] == hit.text
                if exact and "*" not in query:
                    scan = sorted(
                        (d, m.start())
                        for d, body in stored.items()
                        for m in re.finditer(r"\w+(?:['’-]\w+)*", body)
                        if m.group().lower().replace("’", "'") == query
                    )
                    assert sorted((h.document_id, h.start) for h in hits) == scan, query


def test_search_reads_words_by_the_project_rule() -> None:
    """Search splits words exactly as word counts and agreement do (core.text)."""
    from collabcoder.core import search_text, text

    assert search_text.WORD.pattern == text._WORD.pattern


def test_a_copied_project_is_indexed_on_its_first_search(tmp_path: Path) -> None:
    """Push/pull copies rows, not the derived index: the copy's first search indexes it and
    finds what the original finds."""
    from collabcoder.core.transfer import copy_project

    with Project.create(tmp_path / "a.ccproj", coder="Ann") as source:
        _add(source)
        expected = _found(source, "trust NEAR/2 funding")
        copy_project(source, tmp_path / "b.ccproj")
    with Project.open(tmp_path / "b.ccproj", coder="Ann") as copy:
        assert _unit_rows(copy) == 0
        assert _found(copy, "trust NEAR/2 funding") == expected
        assert _unit_rows(copy) == 3
