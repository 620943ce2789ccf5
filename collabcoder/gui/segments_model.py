"""The retrieval table: one row per coded segment, with its quote in context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from collabcoder.core.records import SegmentRecord

from .row_model import Index, RowTableModel

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


class SegmentsModel(RowTableModel[SegmentRow]):
    columns = COLUMNS

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
