"""The analysis windows' open cells are computed off the GUI thread, and long lists of passages
fill a chunk at a time, so a reload at project scale never holds the window up."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.gui import cooccurrence_window, matrix_compute
from collabcoder.gui.cell_panel import CellPanel
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.passages_table import CHUNK, PassagesTable
from collabcoder.synthesis.meeting import Passage
from tests.gui.waiting import settle


def _code(project: Project, words: str, path: str) -> None:
    text = project.documents.text(1)
    start = text.index(words)
    project.segments.add(1, project.codes.by_path(path).id, start, start + len(words))


def _threads_of(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[str]:
    """Record the thread each call of ``module.name`` runs on."""
    seen: list[str] = []
    real: Callable[..., Any] = getattr(module, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return seen


def test_cooccurrence_cell_passages_come_from_the_reader_and_follow_coding(
    qtbot: QtBot, window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a cell finds its passages on the reader thread, then lists them; a coding step
    elsewhere brings the open cell's new passages with the recomputed map, also off the GUI
    thread."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    _code(project, "grew slowly. Funding was", "Drivers/Funding")
    view = window.analysis.show_cooccurrence()
    assert view is not None
    view.depth_box.setValue(0)
    settle(qtbot, window)
    names = [path for _, path, _ in view.model.heat.codes]
    trust, funding = names.index("Drivers/Trust"), names.index("Drivers/Funding")
    threads = _threads_of(monkeypatch, cooccurrence_window, "cell_passages")
    view.open_cell(view.model.index(trust, funding))
    assert view.passages.rowCount() == 0  # nothing computed on the GUI thread
    settle(qtbot, window)
    assert view.passages.rowCount() == 1
    assert view.passages.passage(0).text == "Trust grew slowly. Funding was"
    assert "1 passage(s)" in view.passages_title.text()
    _code(project, "decided to trust", "Drivers/Trust")
    _code(project, "to trust each other", "Drivers/Funding")
    settle(qtbot, window)
    assert view.passages.rowCount() == 2
    assert "2 passage(s)" in view.passages_title.text()
    assert threads and "MainThread" not in threads


def test_cooccurrence_cell_closes_when_its_codes_leave_the_map(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """The open cell is its two codes, not a place in the table: when folding codes into their
    parent (depth 1) takes one off the map, the list is cleared rather than showing whichever
    cell now sits at that place."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    view = window.analysis.show_cooccurrence()
    assert view is not None
    view.depth_box.setValue(0)
    settle(qtbot, window)
    names = [path for _, path, _ in view.model.heat.codes]
    view.open_cell(view.model.index(names.index("Drivers"), names.index("Drivers/Trust")))
    settle(qtbot, window)
    assert "<b>Drivers</b> × <b>Drivers/Trust</b>" in view.passages_title.text()
    view.depth_box.setValue(1)  # Trust folds into Drivers; Barriers takes its column
    settle(qtbot, window)
    assert view.passages.rowCount() == 0
    assert view.passages_title.text().startswith("Double-click a cell")


def test_a_long_passage_list_fills_over_several_loop_turns(qtbot: QtBot) -> None:
    """Thousands of passages are listed a chunk per turn of the event loop: the first rows at
    once, every row filled and sized once the loop has run."""
    table = PassagesTable()
    qtbot.addWidget(table)
    table.resize(600, 400)
    table.show()
    passages = [Passage(1, "Interview 1", n, n + 5, f"quote number {n}") for n in range(CHUNK * 3)]
    table.show_passages(passages)
    assert table.rowCount() == CHUNK * 3
    assert table.item(0, 0).text() == "quote number 0"
    assert table.item(CHUNK * 2, 0) is None and table.filling
    qtbot.waitUntil(lambda: not table.filling, timeout=10_000)
    assert table.item(CHUNK * 3 - 1, 0).text() == f"quote number {CHUNK * 3 - 1}"
    assert table.rowHeight(CHUNK * 3 - 1) > 0


def test_matrix_open_cell_evidence_is_computed_with_the_map(
    qtbot: QtBot, window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a coding step the open cell's quotes are recomputed on the reader thread with
    the map, and shown."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    matrix = window.analysis.show_matrix()
    assert matrix is not None
    settle(qtbot, window)
    matrix.open_cell(matrix.model.index(0, 0))
    assert matrix.cell_panel.quotes.rowCount() == 1
    threads = _threads_of(monkeypatch, matrix_compute, "cell_evidence")
    _code(project, "Funding was the hard part", "Drivers/Funding")
    settle(qtbot, window)
    assert matrix.cell_panel.quotes.rowCount() == 2
    assert threads and "MainThread" not in threads


def test_cell_panel_keeps_its_rows_when_the_evidence_is_unchanged(
    qtbot: QtBot, window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step that leaves the open cell's quotes as they were does not refill its table (a
    step elsewhere); new quotes do."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    matrix = window.analysis.show_matrix()
    assert matrix is not None
    settle(qtbot, window)
    matrix.open_cell(matrix.model.index(0, 0))
    fills: list[int] = []
    real = CellPanel._fill_quotes
    monkeypatch.setattr(
        CellPanel, "_fill_quotes", lambda panel, cell: (fills.append(1), real(panel, cell))
    )
    _code(project, "What changed?", "Barriers")  # another column
    settle(qtbot, window)
    assert fills == [] and matrix.cell_panel.quotes.rowCount() == 1
    _code(project, "Funding was the hard part", "Drivers/Funding")
    settle(qtbot, window)
    assert fills == [1] and matrix.cell_panel.quotes.rowCount() == 2
