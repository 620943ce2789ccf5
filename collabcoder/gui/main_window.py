"""The main window: menus, docks around the document, the coder in the status bar."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

from collabcoder.core.changes import Changes
from collabcoder.core.errors import CollabCoderError
from collabcoder.core.project import Project

from .actions import SPECS, build_actions, shortcut_rows
from .analysis_actions import AnalysisActions
from .auto_train import AutoTrainer
from .cases_dock import CasesDock
from .codebook_dock import CodebookDock
from .codebook_editing import install_codebook_editing
from .coding import CodingController
from .coding_commands import CodingCommands
from .document_panel import NO_DOCUMENT, DocumentPanel
from .document_view import DocumentView
from .export_files import show_saved as show_saved_notice
from .help_dialog import ShortcutsDialog, show_about
from .import_files import FileDropFilter
from .memos_dock import MemosDock, Target
from .project_actions import ProjectActions
from .project_bridge import ProjectBridge
from .screen_fit import fit_window, keep_on_screen
from .search_install import install_search
from .segments_dock import SegmentsDock
from .settings import AppSettings
from .shell import MENUS
from .speakers_dialog import install_speakers
from .style import app_icon
from .suggestions_dock import install_suggestions
from .synthesis_snapshot import SynthesisSnapshot
from .team import RemotePoller
from .team_dialog import coder_caption, show_team_dialog

if TYPE_CHECKING:
    from .shell import Shell

AskCoder = Callable[[QWidget], str | None]
# (share of the window, least, most) in pixels for the left and right docks.
DOCK_WIDTHS = ((0.16, 180, 290), (0.19, 220, 360))


def ask_coder_name(parent: QWidget) -> str | None:
    """Ask, once, who is coding on this computer."""
    name, ok = QInputDialog.getText(
        parent,
        "Who is coding?",
        "Your name as a coder (recorded with every segment and memo):",
        text=getpass.getuser(),
    )
    return name.strip() if ok and name.strip() else None


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: AppSettings | None = None,
        coder: str | None = None,
        ask_coder: AskCoder = ask_coder_name,
    ) -> None:
        super().__init__()
        self.settings = settings or AppSettings()
        self.coder = coder or self.settings.coder or ask_coder(self) or getpass.getuser()
        if not self.settings.coder:
            self.settings.coder = self.coder
        self.setWindowIcon(app_icon())
        self.setObjectName("mainWindow")
        self.bridge = ProjectBridge(self)
        self.panel = DocumentPanel(self)
        self.setCentralWidget(self.panel)
        self.coding = CodingController(self.bridge, self.panel.view, self.report, self)
        self.cases_dock = CasesDock(self.bridge, self.report, self)
        self.codebook_dock = CodebookDock(self.bridge, self.settings, self)
        self.segments_dock = SegmentsDock(self.bridge, self)
        self.coding_commands = CodingCommands(self, self.panel, self.codebook_dock)
        self.memos_dock = MemosDock(self.bridge, self.memo_targets, self.report, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.cases_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.codebook_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.segments_dock)
        self.tabifyDockWidget(self.cases_dock, self.memos_dock)
        self.cases_dock.raise_()
        shell: Shell = self  # what the modules below get: mypy proves the window is a Shell
        self.files = ProjectActions(shell)
        self.analysis = AnalysisActions(shell)
        self.commands = build_actions(self, self._handlers())
        self.commands.register("copy_quotes", self.segments_dock.copy_action, "Segments")
        self._build_menus()
        self.codebook_editor = install_codebook_editing(shell, self.codebook_dock)
        self.suggestions_dock = install_suggestions(shell)
        self.search_dock = install_search(shell)
        self.speakers_action = install_speakers(shell)
        self.auto_train = AutoTrainer(shell)
        self.coder_label = QLabel(f"Coder: {self.coder}", self)
        self.coder_label.setAccessibleName("Current coder")
        self.blind_label = QLabel("", self)
        self.statusBar().addPermanentWidget(self.blind_label)
        self.statusBar().addPermanentWidget(self.coder_label)
        self.remote = RemotePoller(self.bridge, self)
        self.remote.failed.connect(self.report)
        self.file_drops = FileDropFilter(self.files.preview, self)
        self.file_drops.watch(self.cases_dock)
        self.file_drops.watch(self.cases_dock.documents.viewport())
        self._connect()
        self._restore_layout()
        self._update_undo_actions()
        self._update_title()

    # -- building ----------------------------------------------------------------------------------
    def _handlers(self) -> dict[str, Callable[..., Any]]:
        view, commands = self.panel.view, self.coding_commands
        return {
            **self.files.handlers(),
            **self.analysis.handlers(),
            "quit": self.close,
            "undo": self.undo,
            "redo": self.redo,
            "find": self.panel.find_bar.open,
            "find_next": self.panel.find_bar.find_next,
            "find_previous": self.panel.find_bar.find_previous,
            "code": lambda: commands.with_current_code(self.coding.code_selection),
            "quick_code": commands.focus_quick_code,
            "whole_turn": lambda: commands.with_current_code(self.coding.code_whole_turn),
            "sentences": lambda: commands.with_current_code(self.coding.code_sentences),
            "in_vivo": self.coding.code_in_vivo,
            "uncode": self.coding.uncode,
            "recode": commands.recode_dialog,
            "memo": commands.memo_here,
            "focus_document": view.setFocus,
            "focus_cases": lambda: self._focus_dock(self.cases_dock),
            "focus_codebook": lambda: self._focus_dock(self.codebook_dock),
            "focus_segments": lambda: self._focus_dock(self.segments_dock),
            "focus_memos": lambda: self._focus_dock(self.memos_dock),
            "only_mine": self.set_blind,
            "team": lambda: show_team_dialog(self),
            "shortcuts": self.show_shortcuts,
            "about": lambda: show_about(self),
        }

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus = menus = {key: bar.addMenu(f"&{title}") for key, title in MENUS.items()}
        self.recent_menu = menus["file"].addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(lambda: self.files.fill_recent(self.recent_menu))
        view_menu = menus["view"]
        for dock in (self.cases_dock, self.codebook_dock, self.segments_dock, self.memos_dock):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        for spec in SPECS:
            menus[spec.menu].addAction(self.commands[spec.name])
            if spec.name in ("open", "export_report", "redo", "memo"):
                menus[spec.menu].addSeparator()
        # Open recent sits after Open.
        file_menu = menus["file"]
        file_menu.removeAction(self.recent_menu.menuAction())
        file_menu.insertMenu(self.commands["import"], self.recent_menu)
        self.coders_menu = view_menu.addMenu("Show &coders")
        self.coders_menu.aboutToShow.connect(self._fill_coders)
        self.addActions(list(self.commands.values()))

    def _connect(self) -> None:
        view = self.panel.view
        self.bridge.changed.connect(self._on_changes)
        self.bridge.ops.failed.connect(self._op_failed)
        self.bridge.project_replaced.connect(self._project_replaced)
        self.cases_dock.document_chosen.connect(self.open_document)
        self.codebook_dock.codes_selected.connect(self.segments_dock.show_codes)
        self.codebook_dock.current_changed.connect(self.coding_commands.show_current_code)
        self.panel.current_code.cleared.connect(self.codebook_dock.clear_current)
        self.segments_dock.clear_codes.connect(self.codebook_dock.clear_current)
        self.codebook_dock.memo_requested.connect(lambda c: self.memos_dock.start_memo("code", c))
        self.codebook_dock.model.span_dropped.connect(self.coding_commands.span_dropped)
        self.segments_dock.segment_activated.connect(self.jump_to)
        self.panel.quick_code.code_chosen.connect(
            lambda c: self.coding.code_selection(c, how="Quick code")
        )
        self.panel.quick_code.nothing_matched.connect(
            lambda typed: self.report(f"No code name holds “{typed}”.")
        )
        self.panel.stripes.segment_clicked.connect(self.coding.select_segment)
        view.favourite_key.connect(self.coding_commands.code_favourite)
        view.customContextMenuRequested.connect(self.coding_commands.document_menu)

    # -- projects ----------------------------------------------------------------------------------
    def set_project(self, project: Project | None) -> None:
        self.coding.open_document(None)
        self.panel.title.setText(NO_DOCUMENT)
        self.bridge.set_project(project)
        if project is not None:
            self.settings.add_recent(project.location)
            documents = self.bridge.documents()
            if documents:
                self.open_document(documents[0].id)

    def open_location(self, location: str, then: Callable[[bool], None] | None = None) -> None:
        """Open the project at ``location`` (a .ccproj path or a database URL) in this window, on
        the op runner; ``then(True)`` once it is shown, ``then(False)`` if it was not."""
        self.files.open_location(location, then)

    def open_and_wait(self, location: str) -> bool:
        """Open ``location`` and return once it is shown (True) or refused (False), the events
        running meanwhile: for scripts that drive the window (screenshots, benchmarks)."""
        outcome: list[bool] = []
        loop = QEventLoop()

        def then(shown: bool) -> None:
            outcome.append(shown)
            loop.quit()

        self.open_location(location, then)
        if not outcome:
            loop.exec()
        return outcome[0]

    def show_opening(self, label: str | None) -> None:
        """Say what is being opened ("Opening sample.ccproj…") until ``label`` is None."""
        if label is None:
            self.statusBar().clearMessage()
            if self.bridge.project is None:
                self.panel.title.setText(NO_DOCUMENT)
            self._update_title()
            return
        self.statusBar().showMessage(f"{label}…")
        if self.bridge.project is None:  # the empty window says what it is waiting for
            self.panel.title.setText(f"{label}…")
        self.setWindowTitle(f"{label}… — CollabCoder")

    # -- long work ---------------------------------------------------------------------------------
    def _op_failed(self, label: str, error: BaseException) -> None:
        if isinstance(error, CollabCoderError):
            self.report(str(error))  # the step was refused and changed nothing
        else:
            self.show_error(f"{label} failed", str(error) or type(error).__name__)

    # -- documents and navigation ------------------------------------------------------------------
    def open_document(self, document_id: int) -> None:
        project = self.bridge.require()
        document = project.documents.get(document_id)
        self.coding.open_document(document_id)
        self.panel.show_title(document)

    def jump_to(self, document_id: int, start: int, end: int) -> None:
        """Show ``start:end`` of a document selected in the text."""
        if self.panel.view.document_id != document_id:
            self.open_document(document_id)
        self.panel.view.select_range(start, end)
        self.panel.view.setFocus()

    # -- focus -------------------------------------------------------------------------------------
    def _focus_dock(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()
        dock.widget().setFocus()
        focusable = dock.widget().findChildren(QWidget)
        target = next((w for w in focusable if w.focusPolicy() != Qt.FocusPolicy.NoFocus), None)
        if target is not None:
            target.setFocus()

    def memo_targets(self) -> list[Target]:
        """What a new memo can be written on, from the most specific to the project."""
        return self.coding_commands.memo_targets()

    # -- undo / redo -------------------------------------------------------------------------------
    def undo(self) -> None:
        self._step("Undo", lambda p: p.undo())

    def redo(self) -> None:
        self._step("Redo", lambda p: p.redo())

    def _step(self, verb: str, act: Callable[[Project], Changes]) -> None:
        # On the writer thread, after any op in flight: the undo stack is touched there only.
        if self.bridge.project is not None:
            self.bridge.ops.run_op(verb, act, self._stepped)

    def _stepped(self, changes: Changes) -> None:
        # The core moves its stacks after broadcasting, so relabel the actions now.
        self._update_undo_actions()
        self.report(f"{changes.source.title()}: {changes.label}")

    def _update_undo_actions(self) -> None:
        project = self.bridge.project
        undo_label = project.undo_label if project else None
        redo_label = project.redo_label if project else None
        self.commands["undo"].setText(f"&Undo {undo_label}" if undo_label else "&Undo")
        self.commands["undo"].setEnabled(undo_label is not None)
        self.commands["redo"].setText(f"&Redo {redo_label}" if redo_label else "&Redo")
        self.commands["redo"].setEnabled(redo_label is not None)

    # -- team --------------------------------------------------------------------------------------
    def set_blind(self, on: bool) -> None:
        self.bridge.visibility.set_only_mine(on)
        if self.commands["only_mine"].isChecked() != on:
            self.commands["only_mine"].setChecked(on)
        self.blind_label.setText("Blind coding: only your segments are shown" if on else "")

    def _fill_coders(self) -> None:
        self.coders_menu.clear()
        visibility = self.bridge.visibility
        for coder in self.bridge.coders():
            action = QAction(coder.name, self.coders_menu)
            action.setCheckable(True)
            action.setChecked(coder.id not in visibility.hidden)
            action.setEnabled(not visibility.only_mine)
            action.toggled.connect(partial(self._show_coder, coder.id))
            self.coders_menu.addAction(action)

    def _show_coder(self, coder_id: int, shown: bool) -> None:
        self.bridge.visibility.set_hidden(coder_id, not shown)

    # -- reacting ----------------------------------------------------------------------------------
    def _on_changes(self, changes: Changes) -> None:
        self._update_undo_actions()
        if changes.touched("codes"):
            self.panel.quick_code.set_codes(self.bridge.paths())
            self.coding_commands.show_current_code()
        if changes.touched("project"):
            self._update_title()

    def _project_replaced(self) -> None:
        self.panel.quick_code.set_codes(self.bridge.paths() if self.bridge.project else {})
        self.coding_commands.show_current_code()
        self.set_blind(False)
        self.coder_label.setText(coder_caption(self.bridge.project, self.coder))
        self._update_undo_actions()
        self._update_title()

    def _update_title(self) -> None:
        project = self.bridge.project
        self.setWindowTitle(f"{project.name} — CollabCoder" if project else "CollabCoder")

    # -- messages ----------------------------------------------------------------------------------
    def report(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def show_error(self, title: str, message: str) -> None:
        self.report(message.splitlines()[0] if message else title)
        QMessageBox.warning(self, title, message)

    def show_saved(self, path: Path) -> None:
        show_saved_notice(self, path)

    def show_shortcuts(self) -> None:
        # Not modal: the list can stay open beside the work.
        self.shortcuts_dialog = ShortcutsDialog(shortcut_rows(self.commands), self)
        self.shortcuts_dialog.open()

    # -- the Shell: what the modules around the window may ask of it ----------------------------
    @property
    def widget(self) -> QWidget:
        return self

    @property
    def snapshot(self) -> SynthesisSnapshot:
        return self.analysis.snapshot

    @property
    def document_view(self) -> DocumentView:
        return self.panel.view

    def menu(self, key: str) -> QMenu:
        return self._menus[key]

    def add_dock(self, dock: QDockWidget, beside: str, *, tabbed: bool) -> None:
        docks = {"cases": self.cases_dock, "codebook": self.codebook_dock,
                 "segments": self.segments_dock, "memos": self.memos_dock}  # fmt: skip
        anchor = docks[beside]
        self.addDockWidget(self.dockWidgetArea(anchor), dock)
        if tabbed:
            self.tabifyDockWidget(anchor, dock)
            anchor.raise_()  # the dock it joins stays in front
        else:
            self.splitDockWidget(anchor, dock, Qt.Orientation.Vertical)
        self.menu("view").insertAction(self.memos_dock.toggleViewAction(), dock.toggleViewAction())

    def add_shortcuts(self, actions: Sequence[QAction]) -> None:
        self.addActions(list(actions))

    def current_document(self) -> int | None:
        return self.panel.view.document_id

    def current_code(self) -> int | None:
        return self.codebook_dock.current_code()

    def favourite_codes(self) -> Sequence[int]:
        return self.codebook_dock.model.favourites

    def selected_segment_ids(self) -> list[int]:
        return [row.segment.id for row in self.segments_dock.selected_rows()]

    def show_segments(self, code_ids: list[int], case_id: int) -> None:
        self.segments_dock.show_cell(code_ids, case_id)
        self.raise_()
        self.activateWindow()

    def list_segments(self, segment_ids: list[int], label: str) -> None:
        self.segments_dock.show_segments(segment_ids, label)

    def start_memo(self, kind: str, target_id: int | None) -> None:
        self.memos_dock.start_memo(kind, target_id)

    # -- layout ------------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry, state = self.settings.window_state()
        if geometry is None or not self.restoreGeometry(geometry):
            fit_window(self, 1400, 900, grow=0.85)  # a large screen gives the text more room
        keep_on_screen(self)  # a layout saved on a larger screen still fits this one
        if state is None or not self.restoreState(state):
            self.size_docks()

    def size_docks(self) -> None:
        """Give the docks a share of the window so the document keeps most of the width."""
        width, height = self.width(), self.height()
        side = [min(max(int(width * share), low), high) for share, low, high in DOCK_WIDTHS]
        self.resizeDocks([self.cases_dock, self.codebook_dock], side, Qt.Orientation.Horizontal)
        bottom = min(max(int(height * 0.25), 140), 250)
        self.resizeDocks([self.segments_dock], [bottom], Qt.Orientation.Vertical)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_window_state(self.saveGeometry(), self.saveState())
        self.settings.sync()
        self.bridge.set_project(None)
        self.files.release()  # a window opened later in this process is not told "in use"
        super().closeEvent(event)
