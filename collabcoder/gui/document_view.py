"""The read-only document view: canonical text, structured turns, coded spans painted beneath.

Coded spans are painted by hand under the text, only for the blocks on screen, from a
:class:`CodingLayer`; neither ExtraSelections (which lay out every touched block when set) nor a
syntax highlighter (which re-runs per block) is involved, so a dense 100,000-word transcript stays
fast. Qt counts UTF-16 units; every position leaving this widget is a code point, converted with
the document's ``Utf16Map``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from PySide6.QtCore import QMimeData, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from collabcoder.core.records import TurnRecord
from collabcoder.core.text import Utf16Map

from .coding_layer import CodingLayer
from .spans import speaker_colours, turn_label

SPAN_MIME = "application/x-collabcoder-span"


class DocumentView(QPlainTextEdit):
    """Shows one document; emits code-point positions, never Qt's UTF-16 ones."""

    favourite_key = Signal(int)  # 1..9 pressed with text selected
    layer_changed = Signal()
    document_shown = Signal()  # a new document (or none) is on show

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setAccessibleName("Document text")
        self.setAccessibleDescription(
            "The document being coded. Select text, then press a number key, Ctrl+Return or "
            "use the context menu to code it."
        )
        self.document_id: int | None = None
        self._map = Utf16Map("")
        self._text = ""
        self.layer = CodingLayer()
        self.turns: list[TurnRecord] = []
        self.alpha = 95
        # Painters drawn over the text after it (e.g. dashed outlines of suggested spans).
        self.overlays: list[Callable[[QPainter], None]] = []

    # -- content ----------------------------------------------------------------------------------
    def show_document(
        self, document_id: int | None, text: str, turns: Sequence[TurnRecord], utf16: Utf16Map
    ) -> None:
        """Show ``text`` with its turns' speaker labels bold in their speaker's colour and
        timestamps muted."""
        self.document_id = document_id
        self._text = text
        self._map = utf16
        self.layer = CodingLayer()
        self.setPlainText(text)
        self._format_turns(turns)
        self.turns = list(turns)
        self.document_shown.emit()
        self.layer_changed.emit()

    def _format_turns(self, turns: Sequence[TurnRecord]) -> None:
        colours = speaker_colours(turns)
        muted = QTextCharFormat()
        muted.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        document = self.document()
        # Formats go straight onto each block's layout (as a highlighter would, but once):
        # the text is read-only, so they never need recomputing.
        for turn in turns:
            label = turn_label(self._text, turn)
            # Each speaker's label in bold and the speaker's own colour (as in the margin).
            bold = QTextCharFormat()
            bold.setFontWeight(QFont.Weight.Bold)
            if turn.speaker in colours:
                bold.setForeground(QColor(colours[turn.speaker]))
            ranges = []
            for span, fmt in ((label.stamp, muted), (label.speaker, bold)):
                if span is None:
                    continue
                start, end = self._map.to_utf16(span[0]), self._map.to_utf16(span[1])
                block = document.findBlock(start)
                piece = QTextLayout.FormatRange()
                piece.start = start - block.position()
                piece.length = end - start
                piece.format = fmt
                ranges.append((block, piece))
            for block, piece in ranges:
                layout = block.layout()
                layout.setFormats([*layout.formats(), piece])

    def set_layer(self, layer: CodingLayer) -> None:
        """Replace the coded spans painted under the text."""
        self.layer = layer
        self.viewport().update()
        self.layer_changed.emit()

    @property
    def text(self) -> str:
        return self._text

    @property
    def utf16(self) -> Utf16Map:
        return self._map

    # -- positions (code points outside, UTF-16 inside) -------------------------------------------
    def selection_range(self) -> tuple[int, int] | None:
        """The selected characters as code points ``(start, end)``, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._map.from_utf16(cursor.selectionStart())
        end = self._map.from_utf16(cursor.selectionEnd())
        return (start, end) if end > start else None

    def cursor_position(self) -> int:
        return self._map.from_utf16(self.textCursor().position())

    def select_range(self, start: int, end: int) -> None:
        """Select code points ``start:end`` and scroll them into view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_utf16(start))
        cursor.setPosition(self._map.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.centerCursor()

    def position_at(self, point: QPoint) -> int:
        return self._map.from_utf16(self.cursorForPosition(point).position())

    def visible_range(self) -> tuple[int, int]:
        """The UTF-16 range shown on screen."""
        first = self.firstVisibleBlock().position()
        last = self.cursorForPosition(QPoint(self.viewport().width(), self.viewport().height()))
        return first, last.block().position() + last.block().length()

    def y_of(self, position: int, bottom: bool = False) -> float | None:
        """Viewport y of the line holding UTF-16 ``position`` (its top, or its bottom)."""
        block = self.document().findBlock(position)
        if not block.isValid():
            return None
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        layout = block.layout()
        line = layout.lineForTextPosition(position - block.position())
        if not line.isValid():
            return top
        return top + line.y() + (line.height() if bottom else 0.0)

    # -- drag a selection onto the code tree ------------------------------------------------------
    def createMimeDataFromSelection(self) -> QMimeData:
        # Qt's own text mime data reports a fixed list of formats, so build a plain one.
        mime = QMimeData()
        mime.setText(self.textCursor().selection().toPlainText())
        chosen = self.selection_range()
        if chosen is not None and self.document_id is not None:
            payload = {"document_id": self.document_id, "start": chosen[0], "end": chosen[1]}
            mime.setData(SPAN_MIME, json.dumps(payload).encode())
        return mime

    # -- favourite codes on number keys -----------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if plain and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.favourite_key.emit(int(key) - int(Qt.Key.Key_0))
            event.accept()
            return
        super().keyPressEvent(event)

    # -- painting ---------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        if len(self.layer):
            painter = QPainter(self.viewport())
            offset = self.contentOffset()
            bottom = self.viewport().height()
            block = self.firstVisibleBlock()
            while block.isValid():
                geometry = self.blockBoundingGeometry(block).translated(offset)
                if geometry.top() > bottom:
                    break
                if block.isVisible() and geometry.bottom() >= event.rect().top():
                    self._paint_block(painter, block, geometry.left(), geometry.top())
                block = block.next()
            painter.end()
        super().paintEvent(event)
        if self.overlays:
            painter = QPainter(self.viewport())
            for overlay in self.overlays:
                overlay(painter)
            painter.end()

    def _paint_block(self, painter: QPainter, block: QTextBlock, left: float, top: float) -> None:
        begin = block.position()
        finish = begin + block.length()
        pieces = self.layer.pieces_between(begin, finish)
        if not pieces:
            return
        layout = block.layout()
        for index in range(layout.lineCount()):
            line = layout.lineAt(index)
            line_start = begin + line.textStart()
            line_end = line_start + line.textLength()
            for piece in pieces:
                if piece.end <= line_start or piece.start >= line_end:
                    continue
                x1 = _x(line, max(piece.start, line_start) - begin)
                x2 = _x(line, min(piece.end, line_end) - begin)
                band = line.height() / len(piece.colours)
                # Overlapping codes share the line height in bands, so each stays visible.
                for n, colour in enumerate(piece.colours):
                    fill = QColor(colour)
                    fill.setAlpha(self.alpha)
                    rect = QRectF(left + x1, top + line.y() + n * band, x2 - x1, band)
                    painter.fillRect(rect, fill)


def _x(line: QTextLine, position: int) -> float:
    # PySide returns (x, position) from cursorToX; only x matters here.
    result: tuple[float, int] = line.cursorToX(position)  # type: ignore[assignment, unused-ignore]
    return float(result[0])
