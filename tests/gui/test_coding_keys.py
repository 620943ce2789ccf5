"""Coding from the keyboard and menus: quick code with partial names, the nested "Code with"
menu, the visible current code and filters, and memos on the segment under the cursor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.gui.document_menu import build_document_menu
from collabcoder.gui.main_window import MainWindow
from tests.gui.test_coding import _code_id, _coded, _find
from tests.gui.waiting import settle


def test_quick_code_lists_partial_matches_and_enter_takes_the_best(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """A partial name fitting several codes lists them best first (a name starting with it
    before one merely holding it); Enter applies the first."""
    box = window.panel.quick_code
    assert box.matches("tr") == ["Drivers/Trust"]
    assert box.matches("r") == ["Drivers", "Barriers", "Drivers/Trust", "Drivers/Funding"]
    _find(window, "decided to trust each other")
    qtbot.keyClicks(box, "ers")
    assert box.popup().isVisible()
    assert box.popup().model().rowCount() == 4
    qtbot.keyClick(box, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert _coded(project) == ["decided to trust each other"]
    assert project.segments.list()[0].code_id == _code_id(project, "Drivers")
    assert box.text() == ""


def test_quick_code_arrows_choose_another_match(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Down moves into the list; Enter there applies the highlighted code."""
    _find(window, "Funding was the hard part")
    box = window.panel.quick_code
    qtbot.keyClicks(box, "ers")
    popup = box.popup()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    assert popup.currentIndex().row() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert project.segments.list()[0].code_id == _code_id(project, "Barriers")


def test_quick_code_says_when_nothing_matches(qtbot: QtBot, window: MainWindow) -> None:
    """A name no code holds is reported in the status bar, not silently ignored."""
    box = window.panel.quick_code
    qtbot.keyClicks(box, "zebra")
    assert not box.popup().isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert "zebra" in window.statusBar().currentMessage()


def _actions(menu: QMenu) -> dict[str, QAction]:
    return {a.text(): a for a in menu.actions() if a.text()}


def test_code_with_menu_is_nested_with_recent_and_favourites_first(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """ "Code with" nests children under their parent (which is offered first in its submenu),
    and lists the favourites with their keys, then recently applied codes above them."""
    _find(window, "Café owners joined")
    code_with = _actions(build_document_menu(window))["Code &with"].menu()
    assert isinstance(code_with, QMenu)
    top = _actions(code_with)
    assert "&1  Drivers" in top and "Drivers/Trust" not in top
    drivers = top["Drivers"].menu()
    assert isinstance(drivers, QMenu)
    assert [a.text() for a in drivers.actions() if a.text()] == [
        "Drivers (this code)",
        "Trust",
        "Funding",
    ]
    _actions(drivers)["Funding"].trigger()
    settle(qtbot, window)
    assert _coded(project) == ["Café owners joined"]
    _find(window, "Trust grew slowly")
    code_with = _actions(build_document_menu(window))["Code &with"].menu()
    assert isinstance(code_with, QMenu)
    sections = [a.text() for a in code_with.actions()]
    assert sections[:2] == ["Recent", "Drivers/Funding"]
    assert sections.index("Favourites") < sections.index("All codes")


def test_current_code_chip_shows_and_clears_the_current_code(window: MainWindow) -> None:
    """Picking a code in the Codebook shows it as the current-code chip; its button clears it
    (and Ctrl+Return then asks for a code rather than using an invisible one)."""
    chips = window.panel.current_code
    assert chips.texts() == []
    window.codebook_dock.select_code(window.bridge.require().codes.by_path("Drivers/Trust").id)
    assert chips.texts() == ["Drivers/Trust"]
    chips.chips[0].click()
    assert chips.texts() == [] and window.codebook_dock.current_code() is None
    window.commands["code"].trigger()
    assert "Pick a code" in window.statusBar().currentMessage()


def test_segments_filters_show_as_chips_that_clear(window: MainWindow, project: Project) -> None:
    """The codes and filters deciding the Segments list show as chips; one clears its filter,
    Clear all clears them all (the Codebook selection included)."""
    dock = window.segments_dock
    dock.show()
    window.codebook_dock.select_code(_code_id(project, "Barriers"))
    case_box = dock.filters["case"]
    case_box.setCurrentIndex(case_box.findText("Wirral Council"))
    assert dock.chips.texts() == ["Code: Barriers", "Case: Wirral Council"]
    dock.chips.chips[1].click()
    assert dock.chips.texts() == ["Code: Barriers"] and case_box.currentIndex() == 0
    case_box.setCurrentIndex(case_box.findText("Wirral Council"))
    dock.chips.clear_all.click()
    assert dock.chips.texts() == [] and dock.code_ids == []
    assert window.codebook_dock.selected_codes() == []


def test_ctrl_m_inside_a_segment_memos_that_segment(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """With the cursor inside a coded passage (or just after it) and another code current in
    the Codebook, Ctrl+M starts a memo on the segment, not on the code."""
    _find(window, "Trust grew slowly")
    window.coding.code_selection(_code_id(project, "Drivers/Trust"))
    settle(qtbot, window)
    [segment] = project.segments.list()
    window.codebook_dock.select_code(_code_id(project, "Barriers"))
    view = window.panel.view
    for position in (segment.start + 3, segment.end):
        cursor = view.textCursor()
        cursor.setPosition(view.utf16.to_utf16(position))
        view.setTextCursor(cursor)
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
        assert window.memos_dock.new_target == ("segment", segment.id)
