"""The Co-occurrence view: which codes are applied together, as a code x code heat map.

Choose how "together" is meant (overlapping passages, or the same sentence, turn or document),
the code depth (deeper codes fold into their ancestor) and whether cells show counts or Jaccard.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .matrix_model import HeatmapData, HeatmapModel
from .synthesis_snapshot import SnapshotQuery

if TYPE_CHECKING:
    from collabcoder.synthesis.frames import SynthesisData

    from .main_window import MainWindow

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


class CooccurrenceWindow(QWidget):
    """A separate window over the main one; recomputes when codes or coding change."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.bridge = window.bridge
        self.setWindowTitle("Code co-occurrence — CollabCoder")
        self.resize(1000, 700)
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
        self.table.horizontalHeader().setDefaultSectionSize(110)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        controls = QHBoxLayout()
        for label, widget in (("Together:", self.mode), ("Depth:", self.depth_box),
                              ("Show:", self.value)):  # fmt: skip
            controls.addWidget(QLabel(label, self))
            controls.addWidget(widget)
        controls.addStretch(1)
        column = QVBoxLayout(self)
        column.addLayout(controls)
        column.addWidget(self.table, 1)
        column.addWidget(self.note)
        self.mode.currentIndexChanged.connect(self.recompute)
        self.depth_box.valueChanged.connect(self.recompute)
        self.value.currentIndexChanged.connect(self.recompute)
        self._dirty = True
        self.query = SnapshotQuery(window.analysis.snapshot, "Computing co-occurrence", self._show)
        window.analysis.snapshot.stale.connect(self._stale)
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

    def _computation(self) -> Callable[[SynthesisData], tuple[str, str, HeatmapData]]:
        mode, shown = str(self.mode.currentData()), str(self.value.currentData())
        depth = self.depth_box.value() or None
        return lambda data: (mode, shown, compute_cooccurrence(data, mode, depth, shown))

    def _show(self, result: tuple[str, str, HeatmapData]) -> None:
        mode, shown, heat = result
        self.model.set_data(heat)
        self.note.setText(f"{MODES[mode]}. {EXPLAIN[shown]}")


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
