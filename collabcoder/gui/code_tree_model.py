"""The codebook as a Qt tree model: code names with colours, segment counts, favourite keys.

Dropping a text selection (dragged out of the document view) onto a code codes it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from collabcoder.core.records import CodeRecord

from .document_view import SPAN_MIME

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument
COLUMNS = ("Code", "Segments", "Key")  # "Key": the number key bound to the code


class CodeTreeModel(QAbstractItemModel):
    """Codes in tree order; ``span_dropped(code_id, document_id, start, end)`` on a drop."""

    span_dropped = Signal(int, int, int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._codes: dict[int, CodeRecord] = {}
        self._children: dict[int | None, list[int]] = defaultdict(list)
        self.counts: dict[int, int] = {}
        self.favourites: list[int] = []

    # -- filling ----------------------------------------------------------------------------------
    def set_codes(self, codes: list[CodeRecord], counts: dict[int, int]) -> None:
        self.beginResetModel()
        self._codes = {c.id: c for c in codes}
        self._children = defaultdict(list)
        for code in codes:  # tree order keeps siblings in position order
            self._children[code.parent_id].append(code.id)
        self.counts = counts
        self.endResetModel()

    def set_counts(self, counts: dict[int, int]) -> None:
        """Update segment counts in place (selection and expansion stay as they are)."""
        changed = {i for i in set(counts) | set(self.counts) if counts.get(i) != self.counts.get(i)}
        self.counts = counts
        for code_id in changed & set(self._codes):
            cell = self.index_of(code_id, 1)
            self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])

    def set_favourites(self, favourites: list[int]) -> None:
        touched = set(self.favourites) | set(favourites)
        self.favourites = favourites
        for code_id in touched & set(self._codes):
            cell = self.index_of(code_id, 2)
            self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])

    def code_ids(self) -> list[int]:
        return list(self._codes)

    def code(self, index: Index) -> CodeRecord | None:
        return self._codes.get(int(index.internalId())) if index.isValid() else None

    def index_of(self, code_id: int, column: int = 0) -> QModelIndex:
        code = self._codes.get(code_id)
        if code is None:
            return QModelIndex()
        row = self._children[code.parent_id].index(code_id)
        return self.createIndex(row, column, code_id)

    # -- the model protocol -----------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        parent_id = int(parent.internalId()) if parent.isValid() else None
        siblings = self._children.get(parent_id, [])
        if 0 <= row < len(siblings) and 0 <= column < len(COLUMNS):
            return self.createIndex(row, column, siblings[row])
        return QModelIndex()

    def parent(self, child: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        code = self.code(child)
        if code is None or code.parent_id is None:
            return QModelIndex()
        return self.index_of(code.parent_id)

    def rowCount(self, parent: Index = ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        parent_id = int(parent.internalId()) if parent.isValid() else None
        return len(self._children.get(parent_id, []))

    def columnCount(self, parent: Index = ROOT) -> int:
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        code = self.code(index)
        if code is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return code.name
            if column == 1:
                return str(self.counts.get(code.id, 0))
            if column == 2 and code.id in self.favourites:
                return str(self.favourites.index(code.id) + 1)
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(code.colour)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return code.definition or code.name
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
            return f"{code.name}, {self.counts.get(code.id, 0)} segments"
        return None

    # -- dropping a selection onto a code ---------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [SPAN_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(SPAN_MIME) and self._target(row, parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        target = self._target(row, parent)
        if target is None or not data.hasFormat(SPAN_MIME):
            return False
        span = json.loads(bytes(data.data(SPAN_MIME).data()).decode())
        self.span_dropped.emit(target.id, span["document_id"], span["start"], span["end"])
        # Nothing moves in the tree: coding is handled by whoever listens.
        return False

    def _target(self, row: int, parent: Index) -> CodeRecord | None:
        if row >= 0:
            return self.code(self.index(row, 0, parent))
        return self.code(parent)
