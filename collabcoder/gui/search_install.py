"""Where the Search dock goes in the main window: beside Segments, with its Analyse commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from .search_dock import SearchDock

if TYPE_CHECKING:
    from .main_window import MainWindow


def install_search(window: MainWindow) -> SearchDock:
    """Add the Search dock beside the Segments dock and its commands to the Analyse menu."""
    dock = SearchDock(window.bridge, window.report, window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.tabifyDockWidget(window.segments_dock, dock)
    window.segments_dock.raise_()
    dock.hit_activated.connect(window.jump_to)
    dock.segments_requested.connect(window.segments_dock.show_segments)
    dock.current_code = window.codebook_dock.current_code
    menus = {a.text().replace("&", ""): cast(QMenu, a.menu()) for a in window.menuBar().actions()}
    search = QAction("&Search…", window)
    search.setShortcut(QKeySequence("Ctrl+Shift+F"))
    search.setToolTip("Find words in every document; code what you find")
    search.triggered.connect(lambda: dock.open())
    coding = QAction("Coding &query…", window)
    coding.setToolTip("Combine codes with AND, OR, NOT, OVERLAPS, NEAR…")
    coding.triggered.connect(lambda: dock.open(coding=True))
    headings = QAction("Code by &heading…", window)
    headings.setToolTip("Code the section under each heading that holds some words")
    headings.triggered.connect(lambda: dock.open(headings=True))
    analyse = menus["Analyse"]
    first = analyse.actions()[0] if analyse.actions() else None
    analyse.insertActions(first, [search, coding, headings])  # type: ignore[arg-type]
    analyse.insertSeparator(first)  # type: ignore[arg-type]
    window.addActions([search, coding, headings])
    for name, action in (("search", search), ("coding_query", coding), ("code_headings", headings)):
        window.commands.register(name, action, "Analyse")  # listed in Help > Keyboard shortcuts
    menus["View"].insertAction(window.memos_dock.toggleViewAction(), dock.toggleViewAction())
    dock.search_action, dock.coding_action, dock.headings_action = search, coding, headings
    return dock
