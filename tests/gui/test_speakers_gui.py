"""Speakers in the real main window: Project > Speakers…, and "Exclude interviewer turns" in
the Search dock and the Matrix window (with rows by speaker)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.speakers_dialog import ROLE, SpeakersDialog
from tests.gui.waiting import settle


def _dialog(qtbot: QtBot, window: MainWindow) -> SpeakersDialog:
    window.speakers_action.trigger()
    dialog = window.findChild(SpeakersDialog)
    assert dialog is not None and dialog.isVisible()
    settle(qtbot, window)
    return dialog


def _rows(dialog: SpeakersDialog) -> list[tuple[str, str, int, int]]:
    return [(r.speaker.name, r.speaker.role, r.documents, r.turns) for r in dialog.model.rows]


def test_speakers_dialog_lists_sets_role_renames_and_merges(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """The dialog lists each speaker with role, documents and turns; the role box on a row sets
    the role; rename and merge are undo steps of the window, and the table follows each."""
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert window.speakers_action in menus["Project"].actions()  # type: ignore[union-attr]
    dialog = _dialog(qtbot, window)
    assert _rows(dialog) == [
        ("Interviewer", "interviewer", 1, 2),
        ("Participant", "participant", 1, 2),
    ]
    box = dialog.table.indexWidget(dialog.model.index(1, ROLE))
    assert isinstance(box, QComboBox) and box.currentText() == "participant"
    box.setCurrentText("facilitator")
    box.activated.emit(box.currentIndex())
    settle(qtbot, window)
    assert project.speakers.by_name("Participant").role == "facilitator"
    assert _rows(dialog)[1][1] == "facilitator"
    dialog.table.selectRow(1)
    dialog.rename("Pat Jones")
    settle(qtbot, window)
    assert [r[0] for r in _rows(dialog)] == ["Interviewer", "Pat Jones"]
    dialog.table.selectRow(1)
    dialog.set_attribute("age", "30-39")
    settle(qtbot, window)
    assert dialog.model.rows[1].attributes == {"age": "30-39"}
    dialog.table.selectAll()
    assert dialog.merge_button.isEnabled()
    dialog.merge(into="Pat Jones")
    settle(qtbot, window)
    assert _rows(dialog) == [("Pat Jones", "facilitator", 1, 4)]
    window.undo()
    settle(qtbot, window)
    assert [r[0] for r in _rows(dialog)] == ["Interviewer", "Pat Jones"]


def test_search_dock_excludes_interviewer_turns(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Choosing "interviewer" in the Search dock's "Leave out roles" scope leaves out the
    Interviewer's 'start' (the speaker's role, guessed at import); otherwise both speakers'
    words are found."""
    dock = window.search_dock
    dock.search_action.trigger()
    dock.query.setText("start*")
    dock.search()
    settle(qtbot, window)
    assert sorted(h.speaker for h in dock.model.rows) == ["Interviewer", "Participant"]
    dock.scope.buttons["exclude_role"].set_chosen(["interviewer"])  # Leave out roles
    dock.search()
    settle(qtbot, window)
    assert [(h.text, h.speaker) for h in dock.model.rows] == [("started", "Participant")]


def test_matrix_rows_by_speaker_and_exclude_interviewer(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Rows by Speaker count each speaker's coded turns; excluding interviewer turns drops the
    Interviewer's row and segment, until the speaker's role changes; a speaker's cell lists
    that speaker's quotes."""
    text = project.documents.text(1)
    trust = project.codes.by_path("Drivers/Trust").id
    for turn in project.documents.turns(1):
        project.segments.add(1, trust, turn.start, turn.end)
    settle(qtbot, window)
    matrix = window.analysis.show_matrix()
    settle(qtbot, window)
    assert matrix is not None
    matrix.rows.setCurrentIndex(matrix.rows.findData("speaker"))
    settle(qtbot, window)
    assert matrix.model.heat.rows == ["Interviewer", "Participant"]
    assert [row[0] for row in matrix.model.heat.values] == [2.0, 2.0]
    matrix.open_cell(matrix.model.index(1, 0))
    quotes = matrix.cell_panel.cell.quotes  # type: ignore[union-attr]
    assert {q.speaker for q in quotes} == {"Participant"} and len(quotes) == 2
    assert all(q.text in text for q in quotes)
    matrix.no_interviewer.setChecked(True)
    settle(qtbot, window)
    assert matrix.model.heat.rows == ["Participant"]
    # A role changed elsewhere makes the matrix recompute.
    project.speakers.set_role([project.speakers.by_name("Interviewer").id], "participant")
    settle(qtbot, window)
    assert matrix.model.heat.rows == ["Interviewer", "Participant"]
    matrix.rows.setCurrentIndex(matrix.rows.findData("case"))
    settle(qtbot, window)
    assert matrix.model.heat.values[0][0] == 4.0  # no interviewer left to leave out


def test_suggestions_can_leave_out_interviewer_turns(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """With the keyword "start" both the Interviewer's question ("…partnership start?") and
    the Participant's answer ("It started badly") are suggested; with "Exclude interviewer
    turns" ticked in the Suggestions dock only the answer is."""
    barriers = project.codes.by_path("Barriers").id
    project.codes.update(barriers, keywords=["start"])
    interviewer = project.documents.turns(1)[0]
    dock = window.suggestions_dock

    def run(exclude: bool) -> list[tuple[int, int]]:
        dock.no_interviewer.setChecked(exclude)
        dock.status.clear()
        dock.suggest("lexical")
        qtbot.waitUntil(lambda: dock.status.text() != "", timeout=60000)
        settle(qtbot, window)
        return sorted((r.suggestion.start, r.suggestion.end) for r in dock.model.rows)

    every = run(exclude=False)
    assert any(end <= interviewer.end for _, end in every)
    assert any(start > interviewer.end for start, _ in every)
    kept = run(exclude=True)
    assert kept and all(start > interviewer.end for start, _ in kept)
