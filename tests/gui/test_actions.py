"""One action registry: Help > Keyboard shortcuts lists every command the window has."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from collabcoder.gui.main_window import MainWindow


def test_shortcuts_dialog_lists_every_registered_action(qtbot: QtBot, window: MainWindow) -> None:
    """Every registered command is a row of the dialog, with its keys: the codebook's F2,
    Ctrl+Shift+N and Delete, the Segments table's copy and the Suggestions commands too."""
    window.commands["shortcuts"].trigger()
    dialog = window.shortcuts_dialog
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    shown = {(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())}
    listed = {text for _keys, text in shown}
    for name, menu in window.commands.menus.items():
        assert f"{menu} › {window.commands.texts[name]}" in listed, name
    keys = {keys: text for keys, text in shown}
    assert keys["F2"].endswith("Edit code…")
    assert keys["Ctrl+Shift+N"].endswith("New code…")
    assert keys["Del"].endswith("Delete code…")
    assert {"suggest", "train", "copy_quotes", "merge_code"} <= set(window.commands)


def test_a_command_name_is_registered_once(window: MainWindow) -> None:
    """Registering a second command under a taken name is refused."""
    with pytest.raises(ValueError):
        window.commands.register("undo", window.commands["undo"], "Edit")
