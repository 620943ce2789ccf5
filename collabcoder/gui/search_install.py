"""Where the Search dock goes in the main window: beside Segments, with its Analyse commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from .search_dock import SearchDock
from .shell import MENUS

if TYPE_CHECKING:
    from .shell import Shell


def install_search(window: Shell) -> SearchDock:
    """Add the Search dock beside the Segments dock and its commands to the Analyse menu."""
    dock = SearchDock(window.bridge, window.report, window.widget)
    window.add_dock(dock, "segments", tabbed=True)
    dock.hit_activated.connect(window.jump_to)
    dock.segments_requested.connect(window.list_segments)
    dock.current_code = window.current_code
    search = QAction("&Search…", window.widget)
    search.setShortcut(QKeySequence("Ctrl+Shift+F"))
    search.setToolTip("Find words in every document; code what you find")
    search.triggered.connect(lambda: dock.open())
    coding = QAction("Coding &query…", window.widget)
    coding.setToolTip("Combine codes with AND, OR, NOT, OVERLAPS, NEAR…")
    coding.triggered.connect(lambda: dock.open(coding=True))
    headings = QAction("Code by &heading…", window.widget)
    headings.setToolTip("Code the section under each heading that holds some words")
    headings.triggered.connect(lambda: dock.open(headings=True))
    analyse = window.menu("analyse")
    first = analyse.actions()[0] if analyse.actions() else None
    analyse.insertActions(first, [search, coding, headings])  # type: ignore[arg-type]
    analyse.insertSeparator(first)  # type: ignore[arg-type]
    window.add_shortcuts([search, coding, headings])
    for name, action in (("search", search), ("coding_query", coding), ("code_headings", headings)):
        window.commands.register(name, action, MENUS["analyse"])  # in Help > Keyboard shortcuts
    dock.search_action, dock.coding_action, dock.headings_action = search, coding, headings
    return dock
