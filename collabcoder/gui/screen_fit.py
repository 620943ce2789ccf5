"""Window sizes from the screen's available geometry, so nothing opens larger than a laptop."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

SMALLEST_SCREEN = QSize(1280, 720)  # the smallest supported screen (see the README)
_MARGIN = 0.96  # leave a little of the desktop showing around a window that is not maximised


def available(widget: QWidget) -> QRect:
    """The usable desktop (no task bar or panels) of the screen ``widget`` is on."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_size(
    widget: QWidget, width: int, height: int, share: float = _MARGIN, grow: float = 0.0
) -> QSize:
    """``width`` x ``height`` (grown to ``grow`` of a larger desktop), shrunk to ``share`` of the
    available desktop when that is smaller."""
    room = available(widget)
    width, height = max(width, int(room.width() * grow)), max(height, int(room.height() * grow))
    return QSize(min(width, int(room.width() * share)), min(height, int(room.height() * share)))


def fit_window(
    widget: QWidget, width: int, height: int, share: float = _MARGIN, grow: float = 0.0
) -> None:
    """Resize ``widget`` to at most ``share`` of the desktop and place it wholly on it."""
    widget.resize(fit_size(widget, width, height, share, grow))
    keep_on_screen(widget)


def keep_on_screen(widget: QWidget) -> None:
    """Shrink and move ``widget`` (e.g. after restoring a saved geometry) onto its screen."""
    room = available(widget)
    frame = widget.frameGeometry()
    extra_w, extra_h = frame.width() - widget.width(), frame.height() - widget.height()
    size = widget.size().boundedTo(QSize(room.width() - extra_w, room.height() - extra_h))
    if size != widget.size():
        widget.resize(size)
    x = min(max(frame.x(), room.left()), room.right() + 1 - (size.width() + extra_w))
    y = min(max(frame.y(), room.top()), room.bottom() + 1 - (size.height() + extra_h))
    if (x, y) != (frame.x(), frame.y()):
        widget.move(x, y)
