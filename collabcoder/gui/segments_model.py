"""The retrieval table: one row per coded segment, with its quote in context."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from collabcoder.core.records import SegmentRecord

from .row_model import ROOT, Index, RowTableModel

COLUMNS = ("Quote in context", "Code", "Document", "Case", "Coder", "Origin")
QUOTE_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class SegmentRow:
    segment: SegmentRecord
    document: str
    case: str
    code: str
    coder: str
    before: str
    quote: str
    after: str

    def reference(self) -> str:
        """The quote as a researcher pastes it into a report."""
        where = ", ".join(part for part in (self.document, self.case) if part)
        return (
            f"“{self.quote}” ({where}; {self.code}; coded by {self.coder}; "
            f"characters {self.segment.start}–{self.segment.end})"
        )


def _order(row: SegmentRow) -> tuple[int, int, int, int]:
    """Rows sit in document and text order, as the project lists segments."""
    s = row.segment
    return (s.document_id, s.start, s.end, s.id)


class SegmentsModel(RowTableModel[SegmentRow]):
    """The rows in text order; a coding step moves only its own rows (``apply``)."""

    columns = COLUMNS

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[tuple[int, int, int, int]] = []
        self._by_id: dict[int, SegmentRow] = {}

    def set_rows(self, rows: list[SegmentRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._keys = [_order(r) for r in rows]
        self._by_id = {r.segment.id: r for r in rows}
        self.endResetModel()

    def apply(self, removed: Collection[int], rows: list[SegmentRow]) -> None:
        """Drop the rows of ``removed`` segments and put ``rows`` in place (new or changed).

        Each change is a row insert, removal or update, so the view keeps its selection and
        scroll position and nothing else is rebuilt.
        """
        for segment_id in {*removed, *(r.segment.id for r in rows)}:
            old = self._by_id.get(segment_id)
            if old is None:
                continue
            new = next((r for r in rows if r.segment.id == segment_id), None)
            at = bisect_left(self._keys, _order(old))
            if new is not None and _order(new) == _order(old):
                self.rows[at] = self._by_id[segment_id] = new
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))
                continue
            self.beginRemoveRows(ROOT, at, at)
            del self.rows[at], self._keys[at], self._by_id[segment_id]
            self.endRemoveRows()
        for row in rows:
            if row.segment.id in self._by_id:
                continue
            key = _order(row)
            at = bisect_left(self._keys, key)
            self.beginInsertRows(ROOT, at, at)
            self.rows.insert(at, row)
            self._keys.insert(at, key)
            self._by_id[row.segment.id] = row
            self.endInsertRows()

    def has(self, segment_id: int) -> bool:
        return segment_id in self._by_id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (row.quote, row.code, row.document, row.case, row.coder, row.segment.origin)
            return values[column]
        if role == QUOTE_ROLE:
            return (row.before, row.quote, row.after)
        if column == 0 and role in (
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return f"{row.before} [{row.quote}] {row.after}"
        return None


class QuoteDelegate(QStyledItemDelegate):
    """Draws context muted and the quote itself in full colour, on one elided line."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        parts = index.data(QUOTE_ROLE)
        if not parts:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        before, quote, after = parts
        style = option.widget.style() if option.widget else None
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        strong = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        rect = option.rect.adjusted(4, 0, -4, 0)
        metrics = option.fontMetrics
        painter.save()
        x = rect.left()
        # The context before gets at most a quarter of the cell, cut from its left end.
        parts = (
            (before + " ", muted, Qt.TextElideMode.ElideLeft, rect.width() // 4),
            (quote, strong, Qt.TextElideMode.ElideRight, rect.width()),
            (" " + after, muted, Qt.TextElideMode.ElideRight, rect.width()),
        )
        for text, colour, elide, limit in parts:
            room = min(rect.right() - x, limit)
            if room <= 0 or not text.strip():
                continue
            shown = metrics.elidedText(text, elide, room)
            painter.setPen(colour)
            painter.drawText(
                x, rect.top(), room, rect.height(), int(Qt.AlignmentFlag.AlignVCenter), shown
            )
            x += metrics.horizontalAdvance(shown)
        painter.restore()
