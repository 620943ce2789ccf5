"""The Co-occurrence view: which codes are applied together, as a code x code heat map.

Choose how "together" is meant (overlapping passages, or the same sentence, turn or document),
the code depth (deeper codes fold into their ancestor) and whether cells show counts or Jaccard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .matrix_model import HeatmapData, HeatmapModel
from .passages_table import PassagesTable
from .screen_fit import fit_window
from .synthesis_snapshot import SnapshotQuery

if TYPE_CHECKING:
    from collabcoder.synthesis.frames import SynthesisData
    from collabcoder.synthesis.meeting import Passage

    from .shell import Shell

MODES = {
    "overlap": "Overlapping passages",
    "sentence": "Same sentence",
    "turn": "Same speaker turn",
    "document": "Same document",
}
EXPLAIN = {
    "counts": "Cells count co-occurrences; the diagonal holds each code's own passages or units.",
    "jaccard": "Cells hold Jaccard: together over either (1 on the diagonal).",
}


# A heat map's mode, depth, value and map, and the open cell's passages.
Computed = tuple[str, int | None, str, HeatmapData, "CellPassages | None"]


@dataclass(frozen=True)
class CellPassages:
    """Where a cell's two codes meet (computed on the reader, as the cell counts them)."""

    first: int  # code ids of the cell's row and column
    second: int
    mode: str
    depth: int | None
    passages: list[Passage]


class CooccurrenceWindow(QWidget):
    """A separate window over the main one; recomputes when codes or coding change."""

    def __init__(self, window: Shell) -> None:
        super().__init__(window.widget, Qt.WindowType.Window)
        self.bridge = window.bridge
        self._open: tuple[int, int] | None = None  # the code ids of the cell listed below
        self._listed: tuple[int, int, str, int | None] | None = None  # what the list shows
        self._shown: tuple[str, int | None] = ("overlap", None)  # the heat map's mode and depth
        self.setWindowTitle("Code co-occurrence — CollabCoder")
        self.mode = QComboBox(self)
        self.mode.setAccessibleName("Co-occurrence mode")
        for key, label in MODES.items():
            self.mode.addItem(label, key)
        self.depth_box = QSpinBox(self)
        self.depth_box.setAccessibleName("Code depth (0: every code)")
        self.depth_box.setRange(0, 9)
        self.depth_box.setValue(1)
        self.depth_box.setSpecialValueText("all")
        self.value = QComboBox(self)
        self.value.setAccessibleName("Cell value")
        self.value.addItem("Counts", "counts")
        self.value.addItem("Jaccard", "jaccard")
        self.model = HeatmapModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Code by code co-occurrence")
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setToolTip("Double-click a cell to read the passages where both codes meet.")
        header = self.table.horizontalHeader()
        # Code names wrap onto up to three lines in a fixed-width column, never cut at both ends.
        header.setDefaultSectionSize(110)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(3 * self.fontMetrics().lineSpacing() + 12)
        header.setTextElideMode(Qt.TextElideMode.ElideNone)  # eliding would stop the wrapping
        # A light selection, so the chosen cell never reads as "the highest value".
        palette = self.table.palette()
        palette.setColor(QPalette.ColorRole.Highlight, QColor(255, 196, 0, 120))
        palette.setColor(QPalette.ColorRole.HighlightedText, QColor("black"))
        self.table.setPalette(palette)
        rows = self.table.verticalHeader()
        rows.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        rows.setMaximumWidth(260)  # long paths elide in the middle; the full path is the tooltip
        self.table.doubleClicked.connect(self.open_cell)
        self.table.activated.connect(self.open_cell)
        self.passages = PassagesTable(self)
        self.passages.setAccessibleName("Passages where both codes meet")
        self.passages.passage_activated.connect(window.jump_to)
        self.passages_title = QLabel(
            "Double-click a cell to read the passages where both codes meet."
        )
        self.passages_title.setWordWrap(True)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        controls = QHBoxLayout()
        for label, widget in (("Together:", self.mode), ("Depth:", self.depth_box),
                              ("Show:", self.value)):  # fmt: skip
            controls.addWidget(QLabel(label, self))
            controls.addWidget(widget)
        controls.addStretch(1)
        lower = QWidget(self)
        below = QVBoxLayout(lower)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.passages_title)
        below.addWidget(self.passages, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        column = QVBoxLayout(self)
        column.addLayout(controls)
        column.addWidget(split, 1)
        column.addWidget(self.note)
        fit_window(self, 1100, 760, grow=0.75)
        self.mode.currentIndexChanged.connect(self.recompute)
        self.depth_box.valueChanged.connect(self.recompute)
        self.value.currentIndexChanged.connect(self.recompute)
        self._dirty = True
        self.query = SnapshotQuery(window.snapshot, "Computing co-occurrence", self._show)
        # A cell's passages have their own query: opening a cell never waits for a heat map.
        self.cell_query = SnapshotQuery(
            window.snapshot, "Finding where the codes meet", self._show_cell
        )
        window.snapshot.stale.connect(self._stale)
        self.bridge.project_replaced.connect(self._project_replaced)
        self.recompute()

    def _project_replaced(self) -> None:
        if self.bridge.project is None:
            self.close()

    def _stale(self) -> None:
        self._dirty = True  # a hidden window computes when shown again
        if self.isVisible() and self.bridge.project is not None:
            self._dirty = False
            self.query.ask_soon(self._computation())

    def showEvent(self, event: Any) -> None:
        if self._dirty:
            self.recompute()
        super().showEvent(event)

    @property
    def loading(self) -> bool:
        return self.query.loading or self.cell_query.loading or self.passages.filling

    def recompute(self) -> None:
        """Recompute the heat map for the chosen mode, depth and value (on the reader)."""
        if self.bridge.project is None:
            return
        self._dirty = False
        self.query.ask(self._computation())

    def _computation(self) -> Callable[[SynthesisData], Computed]:
        mode, shown = str(self.mode.currentData()), str(self.value.currentData())
        depth = self.depth_box.value() or None
        cell = self._open

        def compute(data: SynthesisData) -> Computed:
            heat = compute_cooccurrence(data, mode, depth, shown)
            ids = {code_id for code_id, _, _ in heat.codes}
            # The open cell's passages come with the map, from the same snapshot.
            found = None
            if cell is not None and {cell[0], cell[1]} <= ids:
                found = cell_passages(data, cell[0], cell[1], mode, depth)
            return mode, depth, shown, heat, found

        return compute

    def _show(self, result: Computed) -> None:
        mode, depth, shown, heat, found = result
        self._shown = (mode, depth)
        self.model.set_data(heat)
        self._fit_columns([path for _, path, _ in heat.codes])
        self.note.setText(f"{MODES[mode]}. {EXPLAIN[shown]} Double-click a cell for its passages.")
        ids = {code_id for code_id, _, _ in heat.codes}
        if self._open is None or not set(self._open) <= ids:
            self._open = None  # its codes are gone from the map (deleted, or folded by depth)
            self._show_no_cell()
        elif found is not None:
            self._show_cell(found)
        elif self._listed != (*self._open, mode, depth):
            self._ask_cell()  # the cell was opened after this map was asked for

    def _fit_columns(self, paths: list[str]) -> None:
        """Columns wide enough for the longest single word of any name (names wrap at spaces)."""
        header = self.table.horizontalHeader()
        bold = header.font()
        bold.setBold(True)  # the current column's header is bold
        metrics = QFontMetrics(bold)
        words = [w for p in paths for w in p.rsplit("/", 1)[-1].split()]
        widest = max((metrics.horizontalAdvance(w) for w in words), default=0)
        header.setDefaultSectionSize(min(max(widest + 34, 90), 170))  # room for the swatch

    # -- one cell ---------------------------------------------------------------------------------
    def open_cell(self, index: QModelIndex) -> None:
        """List the passages where the cell's two codes meet (as the cell counts them), found
        on the reader thread."""
        if not index.isValid():
            return
        codes = self.model.heat.codes
        if max(index.row(), index.column()) >= len(codes) or self.bridge.project is None:
            return
        self._open = (codes[index.row()][0], codes[index.column()][0])
        self.table.setCurrentIndex(index)
        self._ask_cell()

    def _ask_cell(self) -> None:
        """Find the open cell's passages, in the terms of the map shown."""
        if self._open is None:
            return
        (first, second), (mode, depth) = self._open, self._shown
        self.cell_query.ask(lambda data: cell_passages(data, first, second, mode, depth))

    def _show_no_cell(self) -> None:
        self._listed = None
        self.passages.show_passages([])
        self.passages_title.setText(
            "Double-click a cell to read the passages where both codes meet."
        )

    def _show_cell(self, found: CellPassages) -> None:
        if self._open != (found.first, found.second) or self._shown != (
            found.mode,
            found.depth,
        ):
            return  # another cell, or another sense of "together", was chosen since
        paths = {code_id: path for code_id, path, _ in self.model.heat.codes}
        first_path, second_path = paths[found.first], paths[found.second]
        self._listed = (found.first, found.second, found.mode, found.depth)
        if self.passages.passages() != found.passages:  # a coding step elsewhere: keep the list
            self.passages.show_passages(found.passages)
        where = "where both codes meet" if found.first != found.second else "coded"
        self.passages_title.setText(
            f"<b>{first_path}</b> × <b>{second_path}</b>: {len(found.passages)} passage(s) "
            f"{where} ({MODES[found.mode].lower()}). Double-click one to read it in its document."
        )


def cell_passages(
    data: SynthesisData, first: int, second: int, mode: str, depth: int | None
) -> CellPassages:
    """The passages of one cell (runs on the reader thread)."""
    from collabcoder.synthesis.meeting import meeting_passages

    found = meeting_passages(data, first, second, mode=mode, depth=depth)
    return CellPassages(first, second, mode, depth, found)


def compute_cooccurrence(
    data: SynthesisData, mode: str, depth: int | None, shown: str
) -> HeatmapData:
    """Codes x codes, counts or Jaccard (runs on the reader thread)."""
    from collabcoder.synthesis.cooccurrence import cooccurrence

    result = cooccurrence(data, mode=mode, depth=depth)
    table = result.jaccard if shown == "jaccard" else result.counts
    paths = [str(p) for p in result.codes["path"]]
    colours = [str(c) for c in result.codes["colour"]]
    return HeatmapData(
        rows=paths,
        codes=list(zip([int(i) for i in result.codes.index], paths, colours, strict=True)),
        values=[[float(v) for v in row] for row in table.to_numpy()],
        measure=shown,
    )
