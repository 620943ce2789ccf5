"""Coding stripes: a margin beside the text with one bar per coded segment over its lines.

Bars sit in lanes (as few as the deepest overlap needs), in their code's colour; hovering shows
the code and coder, clicking selects the segment in the text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from .coding_layer import Span
from .document_view import DocumentView

BAR = 6
GAP = 3
MARGIN = 4


class CodingStripes(QWidget):
    """Paints the stripes for whatever part of ``view`` is on screen."""

    segment_clicked = Signal(int)  # segment id

    def __init__(self, view: DocumentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._bars: list[tuple[QRectF, Span]] = []
        self.setMouseTracking(True)
        self.setAccessibleName("Coding stripes")
        self.setAccessibleDescription("One bar per coded segment; click a bar to select it.")
        view.updateRequest.connect(self._follow)
        view.layer_changed.connect(self._relayout)

    def sizeHint(self) -> QSize:
        lanes = max(1, len(self.view.layer.lanes))
        return QSize(2 * MARGIN + lanes * (BAR + GAP), 100)

    def _relayout(self) -> None:
        self.setFixedWidth(self.sizeHint().width())
        self.update()

    def _follow(self, _rect: QRect, _dy: int) -> None:
        self.update()

    def bars(self) -> list[tuple[QRectF, Span]]:
        """The bars painted last, in widget coordinates (for hit tests and tests)."""
        return list(self._bars)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.Window))
        self._bars = []
        layer = self.view.layer
        if not len(layer):
            return
        first, last = self.view.visible_range()
        # The viewport sits inside the view's frame; line the bars up with the text.
        origin = QPoint(0, 0)
        shift = self.view.viewport().mapToGlobal(origin).y() - self.mapToGlobal(origin).y()
        height = self.view.viewport().height()
        for lane, span in layer.spans_between(first, last):
            top = self.view.y_of(span.start) if span.start >= first else 0.0
            bottom = self.view.y_of(max(span.start, span.end - 1), bottom=True)
            if span.end > last or bottom is None:
                bottom = float(height)
            top = 0.0 if top is None else max(top, 0.0)
            bottom = min(bottom, float(height))
            if bottom <= top:
                continue
            rect = QRectF(MARGIN + lane * (BAR + GAP), shift + top + 1, BAR, bottom - top - 2)
            painter.fillRect(rect, QColor(span.colour))
            self._bars.append((rect, span))
        painter.end()

    def span_at(self, point: QPoint) -> Span | None:
        for rect, span in reversed(self._bars):
            if rect.adjusted(-1, 0, 1, 0).contains(point.toPointF()):
                return span
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            span = self.span_at(event.pos())
            if span is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), span.label, self)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        span = self.span_at(event.position().toPoint())
        if span is not None and event.button() == Qt.MouseButton.LeftButton:
            self.segment_clicked.emit(span.segment_id)
            event.accept()
            return
        super().mousePressEvent(event)
