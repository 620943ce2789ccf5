"""The codebook as a Qt tree model: code names with colours, counts, favourite keys.

Dropping a text selection (dragged out of the document view) onto a code codes it; dragging codes
within the tree moves them (onto a code: under it; between codes: to that place).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from collabcoder.core.records import CodeRecord

from .document_view import SPAN_MIME
from .row_model import ROOT, Index

COLUMNS = ("Code", "Segments", "Docs", "Key")  # "Key": the number key bound to the code
KEY_COLUMN = 3
CODES_MIME = "application/x-collabcoder-codes"


class CodeTreeModel(QAbstractItemModel):
    """Codes in tree order; ``span_dropped(code_id, document_id, start, end)`` on a drop.

    ``codes_dropped(code_ids, parent_id or -1, position or -1)`` when codes are dragged in the tree.
    """

    span_dropped = Signal(int, int, int, int)
    codes_dropped = Signal(list, int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._codes: dict[int, CodeRecord] = {}
        self._children: dict[int | None, list[int]] = defaultdict(list)
        self.counts: dict[int, int] = {}
        self.documents: dict[int, int] = {}  # documents coded with each code
        self.favourites: list[int] = []

    # -- filling ----------------------------------------------------------------------------------
    def set_codes(
        self,
        codes: list[CodeRecord],
        counts: dict[int, int],
        documents: dict[int, int] | None = None,
    ) -> None:
        self.beginResetModel()
        self._codes = {c.id: c for c in codes}
        self._children = defaultdict(list)
        for code in codes:  # tree order keeps siblings in position order
            self._children[code.parent_id].append(code.id)
        self.counts = counts
        self.documents = documents or {}
        self.endResetModel()

    def set_counts(self, counts: dict[int, int], documents: dict[int, int] | None = None) -> None:
        """Update counts in place (selection and expansion stay as they are)."""
        documents = documents or {}
        changed = {
            i
            for i in set(counts) | set(self.counts) | set(documents) | set(self.documents)
            if (counts.get(i), documents.get(i)) != (self.counts.get(i), self.documents.get(i))
        }
        self.counts = counts
        self.documents = documents
        for code_id in changed & set(self._codes):
            first, last = self.index_of(code_id, 1), self.index_of(code_id, 2)
            self.dataChanged.emit(first, last, [Qt.ItemDataRole.DisplayRole])

    def update_counts(self, code_ids: Iterable[int], found: dict[int, tuple[int, int]]) -> None:
        """Recounted ``code_ids`` (``found``: segments and documents; absent means none)."""
        counts, documents = dict(self.counts), dict(self.documents)
        for code_id in code_ids:
            segments, docs = found.get(code_id, (0, 0))
            counts[code_id], documents[code_id] = segments, docs
        self.set_counts(counts, documents)

    def set_favourites(self, favourites: list[int]) -> None:
        touched = set(self.favourites) | set(favourites)
        self.favourites = favourites
        for code_id in touched & set(self._codes):
            cell = self.index_of(code_id, KEY_COLUMN)
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

    def parent(self, child: Index = ROOT) -> QModelIndex:  # type: ignore[override, unused-ignore]
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
            if column == 2:
                return str(self.documents.get(code.id, 0))
            if column == KEY_COLUMN and code.id in self.favourites:
                return str(self.favourites.index(code.id) + 1)
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(code.colour)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return code_tooltip(code)
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
            segments, documents = self.counts.get(code.id, 0), self.documents.get(code.id, 0)
            return f"{code.name}, {segments} segments in {documents} documents"
        return None

    # -- drag and drop: text selections onto codes, codes within the tree -----------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled | Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsDropEnabled  # the empty space: move to the top level

    def mimeTypes(self) -> list[str]:
        return [SPAN_MIME, CODES_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # type: ignore[override, unused-ignore]
        ids = list(dict.fromkeys(c.id for c in (self.code(i) for i in indexes) if c is not None))
        mime = QMimeData()
        mime.setData(CODES_MIME, json.dumps(ids).encode())
        return mime

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if data.hasFormat(CODES_MIME):
            return self._code_drop(data, row, parent) is not None
        # A selection is coded only when dropped squarely on a code, never between two.
        return data.hasFormat(SPAN_MIME) and row < 0 and self.code(parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if data.hasFormat(CODES_MIME):
            move = self._code_drop(data, row, parent)
            if move is not None:
                ids, parent_id, position = move
                self.codes_dropped.emit(ids, -1 if parent_id is None else parent_id, position)
            # False: the tree is rebuilt from the project, so Qt must not remove rows itself.
            return False
        target = self.code(parent) if row < 0 else None
        if target is None or not data.hasFormat(SPAN_MIME):
            return False
        span = json.loads(bytes(data.data(SPAN_MIME).data()).decode())
        self.span_dropped.emit(target.id, span["document_id"], span["start"], span["end"])
        # Nothing moves in the tree: coding is handled by whoever listens.
        return False

    def _code_drop(
        self, data: QMimeData, row: int, parent: Index
    ) -> tuple[list[int], int | None, int] | None:
        """(codes, new parent, position or -1 for the end) for a drop of codes, or None."""
        dragged = json.loads(bytes(data.data(CODES_MIME).data()).decode())
        ids = [i for i in dragged if i in self._codes]
        target = self.code(parent)
        parent_id = target.id if target else None
        if not ids or any(parent_id in self._subtree(i) for i in ids):
            return None  # a code cannot move inside itself
        return ids, parent_id, row

    def _subtree(self, code_id: int) -> set[int]:
        out, todo = set(), [code_id]
        while todo:
            current = todo.pop()
            out.add(current)
            todo.extend(self._children.get(current, []))
        return out

    def siblings(self, parent_id: int | None) -> list[int]:
        """The codes directly under ``parent_id`` (None: the top level), in order."""
        return list(self._children.get(parent_id, []))


def code_tooltip(code: CodeRecord) -> str:
    """The definition on hover, with the criteria and example when the codebook has them."""
    rows = [f"<b>{escape(code.name)}</b>"]
    for label, text in (
        ("", code.definition),
        ("Include: ", code.inclusion),
        ("Exclude: ", code.exclusion),
        ("Example: ", code.example),
    ):
        if text.strip():
            rows.append(f"{label and f'<i>{label}</i>'}{escape(text.strip())}")
    if len(rows) == 1:
        rows.append("<i>No definition yet: Code > Edit code… adds one.</i>")
    return "<p>" + "<br>".join(rows) + "</p>"
