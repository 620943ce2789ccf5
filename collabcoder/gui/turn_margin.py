"""The margin left of the text: turn (or paragraph) numbers, and the speaker's full name where the
text shows only a speaker key's initials ("MD" for Michelle Drumm), in that speaker's colour.

The text itself is never changed (every offset depends on it); the margin is painted beside it,
only for the blocks on screen, like the coding stripes on the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QWidget

from collabcoder.core.records import TurnRecord
from collabcoder.core.text import Utf16Map

from .document_view import DocumentView
from .spans import speaker_colours, speaker_is_named

NAME_WIDTH = 112  # room for a speaker's name, when the text shows only initials
PAD = 6


@dataclass(frozen=True)
class MarginRow:
    """What the margin shows beside the line holding UTF-16 ``position``."""

    position: int
    number: str
    speaker: str | None = None  # shown only when the text does not spell it out
    colour: str = ""


def margin_rows(text: str, turns: Sequence[TurnRecord], utf16: Utf16Map) -> list[MarginRow]:
    """Turn numbers (with names where only initials are written), else paragraph numbers."""
    convert = utf16.to_utf16
    if turns:
        colours = speaker_colours(turns)
        return [
            MarginRow(
                int(convert(turn.start)),
                str(n),
                None if not turn.speaker or speaker_is_named(text, turn) else turn.speaker,
                colours.get(turn.speaker, ""),
            )
            for n, turn in enumerate(turns, start=1)
        ]
    rows, start, number = [], 0, 0
    for line in text.split("\n"):
        if line.strip():
            number += 1
            rows.append(MarginRow(int(convert(start)), str(number)))
        start += len(line) + 1
    return rows


class TurnMargin(QWidget):
    """Paints the rows of the document in ``view`` that are on screen."""

    def __init__(self, view: DocumentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.rows: list[MarginRow] = []
        self._by_block: dict[int, MarginRow] = {}
        self.setAccessibleName("Turn numbers and speakers")
        view.updateRequest.connect(lambda _rect, _dy: self.update())
        view.document_shown.connect(self._document_shown)

    def _document_shown(self) -> None:
        view = self.view
        self.set_rows(margin_rows(view.text, view.turns, view.utf16) if view.text else [])

    def set_rows(self, rows: list[MarginRow]) -> None:
        self.rows = rows
        document = self.view.document()
        self._by_block = {document.findBlock(r.position).blockNumber(): r for r in rows}
        self.setFixedWidth(self.sizeHint().width())
        self.setToolTip(
            "Speaker names come from the transcript's speaker key."
            if any(r.speaker for r in rows)
            else ""
        )
        self.update()

    def sizeHint(self) -> QSize:
        digits = len(self.rows[-1].number) if self.rows else 1
        width = self.fontMetrics().horizontalAdvance("9" * max(digits, 2)) + 2 * PAD
        if any(r.speaker for r in self.rows):
            width += NAME_WIDTH
        return QSize(width, 100)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.Window))
        if not self._by_block:
            return
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        origin = QPoint(0, 0)
        shift = self.view.viewport().mapToGlobal(origin).y() - self.mapToGlobal(origin).y()
        bottom = self.view.viewport().height()
        offset = self.view.contentOffset()
        number_width = self.width() - 2 * PAD - (NAME_WIDTH if self._names() else 0)
        bold = QFont(self.font())
        bold.setBold(True)
        line = self.fontMetrics().height()
        block = self.view.firstVisibleBlock()
        while block.isValid():
            top = self.view.blockBoundingGeometry(block).translated(offset).top()
            if top > bottom:
                break
            row = self._by_block.get(block.blockNumber())
            if row is not None and block.isVisible():
                y = int(shift + top)
                painter.setPen(muted)
                painter.setFont(self.font())
                right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
                painter.drawText(QRect(PAD, y, number_width, line), int(right), row.number)
                if row.speaker:
                    painter.setPen(QColor(row.colour) if row.colour else muted)
                    painter.setFont(bold)
                    name = painter.fontMetrics().elidedText(
                        row.speaker, Qt.TextElideMode.ElideRight, NAME_WIDTH - PAD
                    )
                    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                    box = QRect(PAD + number_width + PAD, y, NAME_WIDTH - PAD, line)
                    painter.drawText(box, int(left), name)
            block = block.next()
        painter.end()

    def _names(self) -> bool:
        return any(r.speaker for r in self.rows)

    def row_at_block(self, block_number: int) -> MarginRow | None:
        return self._by_block.get(block_number)
