"""Dashed outlines around suggested spans, drawn over the document view's text.

Only the lines on screen are drawn, as for coded spans. Positions are Qt's UTF-16 units; the
suggestion being reviewed is drawn thicker so the eye finds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextLine

from .document_view import DocumentView


@dataclass(frozen=True)
class Outline:
    """One suggested span in Qt units."""

    suggestion_id: int
    start: int
    end: int
    colour: str


class SuggestionOverlay:
    """Installs itself on a document view; :meth:`set_outlines` says what to draw."""

    def __init__(self, view: DocumentView) -> None:
        self.view = view
        self.outlines: list[Outline] = []
        self.current: int | None = None
        view.overlays.append(self.paint)

    def set_outlines(self, outlines: list[Outline], current: int | None = None) -> None:
        self.outlines = sorted(outlines, key=lambda o: (o.start, o.end))
        self.current = current
        self.view.viewport().update()

    def set_current(self, suggestion_id: int | None) -> None:
        if suggestion_id != self.current:
            self.current = suggestion_id
            self.view.viewport().update()

    def paint(self, painter: QPainter) -> None:
        if not self.outlines:
            return
        view = self.view
        first, last = view.visible_range()
        shown = [o for o in self.outlines if o.end > first and o.start < last]
        document = view.document()
        offset = view.contentOffset()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for outline in shown:
            pen = QPen(QColor(outline.colour))
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setWidth(3 if outline.suggestion_id == self.current else 1)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            block = document.findBlock(max(outline.start, first))
            while block.isValid() and block.position() < min(outline.end, last):
                top = view.blockBoundingGeometry(block).translated(offset)
                layout = block.layout()
                begin = block.position()
                for index in range(layout.lineCount()):
                    line = layout.lineAt(index)
                    line_start = begin + line.textStart()
                    line_end = line_start + line.textLength()
                    if outline.end <= line_start or outline.start >= line_end:
                        continue
                    x1 = _x(line, max(outline.start, line_start) - begin)
                    x2 = _x(line, min(outline.end, line_end) - begin)
                    rect = QRectF(top.left() + x1, top.top() + line.y(), x2 - x1, line.height())
                    painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
                block = block.next()


def _x(line: QTextLine, position: int) -> float:
    result: tuple[float, int] = line.cursorToX(position)  # type: ignore[assignment, unused-ignore]
    return float(result[0])
