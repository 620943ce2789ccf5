"""The Search dock in the real main window: find, jump, code after a preview, export, save."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.core.search_saved import saved_queries
from collabcoder.core.segments import SegmentFilter
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.search_autocode_dialog import AutocodeDialog
from collabcoder.gui.search_dock import SearchDock
from tests.gui.waiting import settle


def _search(qtbot: QtBot, window: MainWindow, query: str, *, coding: bool = False) -> SearchDock:
    dock = window.search_dock
    (dock.coding_action if coding else dock.search_action).trigger()
    assert dock.isVisible() and dock.query.hasFocus()
    dock.query.setText(query)
    dock.status.clear()
    qtbot.keyClick(dock.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dock.status.text() not in ("", "Searching…"), timeout=10_000)
    return dock


def _hits(dock: SearchDock) -> list[tuple[str, str]]:
    return [(h.text, h.speaker) for h in dock.model.rows]


def test_search_lists_hits_with_speakers_and_jumps(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Ctrl+Shift+F opens the dock; 'trust' finds both forms with their speaker; activating a
    result selects exactly that passage in the document (across emoji before it)."""
    assert window.search_dock.search_action.shortcut().toString() == "Ctrl+Shift+F"
    dock = _search(qtbot, window, "trust")
    assert _hits(dock) == [("trust", "Participant"), ("Trust", "Participant")]
    assert dock.status.text() == "2 hit(s) in 1 document(s)"
    dock.table.activated.emit(dock.model.index(1, 0))
    hit = dock.model.rows[1]
    assert window.panel.view.document_id == hit.document_id
    assert window.panel.view.selection_range() == (hit.start, hit.end)


def test_leave_out_speakers_and_exact_words(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Leaving out the participant leaves only the interviewer's words; exact matching finds
    only the form typed."""
    window.search_dock.scope.fill(window.bridge)
    window.search_dock.scope.buttons["exclude_speakers"].set_chosen(["Participant"])
    dock = _search(qtbot, window, "start*")
    assert _hits(dock) == [("start", "Interviewer")]
    dock.scope.clear()
    dock.exact.setChecked(True)
    dock = _search(qtbot, window, "started")
    assert _hits(dock) == [("started", "Participant")]


def test_code_ticked_results_after_preview_is_one_undo_step(
    qtbot: QtBot, window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only ticked results are coded, widened to their sentence as chosen in the preview; the
    coding is one undo step named in the Edit menu."""
    dock = _search(qtbot, window, "trust OR funding")
    assert len(dock.model.rows) == 3
    dock.model.setData(
        dock.model.index(2, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
    )
    trust = project.codes.by_path("Drivers/Trust")
    shown: list[list[str]] = []

    def accept(dialog: AutocodeDialog) -> int:
        dialog.code_box.setCurrentIndex(dialog.code_box.findData(trust.id))
        dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("sentence"))
        shown.append([s.text for s in dialog.spans])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AutocodeDialog, "exec", accept)
    dock.code_ticked()
    settle(qtbot, window)
    assert shown == [["Then we decided to trust each other.", "Trust grew slowly."]]
    coded = project.segments.list(SegmentFilter(origins=["autocode"]))
    assert [(s.code_id, s.coder_id) for s in coded] == [(trust.id, project.coder.id)] * 2
    assert window.commands["undo"].text() == "&Undo Auto-code 2 passages as Drivers/Trust"
    window.commands["undo"].trigger()
    settle(qtbot, window)
    assert project.segments.list() == []


def test_coding_query_mode(
    qtbot: QtBot, window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Analyse > Coding query runs a query over the coding and lists its passages."""
    document = project.documents.list()[0]
    text = project.documents.text(document.id)
    trust = project.codes.by_path("Drivers/Trust").id
    funding = project.codes.by_path("Drivers/Funding").id
    start = text.index("Trust grew")
    project.segments.add(document.id, trust, start, start + len("Trust grew slowly."))
    start = text.index("Funding was")
    project.segments.add(document.id, funding, start, start + len("Funding was the hard part."))
    dock = _search(qtbot, window, "Trust FOLLOWED BY/2 Funding", coding=True)
    assert [h.text for h in dock.model.rows] == ["Trust grew slowly."]
    assert not dock.exact.isVisible()


def test_export_and_saved_queries(
    qtbot: QtBot, window: MainWindow, project: Project, tmp_path: Path
) -> None:
    """Results export to CSV; a saved query appears in the list and runs again from it."""
    dock = _search(qtbot, window, "trust")
    out = tmp_path / "hits.csv"
    dock.export(str(out))
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][0] == "Document" and [r[6] for r in rows[1:]] == ["trust", "Trust"]
    dock.save("Trust talk")
    assert [q.name for q in saved_queries(project)] == ["Trust talk"]
    assert dock.saved.findText("Trust talk") > 0
    dock.query.clear()
    dock.model.set_rows([])
    dock.saved.setCurrentIndex(dock.saved.findText("Trust talk"))
    dock.saved.activated.emit(dock.saved.currentIndex())
    qtbot.waitUntil(lambda: len(dock.model.rows) == 2, timeout=10_000)
    assert dock.query.text() == "trust"


def test_results_filter_and_sort(qtbot: QtBot, window: MainWindow, project: Project) -> None:
    """The filter box narrows the results shown, and only shown ticked results are exported
    or coded; clicking a column sorts them, and activation still jumps to the right one."""
    dock = _search(qtbot, window, "trust OR funding")
    assert [h.text for h in dock.chosen()] == ["trust", "Trust", "Funding"]
    dock.result_filter.setText("DECIDED")  # any column: here the words before the hit
    assert [h.text for h in dock.chosen()] == ["trust"]
    dock.result_filter.clear()
    dock.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    assert [h.text for h in dock.chosen()] == ["Funding", "trust", "Trust"]
    dock.table.activated.emit(dock.shown.index(0, 0))
    funding = next(h for h in dock.model.rows if h.text == "Funding")
    assert window.panel.view.selection_range() == (funding.start, funding.end)
