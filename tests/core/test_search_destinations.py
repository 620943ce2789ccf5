"""Where results go, in core: a new code in one undo step, and the coding a result touches."""

from __future__ import annotations

import pytest

from collabcoder.core.documents import NewDocument
from collabcoder.core.errors import InvalidValue
from collabcoder.core.project import Project
from collabcoder.core.search_autocode import provenance_of
from collabcoder.core.search_saved import run_saved, save_query

TEXT = "We trust the council. Funding was short.\nTrust grew, funding too."


@pytest.fixture
def coded(project: Project) -> Project:
    """One document; Trust on 'We trust the council.', Funding on 'Funding was short.'"""
    document = project.documents.add(NewDocument("one", TEXT))
    trust, funding = project.codes.add("Trust"), project.codes.add("Funding")
    project.segments.add(document.id, trust.id, 0, 21)
    project.segments.add(document.id, funding.id, 22, 40)
    return project


def test_code_results_as_a_new_code_is_one_undo_step(coded: Project) -> None:
    """The new code and its segments are one step with the query as provenance; undo takes
    both away; an existing path or an unknown parent is refused."""
    hits = coded.search.run("funding").hits
    spans = coded.search.preview_autocode(hits, "sentence")
    result = coded.search.autocode_new(spans, "Funding/Money talk", "search 'funding'")
    assert coded.undo_label == "Auto-code 2 passages as new code Funding/Money talk"
    money = coded.codes.by_path("Funding/Money talk")
    assert {s.code_id for s in result.segments} == {money.id}
    assert set(provenance_of(coded, [s.guid for s in result.segments]).values()) == {
        "search 'funding'"
    }
    coded.undo()
    assert "Funding/Money talk" not in coded.codes.paths().values()
    assert len(coded.segments.list()) == 2
    with pytest.raises(InvalidValue, match="exists already"):
        coded.search.autocode_new(spans, "funding", "x")
    with pytest.raises(Exception, match="Nowhere"):
        coded.search.autocode_new(spans, "Nowhere/New", "x")


def test_segments_at_results(coded: Project) -> None:
    """The segments sharing text with results: any code for a text search, the query's codes
    when asked; a result outside all coding touches none."""
    hits = coded.search.run("council OR short").hits
    passages = [h for h in hits]
    ids = coded.search.segments_at(passages)  # type: ignore[arg-type]
    assert sorted(ids) == sorted(s.id for s in coded.segments.list())
    trust = coded.codes.by_path("Trust").id
    assert coded.search.segments_at(passages, [trust]) == [  # type: ignore[arg-type]
        s.id for s in coded.segments.list() if s.code_id == trust
    ]
    grew = coded.search.run("grew").hits
    assert coded.search.segments_at(grew) == []  # type: ignore[arg-type]


def test_saved_queries_run_as_saved(coded: Project) -> None:
    """A saved text search and coding query run with their options and scope: the matrix
    columns' source."""
    save_query(coded, "Trust words", "text", {"query": "trust", "coded_with": "Trust"})
    save_query(coded, "Trust code", "coding", {"query": "Trust NOT Funding"})
    record, passages = run_saved(coded, "trust words")
    assert record.kind == "text" and [p.text for p in passages] == ["trust"]
    record, passages = run_saved(coded, "Trust code")
    assert record.kind == "coding" and [p.text for p in passages] == ["We trust the council."]
