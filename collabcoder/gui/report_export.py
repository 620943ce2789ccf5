"""File > Export report: choose what the Word report holds, where it goes, then write it on the
worker with progress and show where it was saved."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from .check_menu import CheckMenuButton
from .export_files import default_export_path
from .ops import Work

if TYPE_CHECKING:
    from collabcoder.synthesis.report_content import ReportRequest

    from .shell import Shell


class ReportDialog(QDialog):
    """The report's options: sections by code or by case, code depth, quotes per cell, and
    which coders and cases (none ticked: all)."""

    def __init__(self, coders: list[str], cases: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export report")
        self.by = QComboBox(self)
        self.by.setAccessibleName("Organise by")
        self.by.addItem("Code (cases within each code)", "code")
        self.by.addItem("Case (codes within each case)", "case")
        self.depth_box = QSpinBox(self)
        self.depth_box.setAccessibleName("Code depth")
        self.depth_box.setRange(0, 9)
        self.depth_box.setSpecialValueText("all")
        self.depth_box.setValue(1)
        self.quotes_box = QSpinBox(self)
        self.quotes_box.setAccessibleName("Quotes per cell")
        self.quotes_box.setRange(-1, 1000)
        self.quotes_box.setSpecialValueText("all")
        self.quotes_box.setValue(5)
        self.coders = CheckMenuButton("Coders", self)
        self.coders.set_choices(coders)
        self.cases = CheckMenuButton("Cases", self)
        self.cases.set_choices(cases)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Sections by:", self.by)
        form.addRow("Code depth:", self.depth_box)
        form.addRow("Quotes per case and code:", self.quotes_box)
        form.addRow("Only coders:", self.coders)
        form.addRow("Only cases:", self.cases)
        form.addRow(buttons)

    def request(self, generated_by: str) -> ReportRequest:
        from collabcoder.synthesis.filters import SegmentFilter
        from collabcoder.synthesis.report_content import ReportRequest

        quotes = self.quotes_box.value()
        return ReportRequest(
            by=str(self.by.currentData()),
            depth=self.depth_box.value() or None,
            cases=self.cases.chosen(),
            filters=SegmentFilter(coders=self.coders.chosen()),
            quotes_per_cell=None if quotes < 0 else quotes,
            generated_by=generated_by,
        )


class ReportActions:
    """The handler behind File > Export report for one main window."""

    def __init__(self, window: Shell) -> None:
        self.window = window
        self.dialog: ReportDialog | None = None  # the last options dialog shown

    def export_dialog(self) -> None:
        project = self.window.bridge.project
        if project is None:
            self.window.report("Open a project first.")
            return
        coders = [c.name for c in self.window.bridge.coders()]
        cases = [c.name for c in project.cases.list()]
        self.dialog = ReportDialog(coders, cases, self.window.widget)
        if self.dialog.exec() != QDialog.DialogCode.Accepted:
            return
        suggested = default_export_path(project.location, project.name, "report", ".docx")
        path, _ = QFileDialog.getSaveFileName(
            self.window.widget, "Export report", str(suggested), "Word documents (*.docx)"
        )
        if path:
            target = Path(path if path.lower().endswith(".docx") else path + ".docx")
            self.export_to(target, self.dialog.request(self.window.coder))

    def export_to(self, path: Path, request: ReportRequest) -> None:
        """Write the report for ``request`` to ``path`` on the worker, with progress."""
        from collabcoder.synthesis.docx_report import write_report
        from collabcoder.synthesis.load import load_synthesis_data

        project = self.window.bridge.require()

        def work(job: Work) -> Path:
            job.progress(0, 0, "Reading the project")
            data = load_synthesis_data(project)
            write_report(path, data, request, job.progress, job.cancel)
            return path

        self.window.bridge.ops.run_long(
            self.window.widget, "Exporting the report", work, self._saved, write=False
        )

    def _saved(self, path: Path) -> None:
        self.window.report(f"Exported {path}.")
        self.window.show_saved(path)
