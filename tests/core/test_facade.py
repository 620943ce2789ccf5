"""The Project facade: validation, atomic failures, optimistic locking, change notices."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from collabcoder.core.changes import Changes
from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.errors import Conflict, InvalidValue, NotFound
from collabcoder.core.model import Code, Segment
from collabcoder.core.project import Project
from collabcoder.core.segments import NewSegment, SegmentFilter
from collabcoder.core.suggestions import NewSuggestion
from tests.core.snapshots import snapshot

TEXT = "Interviewer: How did it start?\nParticipant: With trust 😀 and a shared vision."


def _doc(project: Project) -> int:
    split = TEXT.index("\n")
    turns = [NewTurn("Interviewer", 0, split), NewTurn("Participant", split + 1, len(TEXT))]
    return project.documents.add(NewDocument("i1", TEXT, "transcript", turns)).id


def test_text_is_stored_canonical(project: Project) -> None:
    """Documents are stored NFC with \\n line ends and no BOM, whatever came in."""
    doc = project.documents.add(NewDocument("d", "\ufeffCafe\u0301\r\nline two\rthree"))
    assert project.documents.text(doc.id) == "Caf\u00e9\nline two\nthree"
    assert doc.word_count == 4


def test_segment_outside_text_fails_and_changes_nothing(project: Project) -> None:
    """A batch with one bad segment is refused whole: no segment of it is stored."""
    doc_id = _doc(project)
    code = project.codes.add("Trust")
    before = snapshot(project)
    good = NewSegment(doc_id, code.id, 0, 5)
    with pytest.raises(InvalidValue, match="does not lie inside"):
        project.segments.add_many([good, NewSegment(doc_id, code.id, 10, len(TEXT) + 1)])
    with pytest.raises(InvalidValue):
        project.segments.add(doc_id, code.id, 7, 7)
    assert snapshot(project) == before


def test_database_error_mid_command_rolls_back(project: Project) -> None:
    """A constraint failure half-way through a command leaves the database as it was."""
    code = project.codes.add("Trust")
    before = snapshot(project)
    orphan = {"document_id": 999, "code_id": code.id, "coder_id": 1, "start": 0, "end": 1}
    with pytest.raises(IntegrityError), project.write("Broken step") as journal:
        journal.update_row(Code, code.id, {"name": "Renamed"})
        journal.insert(Segment, [orphan])
    assert snapshot(project) == before
    assert project.undo_label == "Add code Trust"


def test_code_edit_conflict_is_reported_not_overwritten(backend: str) -> None:
    """Two coders edit one code from the same version: the second is refused and told who."""
    ann = Project.create(backend, coder="Ann")
    bob = Project.open(backend, coder="Bob")
    code = ann.codes.add("Trust")
    seen_version = bob.codes.get(code.id).version
    ann.codes.update(code.id, expected_version=seen_version, definition="Ann's definition")
    with pytest.raises(Conflict, match="changed by Ann"):
        bob.codes.update(code.id, expected_version=seen_version, definition="Bob's definition")
    assert ann.codes.get(code.id).definition == "Ann's definition"
    ann.close()
    bob.close()


def test_summary_conflict_names_the_other_writer(project: Project) -> None:
    """A summary saved from a stale version is refused; the existing text stays."""
    case = project.cases.add("Wigan Council")
    code = project.codes.add("Trust")
    project.summaries.set(case.id, code.id, "First take", "h", expected_version=0)
    with pytest.raises(Conflict, match="changed by Ann"):
        project.summaries.set(case.id, code.id, "Late take", "h", expected_version=0)
    summary = project.summaries.get(case.id, code.id)
    assert summary is not None and summary.text == "First take" and summary.version == 1


def test_typed_attributes_are_checked(project: Project) -> None:
    """Attribute values must fit the attribute's kind and are stored in canonical form."""
    case = project.cases.add("Golden Key")
    number = project.attributes.add("Staff", "number")
    when = project.attributes.add("Started", "date")
    flag = project.attributes.add("Grant funded", "boolean")
    kind = project.attributes.add("Call type", "choice", ["Learning call", "Deep dive"])
    project.attributes.set_value(case.id, number.id, "1,200")
    project.attributes.set_value(case.id, when.id, "2019-02-04")
    project.attributes.set_value(case.id, flag.id, "Yes")
    project.attributes.set_value(case.id, kind.id, "learning CALL")
    values = project.attributes.values()
    assert [values[(case.id, a.id)] for a in (number, when, flag, kind)] == [
        "1200", "2019-02-04", "true", "Learning call",
    ]  # fmt: skip
    for attribute, bad in ((number, "many"), (when, "4 Feb"), (flag, "maybe"), (kind, "Survey")):
        with pytest.raises(InvalidValue):
            project.attributes.set_value(case.id, attribute.id, bad)
    project.attributes.set_value(case.id, flag.id, "")
    assert (case.id, flag.id) not in project.attributes.values()


def test_rejected_suggestion_is_never_suggested_again(project: Project) -> None:
    """Rejecting remembers the span: a new run of suggestions skips it; accepting codes it, so
    it is not suggested again either."""
    doc_id = _doc(project)
    trust = project.codes.add("Trust")
    vision = project.codes.add("Vision")
    items = [
        NewSuggestion(doc_id, trust.id, 49, 54, 0.8, "lexical", "trust"),
        NewSuggestion(doc_id, vision.id, 63, 76, 0.6, "lexical", "vision"),
    ]
    project.suggestions.replace_open(items, [doc_id])
    first, second = project.suggestions.list(doc_id)
    project.suggestions.reject(first.id)
    segment = project.suggestions.accept(second.id)
    assert segment.origin == "suggestion" and (segment.start, segment.end) == (63, 76)
    assert project.suggestions.replace_open(items, [doc_id]) == 0
    assert project.suggestions.list(doc_id) == []


def test_changes_are_broadcast_with_what_changed(project: Project) -> None:
    """Each step tells subscribers which kinds of things changed, and why."""
    seen: list[Changes] = []
    unsubscribe = project.subscribe(seen.append)
    doc_id = _doc(project)
    code = project.codes.add("Trust")
    project.segments.add(doc_id, code.id, 0, 11)
    project.undo()
    unsubscribe()
    project.codes.add("Ignored")
    assert [c.source for c in seen] == ["do", "do", "do", "undo"]
    assert seen[0].touched("documents") and not seen[0].touched("codes")
    assert seen[2].touched("segments") and seen[2].ids_of("segments")
    assert seen[3].label == "Code selection" and seen[3].touched("segments")


def test_code_paths_and_lookup(project: Project) -> None:
    """Codes are found by full path or a unique name; ambiguity is an error, not a guess."""
    parent = project.codes.add("Enablers")
    project.codes.add("Trust", parent.id)
    other = project.codes.add("Barriers")
    project.codes.add("Trust", other.id)
    assert project.codes.by_path("Enablers/Trust").parent_id == parent.id
    with pytest.raises(NotFound, match="More than one"):
        project.codes.by_path("Trust")
    with pytest.raises(InvalidValue):
        project.codes.move(parent.id, project.codes.by_path("Enablers/Trust").id)


def test_memo_search_and_filters(project: Project) -> None:
    """Memos are found by words in their title or text, and listed per target."""
    doc_id = _doc(project)
    project.memos.add("document", doc_id, "Participant hesitates about funding", "Hesitation")
    project.memos.add("project", None, "Overall: trust is central")
    assert [m.title for m in project.memos.search("FUNDING")] == ["Hesitation"]
    assert len(project.memos.list("document", doc_id)) == 1
    assert len(project.memos.list("project")) == 1
    with pytest.raises(InvalidValue):
        project.memos.add("document", None, "no target")


def test_segment_filters(project: Project) -> None:
    """Segments can be listed by code, document, coder and origin."""
    doc_id = _doc(project)
    code = project.codes.add("Trust")
    project.segments.add(doc_id, code.id, 0, 11)
    project.segments.add(doc_id, code.id, 31, 42, origin="imported")
    assert len(project.segments.list(SegmentFilter(origins=["imported"]))) == 1
    assert len(project.segments.list(SegmentFilter(code_ids=[code.id], coder_ids=[99]))) == 0
    assert project.segments.quotes(project.segments.list()) == ["Interviewer", "Participant"]
