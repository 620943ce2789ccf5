"""The real main window: select, code four ways, retrieve, jump back, undo and redo."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.gui.document_menu import build_document_menu
from collabcoder.gui.main_window import MainWindow
from tests.gui.waiting import settle


def _find(window: MainWindow, words: str) -> None:
    """Select ``words`` the way a user would: Qt's own search, in Qt's UTF-16 positions."""
    view = window.panel.view
    cursor = view.textCursor()
    cursor.movePosition(cursor.MoveOperation.Start)
    view.setTextCursor(cursor)
    assert view.find(words), words


def _coded(project: Project) -> list[str]:
    segments = project.segments.list()
    return project.segments.quotes(segments)


def _code_id(project: Project, path: str) -> int:
    return project.codes.by_path(path).id


def test_quick_code_after_emoji_codes_exactly_the_selected_words(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Text after an emoji, selected in Qt and coded by the quick-code box, lands exactly."""
    _find(window, "decided to trust each other")
    box = window.panel.quick_code
    qtbot.keyClicks(box, "Drivers/Trust")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert _coded(project) == ["decided to trust each other"]
    assert project.segments.list()[0].code_id == _code_id(project, "Drivers/Trust")


def test_number_key_codes_with_favourite(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Key 2 codes the selection with the second favourite (by default the second code)."""
    _find(window, "Trust grew slowly")  # after a multi-codepoint family emoji
    qtbot.keyClick(window.panel.view, Qt.Key.Key_2)
    settle(qtbot, window)
    (segment,) = project.segments.list()
    assert _coded(project) == ["Trust grew slowly"]
    assert segment.code_id == project.codes.list()[1].id


def test_drop_on_code_tree_codes_selection(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Dropping the dragged selection's data on a code in the tree codes that selection."""
    _find(window, "Funding was the hard part")
    mime = window.panel.view.createMimeDataFromSelection()
    model = window.codebook_dock.model
    target = model.index_of(_code_id(project, "Drivers/Funding"))
    assert model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, target)
    model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, target)
    settle(qtbot, window)
    assert _coded(project) == ["Funding was the hard part"]
    assert project.segments.list()[0].code_id == _code_id(project, "Drivers/Funding")


def _menu_action(menu: object, *texts: str) -> QAction:
    current = menu
    for text in texts:
        actions = current.actions()  # type: ignore[attr-defined]
        found = next(a for a in actions if a.text().replace("&", "") == text)
        current = found.menu() or found
    assert isinstance(current, QAction)
    return current


def test_context_menu_codes_selection(qtbot: QtBot, window: MainWindow, project: Project) -> None:
    """The document's context menu lists every code under "Code with"."""
    _find(window, "Café owners joined")
    menu = build_document_menu(window)
    _menu_action(menu, "Code with", "Barriers").trigger()
    settle(qtbot, window)
    assert _coded(project) == ["Café owners joined"]


def test_segments_table_shows_coding_and_jumps_back(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Selecting a code lists its segments with the quote; activating a row selects it again."""
    trust = _code_id(project, "Drivers/Trust")
    _find(window, "decided to trust")
    window.coding.code_selection(trust)
    settle(qtbot, window)
    window.panel.view.moveCursor(window.panel.view.textCursor().MoveOperation.Start)
    window.codebook_dock.select_code(trust)
    dock = window.segments_dock
    assert dock.model.rowCount() == 1
    row = dock.model.rows[0]
    assert row.quote == "decided to trust"
    assert row.case == "Wirral Council" and row.coder == "Alice"
    assert row.before.endswith("Then we") and row.after.startswith("each other.")
    dock.table.activated.emit(dock.model.index(0, 0))
    view = window.panel.view
    assert view.textCursor().selectedText() == "decided to trust"
    assert view.selection_range() == (
        project.segments.list()[0].start,
        project.segments.list()[0].end,
    )


def test_undo_and_redo_name_the_step(qtbot: QtBot, window: MainWindow, project: Project) -> None:
    """Edit > Undo names the coding step; undo removes the segment and redo brings it back."""
    _find(window, "Trust grew slowly")
    window.coding.code_selection(_code_id(project, "Barriers"))
    settle(qtbot, window)
    undo, redo = window.commands["undo"], window.commands["redo"]
    assert undo.text().replace("&", "") == "Undo Code with Barriers"
    undo.trigger()
    settle(qtbot, window)
    assert project.segments.list() == []
    assert window.panel.view.layer.spans == []
    assert redo.text().replace("&", "") == "Redo Code with Barriers"
    redo.trigger()
    settle(qtbot, window)
    assert _coded(project) == ["Trust grew slowly"]
    assert len(window.panel.view.layer.spans) == 1


def test_whole_turn_and_sentence_helpers(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Whole turn codes the speech without its label; sentences widen to full stops."""
    window.codebook_dock.select_code(_code_id(project, "Drivers"))
    _find(window, "What changed")
    window.commands["whole_turn"].trigger()
    settle(qtbot, window)
    _find(window, "grew")
    window.commands["sentences"].trigger()
    settle(qtbot, window)
    assert sorted(_coded(project)) == ["Trust grew slowly.", "What changed?"]


def test_in_vivo_code_and_undo(qtbot: QtBot, window: MainWindow, project: Project) -> None:
    """In-vivo coding makes a code named after the words; one undo removes code and segment."""
    before = len(project.codes.list())
    _find(window, "hard part")
    window.commands["in_vivo"].trigger()
    settle(qtbot, window)
    assert project.codes.by_path("hard part").id == project.segments.list()[0].code_id
    assert window.commands["undo"].text().replace("&", "") == "Undo Code in vivo “hard part”"
    window.commands["undo"].trigger()
    settle(qtbot, window)
    assert len(project.codes.list()) == before and project.segments.list() == []


def test_uncode_and_recode(qtbot: QtBot, window: MainWindow, project: Project) -> None:
    """Recode moves the segment under the cursor to another code; uncode removes it."""
    _find(window, "Trust grew slowly")
    window.coding.code_selection(_code_id(project, "Drivers/Trust"))
    settle(qtbot, window)
    (segment,) = project.segments.list()
    window.coding.recode([segment.id], _code_id(project, "Barriers"))
    settle(qtbot, window)
    assert project.segments.get(segment.id).code_id == _code_id(project, "Barriers")
    assert window.commands["undo"].text().replace("&", "") == "Undo Recode to Barriers"
    window.commands["uncode"].trigger()
    settle(qtbot, window)
    assert project.segments.list() == []
    assert window.commands["undo"].text().replace("&", "") == "Undo Uncode Barriers"


def test_stripe_click_selects_segment(qtbot: QtBot, window: MainWindow, project: Project) -> None:
    """Each segment has a stripe with code and coder in its tooltip; clicking selects it."""
    _find(window, "We had contracts")
    window.coding.code_selection(_code_id(project, "Barriers"))
    settle(qtbot, window)
    window.panel.view.moveCursor(window.panel.view.textCursor().MoveOperation.Start)
    stripes = window.panel.stripes
    stripes.repaint()
    (rect, span), *_ = stripes.bars()
    assert span.label == "Barriers — coded by Alice"
    qtbot.mouseClick(stripes, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert window.panel.view.textCursor().selectedText() == "We had contracts"


def test_find_in_document(window: MainWindow) -> None:
    """Find selects the next match and wraps around."""
    bar = window.panel.find_bar
    bar.open()
    bar.field.setText("Participant")
    assert bar.find_next()
    first = window.panel.view.textCursor().selectionStart()
    assert bar.find_next() and bar.find_next()
    assert window.panel.view.textCursor().selectionStart() == first
    assert window.panel.view.textCursor().selectedText() == "Participant"


def test_overlapping_codes_are_painted_in_bands(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Two codes over the same words make one piece with both colours (drawn as bands)."""
    _find(window, "We had contracts")
    window.coding.code_selection(_code_id(project, "Barriers"))
    settle(qtbot, window)
    window.coding.code_selection(_code_id(project, "Drivers"))
    settle(qtbot, window)
    layer = window.panel.view.layer
    assert len(layer.lanes) == 2
    colours = {project.codes.get(_code_id(project, n)).colour for n in ("Barriers", "Drivers")}
    pieces = layer.pieces_between(0, len(window.panel.view.text))
    assert {c for p in pieces for c in p.colours} == colours
    assert any(len(p.colours) == 2 for p in pieces)
    assert window.panel.view.position_at(QPoint(0, 0)) == 0
