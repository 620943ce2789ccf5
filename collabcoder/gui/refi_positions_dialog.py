"""The choice a researcher makes when a REFI-QDA file does not say how it counts positions.

Shows, for each ambiguous source, a table of what every candidate way of counting would select
for three of its selections, side by side, and lets the researcher pick the row whose quotes
read right (the best-supported one is picked to begin with). Nothing is imported until they do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from collabcoder.io.refi.position_rules import AmbiguousPositions, Candidate


def _shown(text: str) -> str:
    """A quote with its ends visible (a stray space or a cut letter is the whole point)."""
    return "“" + text.replace("\n", "⏎") + "”"


class PositionsDialog(QDialog):
    """Preview of the candidate models, source by source, and a choice of one for the file."""

    def __init__(self, ambiguous: AmbiguousPositions, parent: QWidget) -> None:
        super().__init__(parent)
        self.ambiguous = ambiguous
        self.setWindowTitle("How does this file count positions?")
        self.setAccessibleName("Choose the position model")
        intro = QLabel(
            "The file does not say for sure how its selections count characters. Each row shows "
            "what one way of counting would select; choose the row whose quotes read right. "
            "The way you choose is used for every source in the file.",
            self,
        )
        intro.setWordWrap(True)
        self.source = QComboBox(self)
        self.source.setAccessibleName("Source previewed")
        for item in ambiguous.sources:
            self.source.addItem(item.name)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.table = QTableWidget(self)
        self.table.setAccessibleName("What each way of counting selects")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.choice = QComboBox(self)
        self.choice.setAccessibleName("Position model")
        names: dict[str, str] = {}
        for item in ambiguous.sources:
            for candidate in item.candidates:
                names.setdefault(candidate.model.name, candidate.model.describe())
        for name, description in names.items():
            self.choice.addItem(f"{description} ({name})", name)
        self.choice.setCurrentIndex(self.choice.findData(self._best().model.name))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import with this model")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Source:", self.source)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if len(ambiguous.sources) > 1:
            layout.addLayout(form)
        else:
            self.source.hide()
        layout.addWidget(self.reason)
        layout.addWidget(self.table, 1)
        chosen = QFormLayout()
        chosen.addRow("Count positions as:", self.choice)
        layout.addLayout(chosen)
        layout.addWidget(buttons)
        self.source.currentIndexChanged.connect(self._show_source)
        self.table.itemSelectionChanged.connect(self._row_chosen)
        self.choice.currentIndexChanged.connect(self._select_row)
        self._show_source(0)
        self.resize(960, 520)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Row heights follow the wrapped quotes, known only once the columns have their widths.
        self.table.resizeRowsToContents()

    def chosen(self) -> str:
        """The name of the model chosen (``utf16-crlf2-nobom``...)."""
        return str(self.choice.currentData())

    def _best(self) -> Candidate:
        # The evidence ranks the candidates even when it cannot decide: start from its best.
        return max(self.ambiguous.sources[0].candidates, key=lambda c: c.confirmed)

    def _candidates(self) -> list[Candidate]:
        return self.ambiguous.sources[max(self.source.currentIndex(), 0)].candidates

    def _show_source(self, index: int) -> None:
        shown = self.ambiguous.sources[index]
        self.reason.setText(f"{shown.reason[:1].upper()}{shown.reason[1:]}.")
        samples = shown.candidates[0].samples if shown.candidates else []
        self.table.clear()
        self.table.setColumnCount(1 + len(samples))
        self.table.setHorizontalHeaderLabels(
            ["Way of counting", *(f"Selection {s.positions}" for s in samples)]
        )
        self.table.setRowCount(len(shown.candidates))
        for row, candidate in enumerate(shown.candidates):
            way = QTableWidgetItem(candidate.model.describe())
            way.setToolTip(f"--positions {candidate.model.name}")
            self.table.setItem(row, 0, way)
            for column, sample in enumerate(candidate.samples, start=1):
                quote = QTableWidgetItem(_shown(sample.text))
                quote.setToolTip(sample.text)
                self.table.setItem(row, column, quote)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in range(1, self.table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self._select_row()

    def _row_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            name = self._candidates()[rows[0].row()].model.name
            self.choice.setCurrentIndex(self.choice.findData(name))

    def _select_row(self) -> None:
        names = [c.model.name for c in self._candidates()]
        if self.chosen() in names:
            self.table.selectRow(names.index(self.chosen()))
        else:
            self.table.clearSelection()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
