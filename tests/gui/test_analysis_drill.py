"""Drilling into the analysis views: a co-occurrence cell lists the passages where both codes
meet, and its headers show whole names."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow
from tests.gui.waiting import settle


def _code(project: Project, words: str, path: str) -> None:
    text = project.documents.text(1)
    start = text.index(words)
    project.segments.add(1, project.codes.by_path(path).id, start, start + len(words))


def _column(view: object, name: str) -> int:
    model = view.model  # type: ignore[attr-defined]
    names = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return names.index(name)


def test_cooccurrence_cell_lists_the_passages_where_both_codes_meet(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Activating a cell lists exactly the passages it counts (overlap: the joined pair; turn:
    the whole turn); activating a passage selects it in the main window's document."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    _code(project, "grew slowly. Funding was", "Drivers/Funding")
    _code(project, "decided to trust", "Drivers/Trust")
    view = window.analysis.show_cooccurrence()
    assert view is not None
    view.depth_box.setValue(0)
    settle(qtbot, window)
    trust, funding = _column(view, "Trust"), _column(view, "Funding")
    view.open_cell(view.model.index(trust, funding))
    settle(qtbot, window)  # the passages are found on the reader thread
    assert view.passages.rowCount() == view.model.value(trust, funding) == 1
    meeting = view.passages.passage(0)
    assert meeting.text == "Trust grew slowly. Funding was"
    assert "Drivers/Trust" in view.passages_title.text()
    view.passages.passage_activated.emit(meeting.document_id, meeting.start, meeting.end)
    assert window.panel.view.textCursor().selectedText() == meeting.text
    view.open_cell(view.model.index(trust, trust))  # the diagonal: the code's own passages
    settle(qtbot, window)
    assert view.passages.rowCount() == 2
    view.mode.setCurrentIndex(view.mode.findData("turn"))  # the open cell follows the mode
    settle(qtbot, window)
    assert view.passages.rowCount() == 2
    view.open_cell(view.model.index(trust, funding))
    settle(qtbot, window)
    assert view.passages.rowCount() == 1
    assert view.passages.passage(0).text.startswith("[00:01:09] Participant: Café owners")


def test_cooccurrence_headers_wrap_and_elide_in_the_middle(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Column headers wrap whole words on up to three lines; row headers elide in the middle
    and carry the full path as a tooltip."""
    view = window.analysis.show_cooccurrence()
    assert view is not None
    settle(qtbot, window)
    header = view.table.horizontalHeader()
    assert header.defaultAlignment() & Qt.TextFlag.TextWordWrap
    assert header.minimumHeight() >= 3 * view.fontMetrics().lineSpacing()
    assert view.table.verticalHeader().textElideMode() == Qt.TextElideMode.ElideMiddle
    tip = view.model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    assert tip == view.model.heat.rows[0]
