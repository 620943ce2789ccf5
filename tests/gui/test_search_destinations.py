"""The Search dock's scope row, Cancel, and where results go (Segments, a new code, a coding
query's export, the Matrix as a column) on the real main window."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from collabcoder.core import search as search_module
from collabcoder.core.project import Project
from collabcoder.core.search_saved import save_query, saved_queries
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.search_autocode_dialog import AutocodeDialog
from collabcoder.gui.search_dock import CANCEL, SEARCH, SearchDock
from tests.gui.waiting import settle


def _run(qtbot: QtBot, window: MainWindow, query: str, coding: bool = False) -> SearchDock:
    dock = window.search_dock
    dock.open(coding=coding)
    dock.query.setText(query)
    dock.search()
    qtbot.waitUntil(lambda: dock.running is None, timeout=10_000)
    return dock


def _code(project: Project, words: str, path: str) -> None:
    text = project.documents.text(1)
    start = text.index(words)
    project.segments.add(1, project.codes.by_path(path).id, start, start + len(words))


def test_scope_row_offers_the_project_and_is_saved(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """The scope buttons offer the project's documents, cases, speakers, coders and codes;
    choosing "Leave out: Participant" narrows the hits, is saved with the query and comes
    back when the saved query is run."""
    dock = window.search_dock
    dock.open()
    scope = dock.scope
    assert [a.text() for a in scope.buttons["speakers"].menu().actions()] == [
        "Interviewer",
        "Participant",
    ]
    assert [a.text() for a in scope.buttons["cases"].menu().actions()] == ["Wirral Council"]
    assert "Drivers/Trust" in [a.text() for a in scope.buttons["coded_with"].menu().actions()]
    scope.buttons["exclude_speakers"].set_chosen(["Participant"])
    _run(qtbot, window, "start*")
    assert [(h.text, h.speaker) for h in dock.model.rows] == [("start", "Interviewer")]
    assert "leave out: Participant" in dock.status.text()
    dock.save("Not the participant")
    (record,) = saved_queries(project)
    assert record.definition["exclude_speakers"] == "Participant"
    scope.clear()
    assert scope.describe() == "everywhere"
    dock.saved.activated.emit(dock.saved.findText("Not the participant"))
    qtbot.waitUntil(lambda: dock.running is None and dock.model.rows != [], timeout=10_000)
    assert scope.buttons["exclude_speakers"].chosen() == ("Participant",)
    dock.mode.setCurrentIndex(1)  # a coding query has no "coded with" scope
    assert not scope.buttons["coded_with"].isVisibleTo(dock)


def test_cancel_stops_a_search_and_keeps_what_was_shown(
    qtbot: QtBot, window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a search runs its button reads Cancel; pressing it stops the search at its next
    check: nothing new is shown, the earlier results stay, nothing became an undo step."""
    dock = _run(qtbot, window, "trust")
    shown = list(dock.model.rows)
    label = project.undo_label
    real = search_module.find_occurrences

    def slow(units, corpus, query, lemmas, check):  # type: ignore[no-untyped-def]
        for _ in range(1000):  # about 10 s unless cancelled
            check()
            time.sleep(0.01)
        return real(units, corpus, query, lemmas, check)

    monkeypatch.setattr(search_module, "find_occurrences", slow)
    dock.query.setText("funding")
    dock.search()
    assert dock.go.text() == CANCEL and dock.running is not None
    dock.go.click()
    qtbot.waitUntil(lambda: dock.running is None, timeout=5_000)
    assert dock.go.text() == SEARCH
    assert "cancelled" in dock.status.text()
    assert dock.model.rows == shown and project.undo_label == label


def test_results_to_segments_and_to_a_new_code(
    qtbot: QtBot, window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """List in Segments shows the coding the ticked results touch, with a chip to clear it;
    Code ticked with a new code's path makes it and codes the results as one undo step."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    _code(project, "Funding was the hard part", "Drivers/Funding")
    settle(qtbot, window)
    dock = _run(qtbot, window, "trust")
    dock.list_in_segments()
    settle(qtbot, window)
    segments = window.segments_dock
    assert [r.quote for r in segments.model.rows] == ["Trust grew slowly"]
    assert any("Search 'trust'" in chip for chip in segments.chips.texts())
    segments.clear_filter("results")
    assert len(segments.model.rows) == 2

    def accept(dialog: AutocodeDialog) -> int:
        dialog.new_box.setText("Drivers/Trust talk")
        dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("sentence"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AutocodeDialog, "exec", accept)
    dock.code_ticked()
    settle(qtbot, window)
    new = project.codes.by_path("Drivers/Trust talk")
    assert len([s for s in project.segments.list() if s.code_id == new.id]) == 2
    assert (
        window.commands["undo"].text()
        == "&Undo Auto-code 2 passages as new code Drivers/Trust talk"
    )
    window.commands["undo"].trigger()
    settle(qtbot, window)
    assert "Drivers/Trust talk" not in project.codes.paths().values()


def test_coding_query_exports_passages_and_lists_its_segments(
    qtbot: QtBot, window: MainWindow, project: Project, tmp_path: Path
) -> None:
    """A coding query's results export as passages (document, speaker, span, text) and list
    only its codes' segments in Segments."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    _code(project, "grew slowly. Funding", "Barriers")
    settle(qtbot, window)
    dock = _run(qtbot, window, "Trust OVERLAPS Barriers", coding=True)
    assert [h.text for h in dock.model.rows] == ["Trust grew slowly"]
    out = tmp_path / "q.csv"
    dock.export(str(out))
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["Document", "Speaker", "Start", "End", "Text"]
    assert rows[1][4] == "Trust grew slowly"
    dock.list_in_segments()
    settle(qtbot, window)
    assert sorted(r.code for r in window.segments_dock.model.rows) == [
        "Barriers",
        "Drivers/Trust",
    ]


def test_a_saved_query_is_a_matrix_column_with_its_passages(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Choosing a saved query in the Matrix adds its column: the passages per case, and the
    cell lists them."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    save_query(project, "Trust words", "text", {"query": "trust"})
    matrix = window.analysis.show_matrix()
    settle(qtbot, window)
    assert matrix is not None
    assert matrix.queries.menu().actions()[0].text() == "Trust words"
    matrix.queries.set_chosen(["Trust words"])
    settle(qtbot, window)
    model = matrix.model
    assert [path for _, path, _ in model.heat.codes][-1] == "Query: Trust words"
    column = model.columnCount() - 1
    hits = project.search.run("trust").hits
    assert model.data(model.index(0, column)) == str(len(hits))
    matrix.open_cell(model.index(0, column))
    quotes = matrix.cell_panel.cell.quotes  # type: ignore[union-attr]
    assert [q.text for q in quotes] == [h.text for h in hits]


def test_code_by_heading_mode(
    qtbot: QtBot,
    window: MainWindow,
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Analyse > Code by heading lists each matching heading's section; coding them after the
    preview is one undo step recording the heading words."""
    from collabcoder.core.search_autocode import provenance_of
    from collabcoder.io.batch import import_files

    notes = tmp_path / "notes.md"
    notes.write_text("# Visit\nWe met.\n## Funding\nMoney was short.\n## Trust\nIt grew.\n")
    import_files(project, [notes])
    settle(qtbot, window)
    dock = window.search_dock
    dock.headings_action.trigger()
    assert dock.kind == "headings" and not dock.exact.isVisible() and dock.regex.isVisible()
    assert not dock.scope.buttons["speakers"].isVisibleTo(dock)
    dock.query.setText("funding")
    dock.search()
    qtbot.waitUntil(lambda: dock.running is None, timeout=10_000)
    assert [h.text for h in dock.model.rows] == ["## Funding\nMoney was short."]
    assert not dock.save_button.isEnabled()
    funding = project.codes.by_path("Drivers/Funding")

    def accept(dialog: AutocodeDialog) -> int:
        assert not dialog.unit_box.isVisibleTo(dialog)
        dialog.code_box.setCurrentIndex(dialog.code_box.findData(funding.id))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AutocodeDialog, "exec", accept)
    dock.code_ticked()
    settle(qtbot, window)
    (segment,) = [s for s in project.segments.list() if s.code_id == funding.id]
    assert provenance_of(project, [segment.guid]) == {
        segment.guid: "code by heading 'funding' (words)"
    }
    assert window.commands["undo"].text() == "&Undo Auto-code 1 passage as Drivers/Funding"
