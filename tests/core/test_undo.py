"""Undo and redo: every kind of command round-trips exactly, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.errors import NothingToUndo
from collabcoder.core.project import Project
from collabcoder.core.segments import NewSegment
from collabcoder.core.suggestions import NewSuggestion
from tests.core.snapshots import snapshot

TEXT = "Ann: We trusted each other 😀 from the start.\nBob: Funding was the barrier."
SPLIT = TEXT.index("\n")


def _populate(p: Project) -> dict[str, int]:
    """A small project with two codes under a parent, a case, a document, segments and a memo."""
    codes = p.codes.import_specs(
        [
            CodeSpec("Enablers", children=[CodeSpec("Trust"), CodeSpec("Leadership")]),
            CodeSpec("Barriers"),
        ]
    )
    ids = {c.name: c.id for c in codes}
    case = p.cases.add("Wirral Council")
    attr = p.attributes.add("Call type", "choice", ["Learning call", "Deep dive"])
    doc = p.documents.add(
        NewDocument(
            "interview",
            TEXT,
            "transcript",
            [NewTurn("Ann", 0, SPLIT), NewTurn("Bob", SPLIT + 1, len(TEXT))],
        )
    )
    p.segments.add_many(
        [
            NewSegment(doc.id, ids["Trust"], 5, 26),
            NewSegment(doc.id, ids["Leadership"], 5, 12),
            NewSegment(doc.id, ids["Barriers"], 52, 59),
        ]
    )
    p.memos.add("code", ids["Trust"], "Trust shows up early.")
    return {**ids, "case": case.id, "attr": attr.id, "doc": doc.id}


COMMANDS: dict[str, Callable[[Project, dict[str, int]], object]] = {
    "add code": lambda p, i: p.codes.add("Culture", i["Enablers"]),
    "rename code": lambda p, i: p.codes.update(i["Trust"], name="Trusting relationships"),
    "recolour and redefine code": lambda p, i: p.codes.update(
        i["Trust"], colour="#123456", definition="Trust between partners", keywords=["trust"]
    ),
    "move code": lambda p, i: p.codes.move(i["Leadership"], None, 0),
    "merge codes": lambda p, i: p.codes.merge(i["Leadership"], i["Trust"]),
    "split code": lambda p, i: p.codes.split(
        i["Trust"], "Trust (early)", [s.id for s in p.segments.list() if s.code_id == i["Trust"]]
    ),
    "delete code with segments": lambda p, i: p.codes.delete(i["Enablers"]),
    "delete code keeping segments": lambda p, i: p.codes.delete(i["Trust"], segments="parent"),
    "add case": lambda p, i: p.cases.add("Golden Key"),
    "rename case": lambda p, i: p.cases.rename(i["case"], "Wirral"),
    "delete case": lambda p, i: p.cases.delete(i["case"]),
    "set attribute": lambda p, i: p.attributes.set_value(i["case"], i["attr"], "deep dive"),
    "add attribute": lambda p, i: p.attributes.add("Funding", "text"),
    "assign document": lambda p, i: p.documents.assign_case([i["doc"]], i["case"]),
    "rename document": lambda p, i: p.documents.rename(i["doc"], "Interview 1"),
    "delete document": lambda p, i: p.documents.delete(i["doc"]),
    "add document": lambda p, i: p.documents.add(
        NewDocument("notes", "Field notes.", "fieldnotes")
    ),
    "code segment": lambda p, i: p.segments.add(i["doc"], i["Barriers"], 0, 3),
    "uncode": lambda p, i: p.segments.delete([s.id for s in p.segments.list()][:2]),
    "recode": lambda p, i: p.segments.recode([p.segments.list()[0].id], i["Barriers"]),
    "resize segment": lambda p, i: p.segments.resize(p.segments.list()[0].id, 4, 20),
    "write memo": lambda p, i: p.memos.add("project", None, "Overall impression"),
    "edit memo": lambda p, i: p.memos.update(p.memos.list()[0].id, "Rewritten"),
    "delete memo": lambda p, i: p.memos.delete(p.memos.list()[0].id),
    "write summary": lambda p, i: p.summaries.set(i["case"], i["Trust"], "Strong trust", "h1"),
    "suggest": lambda p, i: p.suggestions.replace_open(
        [NewSuggestion(i["doc"], i["Trust"], 0, 10, 0.9, "lexical", "trust")], [i["doc"]]
    ),
    "store model": lambda p, i: p.models.save("learned", "v1", {"documents": 1}, b"\x00model"),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_undo_redo_round_trip(project: Project, name: str) -> None:
    """Each command kind: undo restores every row exactly; redo restores the result exactly."""
    ids = _populate(project)
    before = snapshot(project)
    COMMANDS[name](project, ids)
    after = snapshot(project)
    assert after != before, "the command changed nothing, so this test would prove nothing"
    project.undo()
    assert snapshot(project) == before
    project.redo()
    assert snapshot(project) == after
    project.undo()
    assert snapshot(project) == before


def test_merge_undo_puts_every_segment_back(project: Project) -> None:
    """After undoing a merge, every segment has its original code, span and coder again."""
    ids = _populate(project)
    original = {(s.id, s.code_id, s.start, s.end, s.coder_id) for s in project.segments.list()}
    project.codes.merge(ids["Trust"], ids["Barriers"])
    assert {s.code_id for s in project.segments.list()} == {ids["Leadership"], ids["Barriers"]}
    project.undo()
    assert {
        (s.id, s.code_id, s.start, s.end, s.coder_id) for s in project.segments.list()
    } == original
    assert project.codes.get(ids["Trust"]).name == "Trust"


def test_undo_labels_and_many_steps(project: Project) -> None:
    """Undo/redo walk back and forth over many steps, and report each step's name."""
    ids = _populate(project)
    start = snapshot(project)
    for n in range(5):
        project.codes.add(f"Code {n}", ids["Barriers"])
    assert project.undo_label == "Add code Code 4"
    for _ in range(5):
        project.undo()
    assert snapshot(project) == start
    assert project.redo_label == "Add code Code 0"
    for _ in range(5):
        project.redo()
    assert [c.name for c in project.codes.list()][-5:] == [f"Code {n}" for n in range(5)]
    project.undo()
    project.codes.add("Other", None)  # a new step clears what could be redone
    with pytest.raises(NothingToUndo):
        project.redo()


def test_undo_group_is_one_step(project: Project) -> None:
    """Steps inside undo_group are undone together and logged under the group's name."""
    ids = _populate(project)
    before = snapshot(project)
    with project.undo_group("Tidy codebook"):
        project.codes.update(ids["Trust"], name="Trust and relationships")
        project.codes.merge(ids["Leadership"], ids["Trust"])
    assert project.undo_label == "Tidy codebook"
    project.undo()
    assert snapshot(project) == before


def test_failed_group_leaves_database_unchanged(project: Project) -> None:
    """An exception inside a group rolls back every step of it and pushes nothing to undo."""
    ids = _populate(project)
    before = snapshot(project)
    label = project.undo_label
    with pytest.raises(RuntimeError), project.undo_group("Doomed"):
        project.codes.update(ids["Trust"], name="Changed")
        raise RuntimeError("disk full, say")
    assert snapshot(project) == before
    assert project.undo_label == label


def test_nothing_to_undo_on_fresh_project(project: Project) -> None:
    """A new project has no undo history, and says so clearly."""
    with pytest.raises(NothingToUndo, match="nothing to undo"):
        project.undo()
