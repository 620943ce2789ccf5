"""The Agreement view: percent agreement, Cohen's kappa and Krippendorff's alpha between coders.

Choose two or more coders and the unit (character, sentence, turn, document); the table has one
row per code and an overall row; each disagreement, activated, shows its place in the document.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.changes import Changes, Kind
from collabcoder.core.errors import CollabCoderError

from .matrix_window import run_export
from .screen_fit import fit_window
from .synthesis_snapshot import SnapshotQuery

if TYPE_CHECKING:
    from collabcoder.synthesis.agreement import AgreementReport

    from .shell import Shell

UNITS = {
    "char": "Character",
    "sentence": "Sentence",
    "turn": "Speaker turn",
    "document": "Document",
}
DISAGREEMENT_COLUMNS = ("code", "document", "start", "end", "applied_by", "not_by")


def _number(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


class AgreementWindow(QWidget):
    def __init__(self, window: Shell) -> None:
        super().__init__(window.widget, Qt.WindowType.Window)
        self.main = window
        self.bridge = window.bridge
        self.setWindowTitle("Inter-coder agreement — CollabCoder")
        self.report: AgreementReport | None = None
        self.coders = QListWidget(self)
        self.coders.setAccessibleName("Coders to compare")
        self.coders.setMaximumHeight(90)
        self.unit = QComboBox(self)
        self.unit.setAccessibleName("Unit")
        for key, name in UNITS.items():
            self.unit.addItem(name, key)
        self.compute_button = QPushButton("Compute", self)
        self.compute_button.clicked.connect(self.compute)
        self.export_button = QPushButton("Export to Excel…", self)
        self.export_button.clicked.connect(self.export_dialog)
        self.export_button.setEnabled(False)
        self.message = QLabel("Tick two or more coders, then Compute.", self)
        self.message.setWordWrap(True)
        self.scores = self._table("Agreement per code")
        self.disagreements = self._table("Disagreements")
        self.disagreements.cellActivated.connect(self._jump)
        self.disagreements.cellDoubleClicked.connect(self._jump)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Coders:", self))
        controls.addWidget(self.coders, 1)
        controls.addWidget(QLabel("Unit:", self))
        controls.addWidget(self.unit)
        controls.addWidget(self.compute_button)
        controls.addWidget(self.export_button)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.scores)
        split.addWidget(self.disagreements)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        self.query = SnapshotQuery(
            window.snapshot, "Computing agreement", self._show, self._refused
        )
        self.bridge.changed.connect(self._on_changes)
        self.bridge.project_replaced.connect(self._project_replaced)
        self.fill_coders()
        fit_window(self, 1000, 680)

    def _table(self, name: str) -> QTableWidget:
        table = QTableWidget(0, 0, self)
        table.setAccessibleName(name)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    @property
    def loading(self) -> bool:
        return self.query.loading

    def _on_changes(self, changes: Changes) -> None:
        if changes.touched(Kind.CODERS, Kind.SEGMENTS) and self.isVisible():
            self.fill_coders()

    def showEvent(self, event: Any) -> None:
        self.fill_coders()  # coders may have coded while the window was hidden
        super().showEvent(event)

    def _project_replaced(self) -> None:
        if self.bridge.project is None:
            self.close()
        else:
            self.fill_coders()

    def fill_coders(self) -> None:
        """Coders who have coded something (the others have nothing to agree on); when exactly
        two have, they are ticked for a first comparison."""
        ticked = set(self.chosen_coders())
        project = self.bridge.project
        coding = project.coders.with_segments() if project is not None else []
        if not ticked and len(coding) == 2:
            ticked = {c.name for c in coding}
        self.coders.clear()
        for coder in coding:
            item = QListWidgetItem(coder.name, self.coders)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if coder.name in ticked else Qt.CheckState.Unchecked
            )

    def set_coders(self, names: list[str]) -> None:
        for row in range(self.coders.count()):
            item = self.coders.item(row)
            checked = item.text() in names
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen_coders(self) -> list[str]:
        items = (self.coders.item(row) for row in range(self.coders.count()))
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]

    def compute(self) -> None:
        """Compute agreement for the ticked coders at the chosen unit and show it."""
        from collabcoder.synthesis.agreement import agreement

        coders, unit = self.chosen_coders(), str(self.unit.currentData())
        self.query.ask(lambda data: (coders, agreement(data, coders, unit=unit)))

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, CollabCoderError):
            self.bridge.ops.failed.emit("Computing agreement", error)
            return
        self.report = None
        self.message.setText(str(error))
        self.export_button.setEnabled(False)

    def _show(self, result: tuple[list[str], AgreementReport]) -> None:
        coders, report = result
        self.report = report
        self.export_button.setEnabled(True)
        self._fill(self.scores, report.table())
        frame = report.disagreements
        self._fill(self.disagreements, None if frame is None else frame[list(DISAGREEMENT_COLUMNS)])
        overall = report.overall
        kappa = "" if overall.kappa is None else f", Cohen's kappa {overall.kappa:.3f}"
        alpha = "" if overall.alpha is None else f", Krippendorff's alpha {overall.alpha:.3f}"
        self.message.setText(
            f"{', '.join(coders)} over {len(report.document_ids)} document(s) coded by all, "
            f"unit: {UNITS[report.unit].lower()}. Overall: {overall.percent:.1%} agreement"
            f"{kappa}{alpha}. {0 if frame is None else len(frame)} disagreement(s) to review."
        )

    @staticmethod
    def _fill(table: QTableWidget, frame: Any) -> None:
        if frame is None:
            table.setRowCount(0)
            return
        table.setColumnCount(len(frame.columns))
        table.setHorizontalHeaderLabels([str(c).replace("_", " ") for c in frame.columns])
        table.setRowCount(len(frame))
        for row, values in enumerate(frame.itertuples(index=False)):
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(_number(value)))

    def _jump(self, row: int, _column: int) -> None:
        frame = self.report.disagreements if self.report else None
        if frame is not None and 0 <= row < len(frame):
            found = frame.iloc[row]
            self.main.jump_to(int(found["document_id"]), int(found["start"]), int(found["end"]))

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to Excel", "", "Excel (*.xlsx)")
        if path:
            self.export_to(Path(path if path.endswith(".xlsx") else path + ".xlsx"))

    def export_to(self, path: Path) -> None:
        """Write the workbook with an Agreement sheet for the last computed report."""
        from collabcoder.synthesis.tables import ExportRequest

        if self.report is not None:
            request = ExportRequest(agreement=self.report, generated_by=self.main.coder)
            run_export(self.main, path, request)
