"""The "Code with" menu: recent and favourite codes first, then the codebook nested as its tree
(a parent's submenu offers the parent itself first), so 85 codes never run off the screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QMenu

from collabcoder.core.records import CodeRecord


def fill_code_menu(
    menu: QMenu,
    codes: Sequence[CodeRecord],
    paths: dict[int, str],
    apply: Callable[[int], object],
    recent: Sequence[int] = (),
    favourites: Sequence[int] = (),
    skip: int | None = None,
) -> None:
    """Add recent codes, favourites (with their number key) and the nested tree to ``menu``;
    choosing one calls ``apply(code_id)``. ``skip`` leaves one code out (recode's own code)."""
    by_id = {c.id: c for c in codes}
    icons: dict[str, QIcon] = {}

    def add(target: QMenu, code: CodeRecord, text: str) -> None:
        action = target.addAction(_swatch(icons, code.colour), text, partial(apply, code.id))
        action.setToolTip(paths.get(code.id, code.name))
        action.setData(code.id)

    listed_recent = [i for i in recent if i in by_id and i != skip]
    if listed_recent:
        menu.addSection("Recent")
        for code_id in listed_recent:
            add(menu, by_id[code_id], paths.get(code_id, by_id[code_id].name))
    keyed = [(n, i) for n, i in enumerate(favourites, start=1) if i in by_id and i != skip]
    if keyed:
        menu.addSection("Favourites")
        for key, code_id in keyed:
            add(menu, by_id[code_id], f"&{key}  {paths.get(code_id, by_id[code_id].name)}")
    if listed_recent or keyed:
        menu.addSection("All codes")
    children: dict[int | None, list[CodeRecord]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)

    def branch(target: QMenu, parent_id: int | None) -> None:
        for code in children.get(parent_id, []):
            below = children.get(code.id)
            if below:
                sub = target.addMenu(_swatch(icons, code.colour), _escape(code.name))
                if code.id != skip:
                    add(sub, code, f"{_escape(code.name)} (this code)")
                    sub.addSeparator()
                branch(sub, code.id)
            elif code.id != skip:
                add(target, code, _escape(code.name))

    branch(menu, None)


def _escape(name: str) -> str:
    return name.replace("&", "&&")  # a menu reads "&" as the mnemonic marker


def _swatch(icons: dict[str, QIcon], colour: str) -> QIcon:
    if colour not in icons:
        pixmap = QPixmap(10, 10)
        pixmap.fill(QColor(colour) if QColor.isValidColorName(colour) else QColor("grey"))
        icons[colour] = QIcon(pixmap)
    return icons[colour]
