"""Stored suggestions never repeat what the team already decided about a span."""

from __future__ import annotations

from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.core.suggestions import NewSuggestion

TEXT = "The staff were kind. Parking was awful. The food was cold."


def test_spans_already_coded_with_the_code_are_not_suggested(project: Project) -> None:
    """A suggestion inside a segment of its own code (manual or accepted) is dropped; the same
    span for another code, and a span only partly coded, are still stored."""
    doc = project.documents.add(NewDocument("c", TEXT)).id
    staff, parking = project.codes.add("Staff"), project.codes.add("Parking")
    project.segments.add(doc, staff.id, 0, 39)  # manual, covers the first two sentences
    items = [
        NewSuggestion(doc, staff.id, 0, 20, 0.9, "learned"),  # inside the Staff segment
        NewSuggestion(doc, parking.id, 21, 39, 0.8, "learned"),  # coded, but not as Parking
        NewSuggestion(doc, staff.id, 21, 58, 0.7, "learned"),  # only partly coded as Staff
    ]
    assert project.suggestions.replace_open(items, [doc]) == 2
    kept = {(s.code_id, s.start, s.end) for s in project.suggestions.list(doc)}
    assert kept == {(parking.id, 21, 39), (staff.id, 21, 58)}


def test_accepted_suggestion_is_not_suggested_again(project: Project) -> None:
    """After accepting a suggestion, a new run with the same suggestion stores nothing for it."""
    doc = project.documents.add(NewDocument("c", TEXT)).id
    food = project.codes.add("Food")
    item = NewSuggestion(doc, food.id, 40, 58, 0.6, "lexical", "matched: food")
    project.suggestions.replace_open([item], [doc])
    (open_one,) = project.suggestions.list(doc)
    project.suggestions.accept(open_one.id)
    assert project.suggestions.replace_open([item], [doc]) == 0
    assert project.suggestions.list(doc) == []


def test_reliability_counts_accepted_of_decided_per_code_and_method(project: Project) -> None:
    """Per code and method, how many decided suggestions were accepted; open ones do not count."""
    doc = project.documents.add(NewDocument("c", TEXT)).id
    staff, food = project.codes.add("Staff"), project.codes.add("Food")
    items = [
        NewSuggestion(doc, staff.id, 0, 20, 0.9, "learned"),
        NewSuggestion(doc, staff.id, 21, 39, 0.8, "learned"),
        NewSuggestion(doc, staff.id, 40, 58, 0.7, "learned"),
        NewSuggestion(doc, food.id, 40, 58, 0.6, "lexical"),
        NewSuggestion(doc, food.id, 0, 20, 0.5, "lexical"),
    ]
    project.suggestions.replace_open(items, [doc])
    by_span = {(s.code_id, s.start): s.id for s in project.suggestions.list(doc)}
    project.suggestions.accept(by_span[(staff.id, 0)])
    project.suggestions.reject(by_span[(staff.id, 21)])
    project.suggestions.accept(by_span[(food.id, 40)])
    assert project.suggestions.reliability() == {
        (staff.id, "learned"): (1, 2),
        (food.id, "lexical"): (1, 1),
    }
