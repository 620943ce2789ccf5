"""Coded spans are trimmed to their words; a span of only whitespace is refused."""

from __future__ import annotations

import pytest

from collabcoder.core.documents import NewDocument
from collabcoder.core.errors import InvalidValue
from collabcoder.core.project import Project
from collabcoder.core.segments import NewSegment, trim_span

TEXT = "Intro line.\n\n\tWe share data.  \n\nEnd."


def test_trim_span_drops_spaces_tabs_and_newlines() -> None:
    """trim_span keeps the words and refuses a selection of only whitespace."""
    start = TEXT.index("\n")
    assert TEXT[slice(*trim_span(TEXT, start, TEXT.index("End")))] == "We share data."
    assert trim_span(TEXT, 0, 5) == (0, 5)
    with pytest.raises(InvalidValue, match="only spaces or line breaks"):
        trim_span(TEXT, 11, 14)


def test_coding_a_triple_clicked_paragraph_stores_only_its_words(project: Project) -> None:
    """A manual segment (a triple-click takes the tab and line breaks too) is stored trimmed,
    resizing trims the same way, and a blank line is refused without changing the project."""
    doc = project.documents.add(NewDocument("Notes", TEXT)).id
    code = project.codes.add("Trust").id
    begin = TEXT.index("\t")
    segment = project.segments.add(doc, code, begin - 1, TEXT.index("End"))
    assert TEXT[segment.start : segment.end] == "We share data."
    project.segments.resize(segment.id, 0, begin)
    assert TEXT[slice(*_span(project, segment.id))] == "Intro line."
    with pytest.raises(InvalidValue):
        project.segments.add(doc, code, 11, 13)
    with pytest.raises(InvalidValue):  # all or none: the good span is not stored either
        project.segments.add_many([NewSegment(doc, code, 0, 5), NewSegment(doc, code, 11, 13)])
    assert len(project.segments.list()) == 1


def test_imported_spans_are_kept_as_the_other_tool_stored_them(project: Project) -> None:
    """A segment imported from another tool keeps its exact positions, whitespace and all."""
    doc = project.documents.add(NewDocument("Notes", TEXT)).id
    code = project.codes.add("Trust").id
    (segment,) = project.segments.add_many([NewSegment(doc, code, 11, 13, origin="imported")])
    assert (segment.start, segment.end) == (11, 13)


def _span(project: Project, segment_id: int) -> tuple[int, int]:
    record = project.segments.get(segment_id)
    return record.start, record.end
