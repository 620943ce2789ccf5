"""The Co-occurrence view: which codes are applied together, as a code x code heat map.

Choose how "together" is meant (overlapping passages, or the same sentence, turn or document),
the code depth (deeper codes fold into their ancestor) and whether cells show counts or Jaccard.
"""

from __future__ import annotations

from collections.abc import Callable
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


# The snapshot a heat map came from (its cells' passages are read from it), mode, value, map.
Computed = tuple["SynthesisData", str, str, HeatmapData]


class CooccurrenceWindow(QWidget):
    """A separate window over the main one; recomputes when codes or coding change."""

    def __init__(self, window: Shell) -> None:
        super().__init__(window.widget, Qt.WindowType.Window)
        self.bridge = window.bridge
        self.data: SynthesisData | None = None  # the snapshot the shown heat map came from
        self._open_at: tuple[int, int] | None = None  # the cell whose passages are listed
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
        return self.query.loading

    def recompute(self) -> None:
        """Recompute the heat map for the chosen mode, depth and value (on the reader)."""
        if self.bridge.project is None:
            return
        self._dirty = False
        self.query.ask(self._computation())

    def _computation(self) -> Callable[[SynthesisData], Computed]:
        mode, shown = str(self.mode.currentData()), str(self.value.currentData())
        depth = self.depth_box.value() or None
        return lambda data: (data, mode, shown, compute_cooccurrence(data, mode, depth, shown))

    def _show(self, result: Computed) -> None:
        self.data, mode, shown, heat = result
        self.model.set_data(heat)
        self._fit_columns([path for _, path, _ in heat.codes])
        self.note.setText(f"{MODES[mode]}. {EXPLAIN[shown]} Double-click a cell for its passages.")
        self._refresh_cell()

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
        """List the passages where the cell's two codes meet (as the cell counts them)."""
        if index.isValid():
            self._open_at = (index.row(), index.column())
            self.table.setCurrentIndex(index)
            self._refresh_cell()

    def _refresh_cell(self) -> None:
        at, heat = self._open_at, self.model.heat
        if self.data is None or at is None or max(at) >= len(heat.codes):
            self._open_at = None
            self.passages.show_passages([])
            self.passages_title.setText(
                "Double-click a cell to read the passages where both codes meet."
            )
            return
        from collabcoder.synthesis.meeting import meeting_passages

        (first, first_path, _), (second, second_path, _) = heat.codes[at[0]], heat.codes[at[1]]
        mode = str(self.mode.currentData())
        found = meeting_passages(
            self.data, first, second, mode=mode, depth=self.depth_box.value() or None
        )
        self.passages.show_passages(found)
        where = "where both codes meet" if first != second else "coded"
        self.passages_title.setText(
            f"<b>{first_path}</b> × <b>{second_path}</b>: {len(found)} passage(s) {where} "
            f"({MODES[mode].lower()}). Double-click one to read it in its document."
        )


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
