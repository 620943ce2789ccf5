"""File menu work on whole projects: new, open (file, recent, team), import files, REFI-QDA.

Kept apart from the main window so the window only lays out docks and routes commands; each
handler here talks to the window through its public methods (set_project, bridge.ops, report...).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox

from collabcoder.core.errors import CollabCoderError, ProjectInUse
from collabcoder.core.presence import Presence
from collabcoder.core.project import Project
from collabcoder.core.storage import is_url

from .import_files import ImportDialog, Preview, file_filter, files_in, preview_files
from .refi_actions import RefiActions
from .report_export import ReportActions
from .team import TeamProjectDialog

if TYPE_CHECKING:
    from collabcoder.io.batch import BatchResult

    from .shell import Shell


class ProjectActions:
    """The handlers behind the File menu's project commands for one main window."""

    def __init__(self, window: Shell) -> None:
        self.window = window
        self.refi = RefiActions(window)
        self.reports = ReportActions(window)
        self.import_preview: ImportDialog | None = None  # the last preview shown
        self.presence: Presence | None = None  # this window's claim on its project file

    def handlers(self) -> dict[str, Callable[..., Any]]:
        return {
            "new": self.new_project,
            "open": self.open_project_dialog,
            "import": self.import_dialog,
            "import_folder": self.import_folder_dialog,
            "open_team": self.open_team_dialog,
            "import_qdpx": self.refi.import_dialog,
            "export_qdpx": self.refi.export_dialog,
            "export_report": self.reports.export_dialog,
        }

    # -- opening and creating ---------------------------------------------------------------------
    def open_location(self, location: str) -> bool:
        try:
            project = Project.open(location, coder=self.window.coder)
            presence = Presence.claim(location, self.window.coder)
        except ProjectInUse as busy:
            project.close()
            choice = self.ask_in_use(str(busy))
            if choice is None:
                return False
            presence = None
            try:
                project = Project.open(location, coder=self.window.coder, read_only=choice)
            except CollabCoderError as error:
                self.window.show_error(f"Could not open {location}", str(error))
                return False
        except CollabCoderError as error:
            self.window.show_error(f"Could not open {location}", str(error))
            return False
        self._hold(presence)
        self.window.set_project(project)
        return True

    def ask_in_use(self, message: str) -> bool | None:
        """Another window has the project: True to open it read-only, False to work alongside
        (writes are shared through the file and the views refresh), None to cancel."""
        box = QMessageBox(
            QMessageBox.Icon.Question, "Project already open", message, parent=self.window.widget
        )
        box.setInformativeText(
            "Open it read-only to look without changing anything, or work alongside: both "
            "windows can code, and each sees the other's changes within seconds."
        )
        read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
        alongside = box.addButton("Work alongside", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return True if clicked is read_only else False if clicked is alongside else None

    def release(self) -> None:
        """Give up this window's claim on its project (the window is closing)."""
        self._hold(None)

    def _hold(self, presence: Presence | None) -> None:
        """Keep this window's claim on its project; the previous project's claim is released."""
        if self.presence is not None:
            self.presence.release()
        self.presence = presence

    def create_project(self, location: str) -> bool:
        from collabcoder.io.refi.default_codebook import load_default_codebook

        try:
            project = Project.create(
                location, coder=self.window.coder, codebook=load_default_codebook()
            )
        except CollabCoderError as error:
            self.window.show_error(f"Could not create {location}", str(error))
            return False
        self._hold(Presence.claim(location, self.window.coder))
        self.window.set_project(project)
        return True

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window.widget, "New project", "", "CollabCoder projects (*.ccproj)"
        )
        if path:
            self.create_project(path if path.endswith(".ccproj") else path + ".ccproj")

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window.widget, "Open project", "", "CollabCoder projects (*.ccproj);;All files (*)"
        )
        if path:
            self.open_location(path)

    def fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        recent = self.window.settings.recent()
        for location in recent:
            menu.addAction(location, partial(self.open_recent, location))
        menu.setEnabled(True)
        if not recent:
            menu.addAction("(none yet)").setEnabled(False)

    # -- team projects ---------------------------------------------------------------------------
    def open_team_dialog(self, url: str = "") -> None:
        dialog = TeamProjectDialog(self.window.widget, url)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.open_location(dialog.location())

    def open_recent(self, location: str) -> None:
        # A team project's password is never remembered: ask for it unless the environment has it.
        if is_url(location) and not os.environ.get("PGPASSWORD"):
            self.open_team_dialog(location)
        else:
            self.open_location(location)

    # -- importing files --------------------------------------------------------------------------
    def import_dialog(self) -> None:
        if self._need_project():
            names, _ = QFileDialog.getOpenFileNames(
                self.window.widget, "Import files", "", file_filter()
            )
            self.preview([Path(n) for n in names])

    def import_folder_dialog(self) -> None:
        if self._need_project():
            folder = QFileDialog.getExistingDirectory(
                self.window.widget, "Import every file in a folder"
            )
            if folder:
                self.preview(files_in(Path(folder)), empty=f"No readable files in {folder}.")

    def _need_project(self) -> bool:
        if self.window.bridge.project is None:
            self.window.report("Open or create a project first.")
            return False
        return True

    def preview(self, paths: list[Path], empty: str = "") -> None:
        """Read ``paths`` on the worker, then show what each holds before importing anything."""
        if not paths:
            if empty:
                self.window.report(empty)
            return
        if self._need_project():
            self.window.bridge.ops.run_long(
                self.window.widget,
                "Reading files",
                lambda work: preview_files(paths, work.progress, work.cancel),
                self._show_preview,
                write=False,
            )

    def _show_preview(self, preview: Preview) -> None:
        project = self.window.bridge.project
        if project is None or preview.cancelled:
            return
        cases = [case.name for case in project.cases.list()]
        dialog = ImportDialog(preview, cases, self.window.widget)
        dialog.accepted.connect(lambda: self._import(dialog))
        self.import_preview = dialog
        dialog.open()

    def _import(self, dialog: ImportDialog) -> None:
        self.import_paths(dialog.importable(), dialog.chosen_kind(), dialog.chosen_case())

    def import_paths(
        self, paths: list[Path], kind: str | None = None, case: str | None = None
    ) -> None:
        """Import ``paths`` into the open project on the worker (one transaction per file)."""
        from collabcoder.io.batch import import_files

        project = self.window.bridge.require()
        self.window.bridge.ops.run_long(
            self.window.widget,
            "Importing files",
            lambda work: import_files(
                project, paths, kind=kind, case=case, progress=work.progress, cancel=work.cancel
            ),
            self._imported,
        )

    def _imported(self, result: BatchResult) -> None:
        window = self.window
        skipped = (
            f", skipped {len(result.skipped)} already in the project" if result.skipped else ""
        )
        stopped = " (cancelled: the files listed were imported whole)" if result.cancelled else ""
        window.report(f"Imported {len(result.imported)} file(s){skipped}{stopped}.")
        if result.failed:
            window.show_error(
                "Some files were not imported", "\n".join(p.reason for p in result.failed)
            )
        if result.stopped and result.stopped != "interrupted":
            went_in = ", ".join(Path(item.path).name for item in result.imported) or "none"
            left = ", ".join(Path(path).name for path in result.not_imported)
            window.show_error(
                "The import stopped",
                f"{result.stopped}\n\nImported: {went_in}\nNot imported: {left}",
            )
        if result.imported and window.current_document() is None:
            window.open_document(result.imported[0].document_id)
