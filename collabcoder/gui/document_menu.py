"""The document view's context menu: every coding command for the selection or cursor."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

from .code_menu import fill_code_menu

if TYPE_CHECKING:
    from .coding import CodingController
    from .shell import Shell


def build_document_menu(window: Shell) -> QMenu:
    """Code with any code, uncode or recode what is here, write a memo, copy."""
    menu = QMenu(window.widget)
    coding = window.coding
    bridge = window.bridge
    has_selection = window.document_view.selection_range() is not None
    code_with = menu.addMenu("Code &with")
    code_with.setEnabled(has_selection)
    paths = bridge.paths()
    favourites = window.favourite_codes()
    fill_code_menu(
        code_with,
        bridge.codes(),
        paths,
        partial(_code_with, coding),
        recent=coding.recent_codes,
        favourites=favourites,
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
            fill_code_menu(
                target,
                bridge.codes(),
                paths,
                partial(_recode, coding, segment.id),
                recent=coding.recent_codes,
                skip=segment.code_id,
            )
        menu.addAction(
            "Write memo on this segment…",
            partial(window.start_memo, "segment", here[0].id),
        )
    menu.addSeparator()
    menu.addAction(window.commands["memo"])
    copy = menu.addAction("&Copy", window.document_view.copy)
    copy.setEnabled(has_selection)
    return menu


def _code_with(coding: CodingController, code_id: int) -> None:
    coding.code_selection(code_id, how="Code (menu)")


def _recode(coding: CodingController, segment_id: int, code_id: int) -> None:
    coding.recode([segment_id], code_id)
