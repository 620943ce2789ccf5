"""The table of open suggestions for one document: code, score, track record, method, reason,
passage.

A score is shown as a percentage because it is calibrated (the learned model on out-of-fold
predictions, the lexical one on its measured precision): "80 %" means about 80 in 100 such
suggestions are right. The track record is how often the team accepted this code's suggestions
of this method when it decided on them ("accepted 18 of 20").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from collabcoder.core.records import SuggestionRecord

from .row_model import Index, RowTableModel

COLUMNS = ("Code", "Score", "Track record", "Method", "Reason", "Passage")


@dataclass(frozen=True)
class SuggestionRow:
    suggestion: SuggestionRecord
    code: str  # the code's path
    colour: str
    passage: str
    # (accepted, decided) for this code and method so far (SuggestionManager.reliability)
    record: tuple[int, int] = (0, 0)


def percent(score: float) -> str:
    return f"{round(score * 100)} %"


def track_record(record: tuple[int, int]) -> str:
    accepted, decided = record
    return f"accepted {accepted} of {decided}" if decided else "none decided yet"


class SuggestionsModel(RowTableModel[SuggestionRow]):
    columns = COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        sug, column = row.suggestion, index.column()
        score, record = percent(sug.score), track_record(row.record)
        if role == Qt.ItemDataRole.DisplayRole:
            name = row.code.rsplit("/", 1)[-1]  # the full path is in the tooltip
            return (name, score, record, sug.method, sug.reason, row.passage)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{row.code} ({sug.method}, score {score}: about {score} of such suggestions "
                f"are right)\nSo far, {sug.method} suggestions of this code: {record}\n"
                f"{sug.reason}\n\n“{row.passage}”"
            )
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(row.colour)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
            return f"Suggest {row.code}, score {score}, {record}, because {sug.reason}"
        return None
