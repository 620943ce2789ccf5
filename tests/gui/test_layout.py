"""Layout on a laptop screen: windows sized from the screen, the document keeps most of the
width, long names elide in the middle, and matrix evidence stays readable."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.gui.cell_panel import QUOTE_SHARE
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.screen_fit import SMALLEST_SCREEN, fit_size
from tests.gui.test_matrix_view import _code
from tests.gui.waiting import settle

LONG_NAME = "Deep dive with the council's partnership lead, interview two of three " * 3


def _laptop(window: MainWindow, width: int = 1280, height: int = 720) -> None:
    window.resize(width, height)
    window.size_docks()
    QApplication.processEvents()


def test_windows_open_within_the_available_screen(window: MainWindow) -> None:
    """Sizes come from the screen's available geometry: never larger than the desktop (the
    offscreen desktop is 800 px wide; no window needs more than the smallest supported screen)."""
    room = window.screen().availableGeometry()
    wanted = fit_size(window, 5000, 5000)
    assert wanted.width() <= room.width() and wanted.height() <= room.height()
    matrix = window.analysis.show_matrix()
    cooccurrence = window.analysis.show_cooccurrence()
    for opened in (matrix, cooccurrence):
        assert opened is not None
        assert opened.height() <= room.height()
        assert opened.width() <= max(room.width(), opened.minimumSizeHint().width())
        assert opened.minimumSizeHint().width() <= SMALLEST_SCREEN.width() * 0.96


def test_document_pane_takes_most_of_a_1280_or_1366_wide_window(window: MainWindow) -> None:
    """With the docks sized for the window, the text gets at least half the width."""
    for width, height in ((1280, 720), (1366, 768)):
        _laptop(window, width, height)
        assert window.panel.view.width() >= width * 0.5, (width, window.panel.view.width())


def test_long_document_name_elides_in_the_middle_and_never_widens_the_window(
    window: MainWindow, project: Project
) -> None:
    """A 200-character name leaves the window's width alone; the title shows its start and its
    end around an ellipsis, and the tooltip holds the whole name and the file."""
    _laptop(window)
    before = window.width()
    doc = project.documents.add(NewDocument(LONG_NAME, "Words.", source_name="dd-2.docx")).id
    window.open_document(doc)
    QApplication.processEvents()
    assert window.width() == before
    title = window.panel.title
    shown = title.shown_text()
    assert "…" in shown and shown.startswith("Deep dive") and shown.endswith("document")
    assert LONG_NAME in title.toolTip() and "dd-2.docx" in title.toolTip()
    assert title.minimumSizeHint().width() == 0


def test_matrix_evidence_quote_stays_readable_and_lists_in_segments(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """At a laptop size the open cell's Quote column keeps at least its share of the table
    (references give way), and "List in Segments" shows the cell's passages in the dock."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    _code(project, "Funding was the hard part", "Drivers/Funding")
    matrix = window.analysis.show_matrix()
    assert matrix is not None
    matrix.resize(1228, 690)
    settle(qtbot, window)
    QApplication.processEvents()
    matrix.open_cell(matrix.model.index(0, 0))
    quotes = matrix.cell_panel.quotes
    room = quotes.viewport().width()
    assert quotes.columnWidth(0) >= room * QUOTE_SHARE - 2
    matrix.cell_panel.list_button.click()
    settle(qtbot, window)
    dock = window.segments_dock
    assert sorted(row.quote for row in dock.model.rows) == [
        "Funding was the hard part",
        "Trust grew slowly",
    ]
    assert dock.chips.texts() == ["Code: Drivers and 2 more", "Case: Wirral Council"]
