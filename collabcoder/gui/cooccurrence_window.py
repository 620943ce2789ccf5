"""The Co-occurrence view: which codes are applied together, as a code x code heat map.

Choose how "together" is meant (overlapping passages, or the same sentence, turn or document),
the code depth (deeper codes fold into their ancestor) and whether cells show counts or Jaccard.
"""

from __future__ import annotations

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

from collabcoder.core.changes import Changes

from .matrix_model import HeatmapData, HeatmapModel

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
        self.data: SynthesisData | None = None  # the project snapshot; taken again after changes
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
        self.bridge.changed.connect(self._on_changes)
        self.bridge.project_replaced.connect(self._project_replaced)
        self.recompute()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touched("codes", "segments", "documents"):
            self._stale()

    def _project_replaced(self) -> None:
        if self.bridge.project is None:
            self.close()
        self._stale()

    def _stale(self) -> None:
        self.data = None  # a hidden window takes its snapshot when shown again
        if self.isVisible():
            self.recompute()

    def showEvent(self, event: Any) -> None:
        if self.data is None:
            self.recompute()
        super().showEvent(event)

    def recompute(self) -> None:
        """Recompute the heat map for the chosen mode, depth and value (on the snapshot)."""
        project = self.bridge.project
        if project is None:
            return
        from collabcoder.synthesis.cooccurrence import cooccurrence
        from collabcoder.synthesis.load import load_synthesis_data

        if self.data is None:
            self.data = load_synthesis_data(project)
        mode, shown = str(self.mode.currentData()), str(self.value.currentData())
        result = cooccurrence(self.data, mode=mode, depth=self.depth_box.value() or None)
        table = result.jaccard if shown == "jaccard" else result.counts
        paths = [str(p) for p in result.codes["path"]]
        colours = [str(c) for c in result.codes["colour"]]
        self.model.set_data(
            HeatmapData(
                rows=paths,
                codes=list(zip([int(i) for i in result.codes.index], paths, colours, strict=True)),
                values=[[float(v) for v in row] for row in table.to_numpy()],
                measure=shown,
            )
        )
        self.note.setText(f"{MODES[mode]}. {EXPLAIN[shown]}")
