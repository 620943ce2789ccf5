"""Codebook editing in the real main window: every command is one named, undoable step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from collabcoder.core.codebook_diff import CodebookDiff
from collabcoder.core.codebook_merge import MergePlan
from collabcoder.core.project import Project
from collabcoder.core.records import CodeRecord
from collabcoder.gui.code_dialog import CodeDialog
from collabcoder.gui.codebook_merge_dialog import CodebookMergeDialog
from collabcoder.gui.main_window import MainWindow
from tests.gui.waiting import settle


class Answers:
    """Stands in for the dialogs: answers at once and remembers what it was asked."""

    def __init__(self) -> None:
        self.fields: dict[str, Any] | None = None
        self.code: str | None = None
        self.split_name = "Trust in people"
        self.split_offered: set[int] = set()
        self.delete_how: str | None = None
        self.delete_asked: tuple[int, str | None] | None = None
        self.merge_rows: list[tuple[str, str, str]] = []
        self.take_incoming = False

    def code_fields(
        self, parent: Any, code: CodeRecord | None, title: str
    ) -> dict[str, Any] | None:
        return self.fields

    def choose_code(self, parent: Any, title: str, label: str, paths: list[str]) -> str | None:
        assert self.code in paths
        return self.code

    def split(
        self, parent: Any, name: str, segments: list[tuple[int, str, str]], chosen: set[int]
    ) -> tuple[str, list[int]] | None:
        self.split_offered = chosen
        return self.split_name, sorted(chosen)

    def delete_segments(
        self, parent: Any, code: CodeRecord, segments: int, parent_name: str | None
    ) -> str | None:
        self.delete_asked = (segments, parent_name)
        return self.delete_how

    def confirm_merge(
        self, parent: Any, source: str, diff: CodebookDiff, plan: MergePlan
    ) -> MergePlan | None:
        dialog = CodebookMergeDialog(parent, source, diff, plan)
        self.merge_rows = dialog.rows()
        dialog.take_incoming.setChecked(self.take_incoming)
        return dialog.plan()


def _answers(window: MainWindow) -> Answers:
    answers = Answers()
    window.codebook_editor.questions = answers
    return answers


def _id(project: Project, path: str) -> int:
    return project.codes.by_path(path).id


def _undo_text(window: MainWindow) -> str:
    return window.commands["undo"].text().replace("&", "")


def test_new_code_and_edit_are_named_undoable_steps(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """New code stores every field from the dialog; Edit renames; each undoes by name."""
    answers = _answers(window)
    answers.fields = {
        "name": "Leadership",
        "colour": "#123456",
        "definition": "Who leads the partnership.",
        "keywords": ["lead", "leader"],
    }
    window.codebook_editor.actions["new_code"].trigger()
    settle(qtbot, window)
    code = project.codes.by_path("Leadership")
    assert (code.colour, code.definition, code.keywords) == (
        "#123456",
        "Who leads the partnership.",
        ("lead", "leader"),
    )
    assert window.codebook_dock.current_code() == code.id
    assert _undo_text(window) == "Undo Add code Leadership"
    answers.fields = {"name": "Leaders"}
    window.codebook_editor.actions["edit_code"].trigger()
    settle(qtbot, window)
    assert project.codes.get(code.id).name == "Leaders"
    assert _undo_text(window) == "Undo Rename code to Leaders"
    window.undo()
    settle(qtbot, window)
    assert project.codes.get(code.id).name == "Leadership"
    window.undo()
    settle(qtbot, window)
    assert "Leadership" not in project.codes.paths().values()


def test_new_child_code_goes_under_the_current_code(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """New child code creates the code beneath the code selected in the tree."""
    _answers(window).fields = {"name": "Contracts"}
    window.codebook_dock.select_code(_id(project, "Barriers"))
    window.codebook_editor.actions["new_child"].trigger()
    settle(qtbot, window)
    assert project.codes.by_path("Barriers/Contracts").parent_id == _id(project, "Barriers")


def test_code_dialog_returns_only_changed_fields(qtbot: QtBot, project: Project) -> None:
    """The edit dialog hands back just what the researcher changed, keywords as a list."""
    code = project.codes.by_path("Drivers/Trust")
    dialog = CodeDialog(None, code)
    qtbot.addWidget(dialog)
    assert dialog.values() == {}
    dialog.texts["definition"].setPlainText("  Confidence in partners.  ")
    dialog.texts["keywords"].setPlainText("trust\n\n relied on \n")
    dialog.set_colour("#aa0000")
    assert dialog.values() == {
        "definition": "Confidence in partners.",
        "keywords": ["trust", "relied on"],
        "colour": "#aa0000",
    }
    dialog.name.clear()
    assert not dialog.ok_button.isEnabled()


def test_dropping_codes_moves_and_reorders_them(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """A code dropped on another goes under it; dropped between codes it takes that place."""
    model = window.codebook_dock.model
    barriers, drivers = _id(project, "Barriers"), _id(project, "Drivers")
    mime = model.mimeData([model.index_of(barriers)])
    on_drivers = model.index_of(drivers)
    move = Qt.DropAction.MoveAction
    assert model.canDropMimeData(mime, move, -1, -1, on_drivers)
    model.dropMimeData(mime, move, -1, -1, on_drivers)
    settle(qtbot, window)
    assert project.codes.path(barriers) == "Drivers/Barriers"
    assert _undo_text(window) == "Undo Move code Barriers"
    # A code cannot go inside itself.
    inside = model.mimeData([model.index_of(drivers)])
    assert not model.canDropMimeData(inside, move, -1, -1, model.index_of(barriers))
    # Between Drivers' first and second child: Funding moves to the front.
    funding = _id(project, "Drivers/Funding")
    model.dropMimeData(model.mimeData([model.index_of(funding)]), move, 0, 0, on_drivers)
    settle(qtbot, window)
    children = [c.name for c in project.codes.list() if c.parent_id == drivers]
    assert children == ["Funding", "Trust", "Barriers"]
    window.undo()
    settle(qtbot, window)
    window.undo()
    settle(qtbot, window)
    assert [c.name for c in project.codes.list()] == ["Drivers", "Trust", "Funding", "Barriers"]


def test_merge_moves_segments_and_undo_restores_them(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Merge into… moves the code's segments to the chosen target; undo puts them back."""
    funding, trust = _id(project, "Drivers/Funding"), _id(project, "Drivers/Trust")
    segment = project.segments.add(1, funding, 0, 10)
    _answers(window).code = "Drivers/Trust"
    window.codebook_dock.select_code(funding)
    window.codebook_editor.actions["merge_code"].trigger()
    settle(qtbot, window)
    assert project.segments.get(segment.id).code_id == trust
    assert "Drivers/Funding" not in project.codes.paths().values()
    assert _undo_text(window) == "Undo Merge Funding into Trust"
    window.undo()
    settle(qtbot, window)
    assert project.segments.get(segment.id).code_id == _id(project, "Drivers/Funding")


def test_split_takes_the_segments_selected_in_the_table(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Split… offers the segments picked in the Segments table; the new code takes only those."""
    trust = _id(project, "Drivers/Trust")
    first = project.segments.add(1, trust, 0, 10)
    second = project.segments.add(1, trust, 20, 30)
    window.codebook_dock.select_code(trust)
    table = window.segments_dock.table
    row = next(
        n for n, r in enumerate(window.segments_dock.model.rows) if r.segment.id == second.id
    )
    table.selectRow(row)
    answers = _answers(window)
    window.codebook_editor.actions["split_code"].trigger()
    settle(qtbot, window)
    assert answers.split_offered == {second.id}
    new = project.codes.by_path("Drivers/Trust in people")
    assert project.segments.get(second.id).code_id == new.id
    assert project.segments.get(first.id).code_id == trust
    assert _undo_text(window) == "Undo Split Trust"


def test_delete_asks_what_happens_to_segments(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Delete… moves the segments to the parent or deletes them, as answered; undo restores."""
    funding = _id(project, "Drivers/Funding")
    segment = project.segments.add(1, funding, 0, 10)
    answers = _answers(window)
    answers.delete_how = "parent"
    window.codebook_dock.select_code(funding)
    window.codebook_editor.actions["delete_code"].trigger()
    settle(qtbot, window)
    assert answers.delete_asked == (1, "Drivers")
    assert project.segments.get(segment.id).code_id == _id(project, "Drivers")
    window.undo()
    settle(qtbot, window)
    answers.delete_how = "delete"
    window.codebook_dock.select_code(_id(project, "Drivers/Funding"))
    window.codebook_editor.actions["delete_code"].trigger()
    settle(qtbot, window)
    assert project.segments.list() == []
    assert _undo_text(window) == "Undo Delete code Funding"
    window.undo()
    settle(qtbot, window)
    assert [s.id for s in project.segments.list()] == [segment.id]


def test_import_preview_lists_a_rename_and_applies_it(
    qtbot: QtBot, window: MainWindow, project: Project, tmp_path: Path
) -> None:
    """Importing a codebook where a code was renamed shows the rename before merging it."""
    from collabcoder.io.refi.qdc import read_qdc, write_qdc

    exported = window.codebook_editor.export_codebook(tmp_path / "ours.qdc")
    assert exported is not None
    theirs = read_qdc(exported)
    theirs[1].name = "Obstacles"  # Barriers, renamed by another team
    write_qdc(theirs, tmp_path / "theirs.qdc")
    answers = _answers(window)
    answers.take_incoming = True
    window.codebook_editor.import_codebook(tmp_path / "theirs.qdc")
    settle(qtbot, window)
    assert ("Renamed", "Barriers", "name: Barriers → Obstacles") in answers.merge_rows
    assert project.codes.by_path("Obstacles").id == _id(project, "Obstacles")
    assert _undo_text(window) == "Undo Import codebook theirs.qdc"
    window.undo()
    settle(qtbot, window)
    assert "Barriers" in project.codes.paths().values()


def test_export_readable_codebook(window: MainWindow, tmp_path: Path) -> None:
    """Export writes the codebook as .docx and .xlsx documents too."""
    for name in ("codebook.docx", "codebook.xlsx"):
        target = window.codebook_editor.export_codebook(tmp_path / name)
        assert target is not None and target.stat().st_size > 0


def test_filter_counts_and_definition_on_hover(window: MainWindow, project: Project) -> None:
    """The filter hides non-matching codes (keeping parents); counts and tooltips are shown."""
    dock = window.codebook_dock
    trust = _id(project, "Drivers/Trust")
    project.codes.update(trust, definition="Confidence in partners.")
    project.segments.add(1, trust, 0, 10)
    project.segments.add(1, trust, 20, 30)
    model = dock.model
    assert model.index_of(trust, 1).data() == "2"
    assert model.index_of(trust, 2).data() == "1"
    assert "Confidence in partners." in model.index_of(trust).data(Qt.ItemDataRole.ToolTipRole)
    dock.filter.setText("fund")

    def hidden(path: str) -> bool:
        index = model.index_of(_id(project, path))
        return dock.tree.isRowHidden(index.row(), index.parent())

    assert [hidden(p) for p in ("Drivers", "Drivers/Trust", "Drivers/Funding", "Barriers")] == [
        False,
        True,
        False,
        True,
    ]
    dock.filter.clear()
    assert not hidden("Barriers")
