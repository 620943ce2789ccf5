"""What gui modules may ask of the main window: the ``Shell`` protocol.

Docks, analysis windows, dialogs and command modules take a ``Shell``, not the concrete
``MainWindow``: they reach the window's docks only through the small methods here, find a menu by
its stable key (``shell.menu("code")``), never by its visible text, and register every command in
``shell.commands``. ``MainWindow`` builds the docks, does the wiring and satisfies this protocol
(mypy checks it there); only the launcher and the screenshot tool import ``main_window`` (an
import-linter contract in ``pyproject.toml``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

    from collabcoder.core.project import Project

    from .actions import ActionRegistry
    from .coding import CodingController
    from .document_view import DocumentView
    from .project_bridge import ProjectBridge
    from .settings import AppSettings
    from .synthesis_snapshot import SynthesisSnapshot

# The menu bar's menus by key (what modules ask for) and title (what people see).
MENUS = {
    "file": "File",
    "edit": "Edit",
    "code": "Code",
    "project": "Project",
    "view": "View",
    "analyse": "Analyse",
    "help": "Help",
}


class Shell(Protocol):
    """The main window as the modules around it see it."""

    bridge: ProjectBridge  # the open project, its changes and the op runner
    commands: ActionRegistry  # every command by name
    coding: CodingController  # coding in the open document
    settings: AppSettings
    coder: str  # the name this window codes under

    @property
    def widget(self) -> QWidget:
        """The parent of dialogs, analysis windows and actions (the main window itself)."""
        ...

    @property
    def snapshot(self) -> SynthesisSnapshot:
        """The synthesis snapshot the analysis windows share."""
        ...

    @property
    def document_view(self) -> DocumentView:
        """The view of the open document."""
        ...

    # -- menus, docks, keys -----------------------------------------------------------------------
    def menu(self, key: str) -> QMenu:
        """The menu bar's menu under ``key`` (a key of ``MENUS``)."""
        ...

    def add_dock(self, dock: QDockWidget, beside: str, *, tabbed: bool) -> None:
        """Place ``dock`` with the dock named ``beside`` ("cases", "codebook", "segments",
        "memos"): as a tab behind it, or below it; its toggle joins the View menu's."""
        ...

    def add_shortcuts(self, actions: Sequence[QAction]) -> None:
        """Make the actions' keys work anywhere in the main window."""
        ...

    # -- the open document and the docks around it -----------------------------------------------
    def current_document(self) -> int | None: ...

    def open_document(self, document_id: int) -> None: ...

    def jump_to(self, document_id: int, start: int, end: int) -> None:
        """Open the document and select ``start:end`` in it."""
        ...

    def current_code(self) -> int | None:
        """The code chosen in the Codebook dock."""
        ...

    def favourite_codes(self) -> Sequence[int]:
        """The codes on keys 1 to 9, in order (-1 for a free key)."""
        ...

    def selected_segment_ids(self) -> list[int]:
        """The segments selected in the Segments dock."""
        ...

    def show_segments(self, code_ids: list[int], case_id: int) -> None:
        """List the segments of ``code_ids`` in one case's documents in the Segments dock and
        bring the main window forward."""
        ...

    def list_segments(self, segment_ids: list[int], label: str) -> None:
        """List only ``segment_ids`` (the coding of search results) in the Segments dock, as a
        chip named ``label``."""
        ...

    def start_memo(self, kind: str, target_id: int | None) -> None:
        """Begin a memo on a target in the Memos dock."""
        ...

    # -- projects ---------------------------------------------------------------------------------
    def set_project(self, project: Project | None) -> None: ...

    def open_location(self, location: str, then: Callable[[bool], None] | None = None) -> None:
        """Open the project at ``location`` in this window on the op runner; ``then(True)`` once
        it is shown, ``then(False)`` if it was not."""
        ...

    def show_opening(self, label: str | None) -> None:
        """Say what is being opened ("Opening sample.ccproj…") until ``label`` is None."""
        ...

    # -- messages ---------------------------------------------------------------------------------
    def report(self, message: str) -> None:
        """A status bar line."""
        ...

    def show_error(self, title: str, message: str) -> None: ...

    def show_saved(self, path: Path) -> None:
        """Tell where an export was saved, with links to open it."""
        ...
