"""Search and code, coding queries and saved queries in core."""

from __future__ import annotations

import pytest

from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.errors import InvalidValue
from collabcoder.core.project import Project
from collabcoder.core.search_autocode import provenance_of
from collabcoder.core.search_query import QueryError
from collabcoder.core.search_saved import delete_query, get_query, save_query, saved_queries
from collabcoder.core.segments import SegmentFilter

TEXT = (
    "I: Do you trust the council?\n"
    "P: We trusted them. Funding was short, but trust grew.\n"
    "I: And don't forget co-production."
)
TURNS = [
    NewTurn("Interviewer", 0, 28),
    NewTurn("Pat", 29, 83),
    NewTurn("Interviewer", 84, len(TEXT)),
]


@pytest.fixture
def coded(project: Project) -> Project:
    """The small transcript, with codes Trust and Funding and nothing coded yet."""
    project.documents.add(NewDocument("one", TEXT, kind="transcript", turns=TURNS))
    project.codes.add("Trust")
    project.codes.add("Funding")
    return project


def _texts(spans: list) -> list[str]:  # type: ignore[type-arg]
    return [s.text for s in spans]


def test_preview_widens_hits_to_their_unit(coded: Project) -> None:
    """A hit is coded as itself, its sentence, its paragraph or its turn; spans that overlap
    are joined, so a paragraph with two hits is one passage."""
    hits = coded.search.run("trust").hits
    preview = coded.search.preview_autocode
    assert _texts(preview(hits, "hit")) == ["trust", "trusted", "trust"]
    assert _texts(preview(hits, "sentence")) == [
        "I: Do you trust the council?",
        "P: We trusted them.",
        "Funding was short, but trust grew.",
    ]
    assert _texts(preview(hits, "paragraph")) == [
        "I: Do you trust the council?",
        "P: We trusted them. Funding was short, but trust grew.",
    ]
    assert _texts(preview(hits, "turn")) == _texts(preview(hits, "paragraph"))
    with pytest.raises(InvalidValue, match="Code hits as one of"):
        preview(hits, "chapter")


def test_autocode_is_one_undo_step_with_provenance(coded: Project) -> None:
    """Coding every hit makes auto-code segments in one step that records the query on each;
    running it again codes nothing new; one undo removes them all."""
    result = coded.search.run("trust")
    spans = coded.search.preview_autocode(result.hits, "sentence")
    trust = coded.codes.by_path("Trust")
    made = coded.search.autocode(spans, trust.id, result.provenance())
    assert len(made.segments) == 3 and made.already_coded == 0
    assert {s.origin for s in made.segments} == {"autocode"}
    assert coded.undo_label == "Auto-code 3 passages as Trust"
    recorded = provenance_of(coded, [s.guid for s in made.segments])
    assert set(recorded.values()) == {"search 'trust' (lemmas, within the same paragraph)"}
    again = coded.search.autocode(spans, trust.id, result.provenance())
    assert again.segments == [] and again.already_coded == 3
    assert coded.undo_label == "Auto-code 3 passages as Trust"
    coded.undo()
    assert coded.segments.list() == []
    coded.redo()
    assert len(coded.segments.list(SegmentFilter(origins=["autocode"]))) == 3
    assert len(provenance_of(coded, [s.guid for s in made.segments])) == 3


def test_code_every_turn_of_a_speaker(coded: Project) -> None:
    """Every turn of a speaker (named in any case) becomes a passage; an unknown one is refused."""
    spans = coded.search.preview_speaker("interviewer")
    assert _texts(spans) == ["I: Do you trust the council?", "I: And don't forget co-production."]
    with pytest.raises(InvalidValue, match="No turn of a speaker"):
        coded.search.preview_speaker("Nobody")


def _code(project: Project, query: str, code: str, unit: str = "hit") -> None:
    result = project.search.run(query)
    spans = project.search.preview_autocode(result.hits, unit)
    project.search.autocode(spans, project.codes.by_path(code).id, result.provenance())


def _passages(project: Project, query: str) -> list[str]:
    return [p.text for p in project.search.coding_query(query)]


def test_coding_query_operators(coded: Project) -> None:
    """Each combination and relation on coding placed by hand: Trust on three sentences,
    Funding on the word 'Funding' (in the third sentence, 2 words after 'trusted')."""
    _code(coded, "trust", "Trust", "sentence")
    _code(coded, "funding", "Funding")
    first, second, third = (
        "I: Do you trust the council?",
        "P: We trusted them.",
        "Funding was short, but trust grew.",
    )
    assert _passages(coded, "Trust AND Funding") == ["Funding"]
    assert _passages(coded, "Trust OR Funding") == [first, second, third]
    assert _passages(coded, "Trust NOT Funding") == [first, second, "was short, but trust grew."]
    assert _passages(coded, "Trust OVERLAPS Funding") == [third]
    assert _passages(coded, "Trust ENCLOSES Funding") == [third]
    assert _passages(coded, "Funding WITHIN Trust") == ["Funding"]
    assert _passages(coded, "Trust WITHIN Funding") == []
    assert _passages(coded, "Trust FOLLOWED BY/1 Funding") == [second]
    assert _passages(coded, "Trust FOLLOWED BY Funding") == [first, second]
    assert _passages(coded, "Funding PRECEDED BY/1 Trust") == ["Funding"]
    assert _passages(coded, "Trust NEAR/1 Funding") == [second, third]
    assert _passages(coded, "Trust SAME TURN Funding") == [second, third]
    assert _passages(coded, "Trust SAME SENTENCE Funding") == [third]
    assert _passages(coded, "Trust SAME DOCUMENT Funding") == [first, second, third]
    assert _passages(coded, "Trust NEAR/1 TURNS Funding") == [first, second, third]
    assert _passages(coded, "Trust NEAR/0 TURNS Funding") == [second, third]
    assert _passages(coded, '("Trust" NOT Funding) SAME PARAGRAPH Funding') == [
        second,
        "was short, but trust grew.",
    ]
    scope = coded.search.scope(exclude_speakers=["Interviewer"])
    assert [p.text for p in coded.search.coding_query("Trust", scope)] == [second, third]


def test_coding_query_errors() -> None:
    """A coding query that cannot be read says where it went wrong."""
    from collabcoder.core.search_coding import parse_coding_query

    for query, message in [
        ("", "empty"),
        ("Trust AND", "ends where a code"),
        ("Trust SAME Funding", "SAME needs"),
        ("(Trust", "not closed"),
        ("Trust FOLLOWED Funding", "Expected BY"),
        ("AND Trust", "Expected a code"),
    ]:
        with pytest.raises(QueryError, match=message):
            parse_coding_query(query)


def test_saved_queries_are_named_replaced_and_undoable(coded: Project) -> None:
    """A query saved under a name is listed, replaced by a second save, and undone like any
    other change."""
    save_query(coded, "Trust talk", "text", {"query": "trust", "within": "turn"})
    save_query(coded, "Trust talk", "text", {"query": "trust NEAR/5 funding"})
    assert [q.name for q in saved_queries(coded)] == ["Trust talk"]
    assert get_query(coded, "trust talk", "text").definition == {"query": "trust NEAR/5 funding"}
    coded.undo()
    assert get_query(coded, "Trust talk", "text").definition["within"] == "turn"
    delete_query(coded, "Trust talk", "text")
    assert saved_queries(coded) == []
    with pytest.raises(InvalidValue, match="needs a name"):
        save_query(coded, " ", "text", {"query": "x"})
