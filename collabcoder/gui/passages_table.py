"""A table of passages (quote and document) that wraps its quotes and opens one on activation."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from collabcoder.synthesis.meeting import Passage

from .elide import elided_item_width

HEADERS = ("Quote", "Document")


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
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())
        self._passages: list[Passage] = []
        self.cellActivated.connect(self._activated)
        self.cellDoubleClicked.connect(self._activated)

    def show_passages(self, passages: list[Passage]) -> None:
        self._passages = list(passages)
        self.setRowCount(len(passages))
        for row, passage in enumerate(passages):
            for column, text in enumerate((" ".join(passage.text.split()), passage.document)):
                # The document name stays on one line (elided, whole in the tooltip).
                item = QTableWidgetItem(text if column == 0 else text.replace(" ", "\u00a0"))
                item.setToolTip(text)
                self.setItem(row, column, item)
        names = [p.document for p in passages] or [HEADERS[1]]
        self.setColumnWidth(1, max(elided_item_width(self, names), 120))
        self.resizeRowsToContents()

    def passage(self, row: int) -> Passage:
        return self._passages[row]

    def _activated(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._passages):
            passage = self._passages[row]
            self.passage_activated.emit(passage.document_id, passage.start, passage.end)
