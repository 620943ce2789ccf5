"""Long names elided in the middle (``Golden Key…call (illustrative)``) with the full name on hover.

An elided label asks for no width of its own, so a long document name can never widen the
window that holds it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractButton, QLabel, QSizePolicy, QWidget

NAME_COLUMN_MAX = 180  # widest a name column of a table grows before eliding, in pixels


class ElidedLabel(QLabel):
    """One line of plain text, elided in the middle to the room it gets; full text as tooltip.

    The text is elided when painted, with the font the style sheet gave the label by then.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def shown_text(self) -> str:
        """The text as painted at the label's current width."""
        return self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideMiddle, max(self.contentsRect().width(), 0)
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(0, super().sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(self.contentsRect(), int(align), self.shown_text())
        painter.end()


def elided_item_width(widget: QWidget, texts: Sequence[str], cap: int = NAME_COLUMN_MAX) -> int:
    """A column width that fits ``texts`` up to ``cap`` pixels (the view elides the rest)."""
    metrics = widget.fontMetrics()
    widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
    return min(widest + 16, cap)


def compact(button: QAbstractButton) -> QAbstractButton:
    """Let ``button`` shrink to its text: styles give buttons a least width (~80 px) that, three
    in a row, would set a dock's least width."""
    button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 24)
    return button
