"""The table of open suggestions for one document: code, score, method, reason, passage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from collabcoder.core.records import SuggestionRecord

from .row_model import Index, RowTableModel

COLUMNS = ("Code", "Score", "Method", "Reason", "Passage")


@dataclass(frozen=True)
class SuggestionRow:
    suggestion: SuggestionRecord
    code: str  # the code's path
    colour: str
    passage: str


class SuggestionsModel(RowTableModel[SuggestionRow]):
    columns = COLUMNS

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
