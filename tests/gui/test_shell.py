"""The main window's shell: coder name, memos, blind mode, cases, layout, launch."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.gui import launch as launch_module
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.settings import AppSettings
from tests.gui.waiting import settle


def test_coder_is_asked_once_and_remembered(qtbot: QtBot, settings: AppSettings) -> None:
    """With no stored name the window asks; the answer is stored and shown in the status bar."""
    asked: list[bool] = []

    def ask(_parent: object) -> str:
        asked.append(True)
        return "Bea"

    first = MainWindow(settings=settings, ask_coder=ask)
    qtbot.addWidget(first)
    assert first.coder == "Bea" and settings.coder == "Bea"
    assert first.coder_label.text() == "Coder: Bea"
    second = MainWindow(settings=settings, ask_coder=ask)
    qtbot.addWidget(second)
    assert second.coder == "Bea" and len(asked) == 1


def test_write_and_search_memo(qtbot: QtBot, window: MainWindow, project: Project) -> None:
    """A memo written on the open document is saved, listed and found by search."""
    dock = window.memos_dock
    document_id = project.documents.list()[0].id
    dock.start_memo("document", document_id)
    dock.title.setText("First impressions")
    dock.body.setPlainText("Trust comes up in every answer.")
    dock.save_button.click()
    settle(qtbot, window)
    (memo,) = project.memos.list()
    assert (memo.target_kind, memo.target_id, memo.title) == (
        "document",
        document_id,
        "First impressions",
    )
    assert dock.list.count() == 1 and "Document: Interview 1" in dock.list.item(0).text()
    dock.search.setText("every answer")
    assert dock.list.count() == 1
    dock.search.setText("nowhere")
    assert dock.list.count() == 0


def test_memo_targets_follow_context(qtbot: QtBot, window: MainWindow, project: Project) -> None:
    """Write memo offers segment, code, document, case and project, most specific first."""
    view = window.panel.view
    view.find("Trust grew slowly")
    trust = project.codes.by_path("Drivers/Trust").id
    window.coding.code_selection(trust)
    settle(qtbot, window)
    window.codebook_dock.select_code(trust)
    kinds = [kind for kind, _ in window.memo_targets()]
    assert kinds == ["segment", "code", "document", "case", "project"]
    window.commands["memo"].trigger()
    assert window.memos_dock.new_target == ("segment", project.segments.list()[0].id)


def test_blind_mode_hides_other_coders(window: MainWindow, project: Project) -> None:
    """Show only my coding hides Bob's segments from text, stripes, counts and table."""
    bob = project.coders.register("Bob")
    trust = project.codes.by_path("Drivers/Trust").id
    text = project.documents.text(1)
    start = text.index("Trust grew")
    project.segments.add(1, trust, start, start + 10, coder_id=bob.id)
    window.codebook_dock.select_code(trust)
    assert len(window.panel.view.layer.spans) == 1
    assert window.segments_dock.model.rowCount() == 1
    window.commands["only_mine"].trigger()
    assert window.bridge.visibility.only_mine
    assert window.panel.view.layer.spans == []
    assert window.segments_dock.model.rowCount() == 0
    assert window.codebook_dock.model.counts.get(trust, 0) == 0
    assert "Blind" in window.blind_label.text()
    window.commands["only_mine"].trigger()
    assert len(window.panel.view.layer.spans) == 1


def test_hide_one_coder(window: MainWindow, project: Project) -> None:
    """Hiding one coder removes only that coder's coding from view."""
    bob = project.coders.register("Bob")
    barriers = project.codes.by_path("Barriers").id
    project.segments.add(1, barriers, 0, 5, coder_id=bob.id)
    project.segments.add(1, barriers, 10, 15)
    window.bridge.visibility.set_hidden(bob.id, True)
    assert [s.coder_id for s in window.panel.view.layer.spans] == [project.coder.id]


def test_case_attributes_edit_and_assign(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Editing a cell sets the case's attribute (checked by kind); documents can change case."""
    attribute = project.attributes.add("Call type", "choice", ["learning call", "deep dive"])
    model = window.cases_dock.cases_model
    assert model.columnCount() == 2
    cell = model.index(0, 1)
    assert model.setData(cell, "Deep Dive")
    settle(qtbot, window)
    case = project.cases.by_name("Wirral Council")
    assert project.attributes.values()[(case.id, attribute.id)] == "deep dive"
    assert model.index(0, 1).data() == "deep dive"
    model.setData(cell, "interview")
    settle(qtbot, window)
    assert "not one of" in window.statusBar().currentMessage()
    assert model.index(0, 1).data() == "deep dive"
    other = project.cases.add("Oldham Council")
    window.cases_dock.assign([1], other.id)
    settle(qtbot, window)
    assert project.documents.get(1).case_id == other.id
    top = window.cases_dock.documents.topLevelItem(0)
    assert top.text(0) == "Oldham Council" and top.child(0).text(0) == "Interview 1"


def test_segment_filters(window: MainWindow, project: Project) -> None:
    """The segments table filters by coder and by case attribute value."""
    bob = project.coders.register("Bob")
    barriers = project.codes.by_path("Barriers").id
    project.segments.add(1, barriers, 0, 5, coder_id=bob.id)
    project.segments.add(1, barriers, 10, 15)
    window.codebook_dock.select_code(barriers)
    dock = window.segments_dock
    assert dock.model.rowCount() == 2
    coder_box = dock.filters["coder"]
    coder_box.setCurrentIndex(coder_box.findText("Bob"))
    assert [r.coder for r in dock.model.rows] == ["Bob"]
    coder_box.setCurrentIndex(0)
    attribute = project.attributes.add("Funding", "text")
    project.attributes.set_value(project.cases.by_name("Wirral Council").id, attribute.id, "grant")
    box = dock.filters["attribute"]
    box.setCurrentIndex(box.findText("Funding = grant"))
    assert dock.model.rowCount() == 2
    other = project.cases.add("Elsewhere")
    project.documents.assign_case([1], other.id)
    assert dock.model.rowCount() == 0


def test_copy_quotes_with_references(qtbot: QtBot, window: MainWindow, project: Project) -> None:
    """Copying selected rows puts each quote with its document, case, code and coder."""
    window.panel.view.find("Funding was the hard part")
    funding = project.codes.by_path("Drivers/Funding").id
    window.coding.code_selection(funding)
    settle(qtbot, window)
    window.codebook_dock.select_code(funding)
    window.segments_dock.table.selectRow(0)
    text = window.segments_dock.copy_quotes()
    assert text.startswith(
        "“Funding was the hard part” (Interview 1, Wirral Council; Drivers/Funding"
    )
    assert "coded by Alice" in text


def test_window_layout_is_remembered(qtbot: QtBot, settings: AppSettings) -> None:
    """Closing stores geometry and dock state; the next window restores them."""
    first = MainWindow(settings=settings, coder="Alice")
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 500)  # inside the offscreen screen (800x600)
    first.segments_dock.hide()
    size = first.size()
    first.close()
    second = MainWindow(settings=settings, coder="Alice")
    qtbot.addWidget(second)
    second.show()
    assert second.size() == size
    assert second.segments_dock.isHidden()


def test_recent_projects(window: MainWindow, settings: AppSettings, project: Project) -> None:
    """An opened project joins the recent list, newest first."""
    assert settings.recent()[0] == project.location
    window.files.fill_recent(window.recent_menu)
    assert window.recent_menu.actions()[0].text() == project.location


def test_launch_without_display_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no display on Linux, launch prints one line pointing to make demo and returns 2."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(launch_module.sys, "platform", "linux")
    assert launch_module.launch([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "make demo" in err


def test_shortcuts_are_listed(window: MainWindow) -> None:
    """Every menu command with a shortcut appears in Help > Keyboard shortcuts."""
    from collabcoder.gui.actions import shortcut_rows

    rows = dict(shortcut_rows(window.commands))
    assert rows["Ctrl+K"] == "Code › Quick code…"
    assert "1 … 9" in rows
    keys = [a.shortcut().toString() for a in window.commands.values() if not a.shortcut().isEmpty()]
    assert len(keys) == len(set(keys)), "two commands share a shortcut"
