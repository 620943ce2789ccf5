"""File > Import / Export REFI-QDA project (.qdpx) on the worker, then the fidelity report.

The report says what was carried (documents, codes, cases, segments, memos...) and everything
that could not be, with the reason, so nothing is lost without the researcher seeing it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.errors import Cancelled

if TYPE_CHECKING:
    from collabcoder.io.refi.fidelity import FidelityReport

    from .refi_positions_dialog import PositionsDialog
    from .shell import Shell

QDPX_FILTER = "REFI-QDA projects (*.qdpx *.qde);;All files (*)"


class FidelityDialog(QDialog):
    """The report of one import or export, as readable lines."""

    def __init__(self, report: FidelityReport, parent: QWidget) -> None:
        super().__init__(parent)
        verb = "Import" if report.direction == "import" else "Export"
        self.setWindowTitle(f"REFI-QDA {verb.lower()}: what was carried")
        self.setAccessibleName(f"REFI-QDA {verb.lower()} report")
        if report.lossless:
            headline = f"{verb} complete: everything was carried."
        else:
            headline = (
                f"{verb} complete, with {len(report.warnings)} warning(s) and "
                f"{len(report.not_carried)} item(s) that could not be carried (listed below)."
            )
        self.headline = QLabel(headline, self)
        self.headline.setWordWrap(True)
        self.text = QPlainTextEdit("\n".join(report.lines()), self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Fidelity report")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(720, 400)


class RefiActions:
    """The handlers behind File > Import / Export REFI-QDA project for one main window."""

    def __init__(self, window: Shell) -> None:
        self.window = window
        self.report_dialog: FidelityDialog | None = None  # the last report shown
        self.positions_dialog: PositionsDialog | None = None  # the last position choice asked

    # -- export -----------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        if self.window.bridge.project is None:
            self.window.report("Open a project first.")
            return
        path, _ = QFileDialog.getSaveFileName(
            self.window.widget, "Export REFI-QDA project", "", "REFI-QDA projects (*.qdpx)"
        )
        if path:
            self.export_to(Path(path if path.endswith(".qdpx") else path + ".qdpx"))

    def export_to(self, path: Path) -> None:
        """Write the open project to ``path`` on the worker, then show the report."""
        from collabcoder.io.refi.project_export import export_qdpx

        project = self.window.bridge.require()
        self.window.bridge.ops.run_long(
            self.window.widget,
            "Exporting REFI-QDA project",
            lambda work: export_qdpx(project, path, progress=work.progress, cancel=work.cancel),
            self.show_report,
            write=False,
        )

    # -- import -----------------------------------------------------------------------------------
    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window.widget, "Import REFI-QDA project", "", QDPX_FILTER
        )
        if not path:
            return
        if self.window.bridge.project is not None and self._merge_wanted():
            self.merge_from(Path(path))
            return
        target, _ = QFileDialog.getSaveFileName(
            self.window.widget,
            "Save the imported project as",
            str(Path(path).with_suffix(".ccproj")),
            "CollabCoder projects (*.ccproj)",
        )
        if target:
            self.import_as_new(Path(path), Path(target).with_suffix(".ccproj"))

    def _merge_wanted(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Import REFI-QDA project",
            "Merge the file into the open project (matching codes, documents and cases by "
            "their GUIDs), or import it as a new project?",
            parent=self.window.widget,
        )
        merge = box.addButton("Merge into open project", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("New project…", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is merge

    def merge_from(self, path: Path, positions: str | None = None) -> None:
        """Merge ``path`` into the open project by GUID, on the worker; then show the report."""
        project = self.window.bridge.require()
        self._import(
            path,
            {"project_or_location": project, "merge": True, "positions": positions},
            self.show_report,
            lambda chosen: self.merge_from(path, chosen),
        )

    def import_as_new(self, path: Path, location: Path, positions: str | None = None) -> None:
        """Create a project at ``location`` from ``path``, open it, then show the report."""

        def opened(report: FidelityReport) -> None:
            self.window.open_location(
                str(location), lambda shown: self.show_report(report) if shown else None
            )

        self._import(
            path,
            {"project_or_location": location, "coder": self.window.coder, "positions": positions},
            opened,
            lambda chosen: self.import_as_new(path, location, chosen),
        )

    def _import(
        self,
        path: Path,
        how: dict[str, Any],
        done: Callable[[FidelityReport], None],
        again: Callable[[str], None],
    ) -> None:
        """Import ``path`` as ``how`` says on the writer, with progress and Cancel; ``again``
        repeats it with the positions model chosen for an ambiguous file."""
        from collabcoder.io.refi.project_import import import_qdpx

        self.window.bridge.ops.run_long(
            self.window.widget,
            "Importing REFI-QDA project",
            lambda work: import_qdpx(path, progress=work.progress, cancel=work.cancel, **how),
            done,
            on_error=self._ambiguous(again),
        )

    def _ambiguous(self, again: Callable[[str], None]) -> Callable[[BaseException], None]:
        """On an ambiguous file: the preview and choice, then the import again with the choice."""
        from collabcoder.io.refi.position_rules import AmbiguousPositions

        from .refi_positions_dialog import PositionsDialog

        def failed(error: BaseException) -> None:
            if isinstance(error, Cancelled):
                self.window.report(str(error))  # nothing was written
                return
            if not isinstance(error, AmbiguousPositions):
                self.window.show_error("Importing REFI-QDA project failed", str(error))
                return
            self.positions_dialog = PositionsDialog(error, self.window.widget)
            self.positions_dialog.accepted.connect(
                lambda: again(self.positions_dialog.chosen()) if self.positions_dialog else None
            )
            self.positions_dialog.open()

        return failed

    # -- the report -------------------------------------------------------------------------------
    def show_report(self, report: FidelityReport) -> None:
        """Show the fidelity report without blocking (the window stays usable)."""
        self.window.report(report.lines()[0])
        if self.report_dialog is not None:
            self.report_dialog.close()
        self.report_dialog = FidelityDialog(report, self.window.widget)
        self.report_dialog.open()
