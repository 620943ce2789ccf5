"""The document view's context menu: every coding command for the selection or cursor."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from .main_window import MainWindow

MAX_LISTED = 40  # beyond this the quick-code box is the better tool


def build_document_menu(window: MainWindow) -> QMenu:
    """Code with any code, uncode or recode what is here, write a memo, copy."""
    menu = QMenu(window)
    coding = window.coding
    bridge = window.bridge
    has_selection = window.panel.view.selection_range() is not None
    code_with = menu.addMenu("Code &with")
    code_with.setEnabled(has_selection)
    paths = bridge.paths()
    for code in bridge.codes()[:MAX_LISTED]:
        code_with.addAction(
            paths.get(code.id, code.name),
            partial(coding.code_selection, code.id, how="Code (menu)"),
        )
    for name in ("code", "whole_turn", "sentences", "in_vivo"):
        menu.addAction(window.commands[name])
    here = coding.segments_here()
    if here:
        menu.addSeparator()
        uncode = menu.addMenu("&Uncode")
        recode = menu.addMenu("&Recode")
        for segment in here:
            label = f"{paths.get(segment.code_id, '?')}"
            uncode.addAction(label, partial(coding.uncode, [segment.id]))
            target = recode.addMenu(label)
            for code in bridge.codes()[:MAX_LISTED]:
                if code.id != segment.code_id:
                    target.addAction(
                        paths.get(code.id, code.name),
                        partial(coding.recode, [segment.id], code.id),
                    )
        menu.addAction(
            "Write memo on this segment…",
            partial(window.memos_dock.start_memo, "segment", here[0].id),
        )
    menu.addSeparator()
    menu.addAction(window.commands["memo"])
    copy = menu.addAction("&Copy", window.panel.view.copy)
    copy.setEnabled(has_selection)
    return menu
