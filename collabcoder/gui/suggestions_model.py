"""The table of open suggestions for one document: code, score, method, reason, passage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from collabcoder.core.records import SuggestionRecord

Index: TypeAlias = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument
COLUMNS = ("Code", "Score", "Method", "Reason", "Passage")


@dataclass(frozen=True)
class SuggestionRow:
    suggestion: SuggestionRecord
    code: str  # the code's path
    colour: str
    passage: str


class SuggestionsModel(QAbstractTableModel):
    """Rows in the order given (best score first)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[SuggestionRow] = []

    def set_rows(self, rows: list[SuggestionRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        sug, column = row.suggestion, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            name = row.code.rsplit("/", 1)[-1]  # the full path is in the tooltip
            return (name, f"{sug.score:.2f}", sug.method, sug.reason, row.passage)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{row.code} ({sug.method}, score {sug.score:.2f})\n{sug.reason}\n\n“{row.passage}”"
            )
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(row.colour)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
            return f"Suggest {row.code}, score {sug.score:.2f}, because {sug.reason}"
        return None
