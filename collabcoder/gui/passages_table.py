"""A table of passages (quote and document) that wraps its quotes and opens one on activation.

A co-occurrence cell can hold thousands of passages, and laying out a wrapped quote's height
costs about as much as everything else in the row: rows are filled and sized a chunk per turn
of the event loop, so a long list never holds the window up.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from collabcoder.synthesis.meeting import Passage

from .elide import elided_item_width

HEADERS = ("Quote", "Document")
CHUNK = 50  # rows filled and sized per turn of the event loop


class PassagesTable(QTableWidget):
    """``passage_activated(document_id, start, end)`` on Enter or double-click of a row."""

    passage_activated = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(list(HEADERS))
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        # Wrapped quotes need their row heights again whenever the quote column changes width.
        header.sectionResized.connect(self._width_changed)
        self._passages: list[Passage] = []
        self._filled = 0  # rows whose items are set
        self._sized = 0  # rows sized for the quote column's current width
        self._more = QTimer(self)
        self._more.setSingleShot(True)
        self._more.setInterval(0)
        self._more.timeout.connect(self._fill_some)
        self.cellActivated.connect(self._activated)
        self.cellDoubleClicked.connect(self._activated)

    def show_passages(self, passages: list[Passage]) -> None:
        """List ``passages``: the first rows now, the rest over the next turns of the loop."""
        self._passages = list(passages)
        self._filled = self._sized = 0
        self.clearContents()
        self.setRowCount(len(passages))
        names = sorted({p.document for p in passages}) or [HEADERS[1]]
        self.setColumnWidth(1, max(elided_item_width(self, names), 120))
        self._fill_some()

    @property
    def filling(self) -> bool:
        """True while rows are still being filled or sized."""
        return self._sized < len(self._passages)

    def _width_changed(self, *_: object) -> None:
        self._sized = 0
        self._more.start()

    def _fill_some(self) -> None:
        stop = min(self._filled + CHUNK, len(self._passages))
        for row in range(self._filled, stop):
            passage = self._passages[row]
            for column, text in enumerate((" ".join(passage.text.split()), passage.document)):
                # The document name stays on one line (elided, whole in the tooltip).
                item = QTableWidgetItem(text if column == 0 else text.replace(" ", "\u00a0"))
                item.setToolTip(text)
                self.setItem(row, column, item)
        self._filled = max(self._filled, stop)
        stop = min(self._sized + CHUNK, self._filled)
        for row in range(self._sized, stop):
            self.resizeRowToContents(row)
        self._sized = stop
        if self.filling:
            self._more.start()

    def passages(self) -> list[Passage]:
        return list(self._passages)

    def passage(self, row: int) -> Passage:
        return self._passages[row]

    def _activated(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._passages):
            passage = self._passages[row]
            self.passage_activated.emit(passage.document_id, passage.start, passage.end)
