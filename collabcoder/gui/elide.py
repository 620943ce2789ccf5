"""Long names elided in the middle (``Golden Key…call (illustrative)``) with the full name on hover.

An elided label asks for no width of its own, so a long document name can never widen the
window that holds it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

NAME_COLUMN_MAX = 180  # widest a name column of a table grows before eliding, in pixels


class ElidedLabel(QLabel):
    """One line of plain text, elided in the middle to the room it gets; full text as tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(0, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(
            self._full, Qt.TextElideMode.ElideMiddle, max(self.width(), 0)
        )
        super().setText(shown)


def elided_item_width(widget: QWidget, texts: Sequence[str], cap: int = NAME_COLUMN_MAX) -> int:
    """A column width that fits ``texts`` up to ``cap`` pixels (the view elides the rest)."""
    metrics = widget.fontMetrics()
    widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
    return min(widest + 16, cap)
