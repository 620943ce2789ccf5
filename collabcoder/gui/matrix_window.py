"""The Matrix view: cases (or case groups) x codes as a heat map, with each cell's evidence.

Choose the rows, the code depth, the measure and the filters; click a cell to read its quotes
and write the cell's summary; export the whole synthesis workbook to Excel on the worker.
pandas is reached only through ``collabcoder.synthesis`` inside methods, so opening the main
window never loads it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.documents import DOCUMENT_KINDS
from collabcoder.core.segments import ORIGINS
from collabcoder.synthesis.measures import REGISTRY
from collabcoder.synthesis.speaker_rows import SPEAKER_ROWS

from .cell_panel import CellPanel, CellView
from .check_menu import CheckMenuButton
from .export_files import default_export_path
from .matrix_compute import MatrixResult, cell_evidence, compute_matrix
from .matrix_model import HeatmapModel
from .matrix_queries import query_columns
from .ops import Work
from .screen_fit import fit_window
from .synthesis_snapshot import SnapshotQuery

if TYPE_CHECKING:
    from collabcoder.synthesis.filters import SegmentFilter
    from collabcoder.synthesis.frames import SynthesisData

    from .shell import Shell

MEASURE_NAMES = {m.key: m.name for m in REGISTRY}
EVIDENCE_MIN_WIDTH = 520  # pixels the cell's evidence keeps beside the heat map


class MatrixWindow(QWidget):
    """A separate window over the main one; refreshes when what it shows changes."""

    def __init__(self, window: Shell) -> None:
        super().__init__(window.widget, Qt.WindowType.Window)
        self.main = window
        self.bridge = window.bridge
        self.setWindowTitle("Case × code matrix — CollabCoder")
        self.setAccessibleName("Case by code matrix")
        self.data: SynthesisData | None = None
        self._evidence: Any = None  # the evidence table for the current filters
        self._case_row: Any = None  # case id -> row number
        self._queries: list[Any] = []  # the saved queries shown as columns
        self._dirty = True
        self._open_at: tuple[int, int] | None = None  # the cell shown in the cell panel
        self.rows = QComboBox(self)
        self.rows.setAccessibleName("Rows")
        self.depth_box = QSpinBox(self)
        self.depth_box.setAccessibleName("Code depth")
        self.depth_box.setRange(0, 9)
        self.depth_box.setSpecialValueText("all")
        self.depth_box.setValue(1)
        self.measure = QComboBox(self)
        self.measure.setAccessibleName("Measure")
        for key, name in MEASURE_NAMES.items():
            self.measure.addItem(name, key)
        for box in (self.rows, self.measure):  # long attribute names must not widen the window
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(6)
        self.kinds = CheckMenuButton("Kinds", self)
        self.kinds.set_choices(DOCUMENT_KINDS)
        self.coders = CheckMenuButton("Coders", self)
        self.origins = CheckMenuButton("Origins", self)
        self.origins.set_choices(ORIGINS)
        self.sets = CheckMenuButton("Sets", self)  # documents in any of the sets ticked
        self.no_interviewer = QCheckBox("Exclude interviewer turns", self)
        self.no_interviewer.setToolTip("Count only segments outside the interviewers' turns")
        self.queries = CheckMenuButton("Queries", self)
        self.queries.setToolTip("Add saved queries as columns: their passages per row")
        self.export_button = QPushButton("Export to Excel…", self)
        self.export_button.clicked.connect(self.export_dialog)
        self.model = HeatmapModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Matrix cells")
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        # Long code names wrap onto two lines instead of making every column wide.
        header.setMinimumSectionSize(60)
        header.setMaximumSectionSize(140)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(46)
        # A light selection, so the chosen cell never reads as "the highest value".
        palette = self.table.palette()
        palette.setColor(QPalette.ColorRole.Highlight, QColor(255, 196, 0, 120))
        palette.setColor(QPalette.ColorRole.HighlightedText, QColor("black"))
        self.table.setPalette(palette)
        self.table.clicked.connect(self.open_cell)
        self.table.activated.connect(self.open_cell)
        self.cell_panel = CellPanel(self.bridge, self)
        self.cell_panel.quote_activated.connect(window.jump_to)
        self.cell_panel.list_requested.connect(self.list_cell_in_segments)
        self.legend = QLabel("", self)
        self.legend.setWordWrap(True)  # a one-line legend would set the heat map's least width
        fit_window(self, 1300, 760, grow=0.8)
        self._layout()
        for box in (self.rows, self.measure):
            box.currentIndexChanged.connect(self.recompute)
        self.depth_box.valueChanged.connect(self.recompute)
        for button in (self.kinds, self.coders, self.origins, self.sets, self.queries):
            button.changed.connect(self.recompute)
        self.no_interviewer.toggled.connect(self.recompute)
        self.query = SnapshotQuery(window.snapshot, "Computing the matrix", self._show)
        window.snapshot.stale.connect(self._stale)
        self.bridge.project_replaced.connect(self._project_replaced)

    def _layout(self) -> None:
        controls = QHBoxLayout()
        for label, widget in (("Rows:", self.rows), ("Depth:", self.depth_box)):
            controls.addWidget(QLabel(label, self))
            controls.addWidget(widget)
        controls.addWidget(QLabel("Measure:", self))
        controls.addWidget(self.measure)
        for button in (self.kinds, self.coders, self.origins, self.sets, self.queries):
            controls.addWidget(button)
        controls.addWidget(self.no_interviewer)
        controls.addStretch(1)
        controls.addWidget(self.export_button)
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        column.addWidget(self.legend)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.cell_panel)
        split.setStretchFactor(1, 1)
        self.split = split
        self._split_fitted = False
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(split, 1)

    # -- reacting to the project ------------------------------------------------------------------
    def _stale(self) -> None:
        self._dirty = True
        if self.isVisible():
            self._dirty = False
            self.query.ask_soon(self._computation())

    def _project_replaced(self) -> None:
        if self.bridge.project is None:
            self.close()

    def showEvent(self, event: Any) -> None:
        if self._dirty:
            self.reload()
        super().showEvent(event)
        if not self._split_fitted:
            self._split_fitted = True
            QTimer.singleShot(0, self.fit_split)  # once the layout has given the splitter its width

    def fit_split(self) -> None:
        """Give the heat map the width its columns need, the evidence the rest (at least
        ``EVIDENCE_MIN_WIDTH`` or 40%, so its quotes stay readable)."""
        table = self.table
        needed = table.verticalHeader().width() + 2 * table.frameWidth() + 4
        needed += sum(table.columnWidth(c) for c in range(self.model.columnCount()))
        needed += table.verticalScrollBar().sizeHint().width()
        total = max(self.split.width(), 1)
        left = min(needed, total - max(EVIDENCE_MIN_WIDTH, int(total * 0.4)))
        self.split.setSizes([max(left, total // 3), total - max(left, total // 3)])

    @property
    def loading(self) -> bool:
        """True while the heat map is being computed (off the GUI thread)."""
        return self.query.loading

    def reload(self) -> None:
        """Recompute what is shown from the shared snapshot (taken again if the project moved)."""
        self._dirty = False
        self.recompute()

    def _fill_choices(self) -> None:
        assert self.data is not None
        current = self.rows.currentText()
        self.rows.blockSignals(True)
        self.rows.clear()
        self.rows.addItem("Case", "case")
        self.rows.addItem("Speaker", SPEAKER_ROWS)
        for name in self.data.attributes["name"]:
            self.rows.addItem(f"Cases by {name}", str(name))
        found = self.rows.findText(current)
        self.rows.setCurrentIndex(max(found, 0))
        self.rows.blockSignals(False)
        self.depth_box.setMaximum(
            max(int(self.data.codes["depth"].max() or 1), 1) if len(self.data.codes) else 1
        )
        self.coders.blockSignals(True)
        self.coders.set_choices([str(n) for n in self.data.coders["name"]])
        self.coders.blockSignals(False)
        self.sets.blockSignals(True)
        self.sets.set_choices(sorted(self.data.document_sets))
        self.sets.blockSignals(False)
        self._fill_queries()

    def _fill_queries(self) -> None:
        from collabcoder.core.search_saved import saved_queries

        project = self.bridge.project
        self.queries.blockSignals(True)
        self.queries.set_choices([q.name for q in saved_queries(project)] if project else [])
        self.queries.blockSignals(False)

    def filters(self) -> SegmentFilter:
        from collabcoder.synthesis.filters import SegmentFilter

        return SegmentFilter(
            document_kinds=self.kinds.chosen(),
            coders=self.coders.chosen(),
            origins=self.origins.chosen(),
            sets=self.sets.chosen(),
            exclude_roles=("interviewer",) if self.no_interviewer.isChecked() else (),
        )

    def chosen_depth(self) -> int | None:
        return self.depth_box.value() or None

    def recompute(self) -> None:
        """Rebuild the heat map for the chosen rows, depth, measure and filters (on the reader)."""
        self.query.ask(self._computation())

    def _computation(self) -> Callable[[SynthesisData], MatrixResult]:
        """The heat map for the choices made now, to compute on the reader thread."""
        rows, depth = str(self.rows.currentData() or "case"), self.chosen_depth()
        measure, filters, at = str(self.measure.currentData()), self.filters(), self._open_at
        project, queries = self.bridge.project, self.queries.chosen()

        def compute(data: SynthesisData) -> MatrixResult:
            known = filters.known_to(data)
            columns = query_columns(project, data, queries, rows, known)
            return compute_matrix(data, rows, depth, measure, known, at, columns)

        return compute

    def _show(self, result: MatrixResult) -> None:
        self.data = result.data
        self._fill_choices()
        self._case_row = result.case_row
        self._evidence = result.evidence
        self._queries = result.queries
        if self.model.set_data(result.heat):
            self.table.resizeColumnsToContents()
        stale = sum(result.heat.summaries.values())
        self.legend.setText(
            f"{MEASURE_NAMES[result.heat.measure]} per cell; darker is more. ✎ summary written"
            + (f", ⚠ stale summary ({stale})" if stale else ", ⚠ stale summary")
            + f". Filters: {result.filters.describe()}."
        )
        self._refresh_cell(result)

    # -- one cell ---------------------------------------------------------------------------------
    def open_cell(self, index: QModelIndex) -> None:
        """Show the quotes and summary of the cell at ``index``."""
        if index.isValid():
            self._open_at = (index.row(), index.column())
            self.table.setCurrentIndex(index)
            self.cell_panel.show_cell(self.cell_view(*self._open_at))

    def _refresh_cell(self, result: MatrixResult) -> None:
        # After a recompute the open cell keeps its place when it still exists; its evidence
        # came with the map when the cell was open as the map was asked for.
        at = self._open_at
        if at is None or at[0] >= self.model.rowCount() or at[1] >= self.model.columnCount():
            self._open_at = None
            self.cell_panel.show_cell(None)
            return
        cell = result.cell if result.cell_at == at else self.cell_view(*at)
        self.cell_panel.show_cell(cell)

    def cell_view(self, row: int, column: int) -> CellView:
        """The evidence (and, for a case row, the summary state) of one cell."""
        assert self.data is not None and self._evidence is not None
        rows = str(self.rows.currentData() or "case")
        return cell_evidence(
            self.data,
            self._evidence,
            self._case_row,
            self.model.heat,
            rows,
            row,
            column,
            self._queries,
        )

    def list_cell_in_segments(self) -> None:
        """List the open cell's coded passages (its code's subtree, its case) in the main
        window's Segments dock, with the filters showing as chips there."""
        cell = self.cell_panel.cell
        if cell is None or len(cell.case_ids) != 1:
            return
        codes = _subtree(self.bridge.codes(), cell.code_id)
        self.main.show_segments(codes, cell.case_ids[0])

    # -- export -----------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        project = self.bridge.require()
        suggested = default_export_path(project.location, project.name, "synthesis", ".xlsx")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to Excel", str(suggested), "Excel (*.xlsx)"
        )
        if path:
            self.export_to(Path(path if path.lower().endswith(".xlsx") else path + ".xlsx"))

    def export_to(self, path: Path) -> None:
        """Write the synthesis workbook for the current choices on the worker, with progress."""
        from collabcoder.synthesis.tables import ExportRequest

        request = ExportRequest(
            rows=str(self.rows.currentData() or "case"),
            depth=self.chosen_depth(),
            measure=str(self.measure.currentData()),
            filters=self.filters(),
            generated_by=self.main.coder,
        )
        run_export(self.main, path, request)


def _subtree(codes: list[Any], code_id: int) -> list[int]:
    """``code_id`` and every code below it."""
    below: dict[int | None, list[int]] = {}
    for code in codes:
        below.setdefault(code.parent_id, []).append(code.id)
    found, todo = [], [code_id]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(below.get(current, []))
    return found


def run_export(window: Shell, path: Path, request: Any) -> None:
    """Write the workbook for ``request`` to ``path`` on the worker thread."""
    from collabcoder.synthesis.load import load_synthesis_data
    from collabcoder.synthesis.xlsx import write_workbook

    project = window.bridge.require()

    def export(work: Work) -> Path:
        work.progress(0, 0, "Reading the project")
        data = load_synthesis_data(project)
        write_workbook(path, data, request, work.progress, work.cancel)
        return path

    def saved(done: Path) -> None:
        window.report(f"Exported {done}.")
        window.show_saved(done)

    window.bridge.ops.run_long(window.widget, "Exporting to Excel", export, saved, write=False)
