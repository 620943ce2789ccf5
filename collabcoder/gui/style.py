"""Light and dark styles that follow the system's colour scheme, and the app icon.

Style sheets live in ``resources/`` at the repository root; when CollabCoder runs without them
(an installed wheel) Qt's own look is used. No style sets a font size, so text follows the
system setting.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def is_dark() -> bool:
    """True when the system asks for a dark colour scheme (or the palette is already dark)."""
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def _dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#1f2329"),
        (QPalette.ColorRole.WindowText, "#e3e7ec"),
        (QPalette.ColorRole.Base, "#181b20"),
        (QPalette.ColorRole.AlternateBase, "#20242a"),
        (QPalette.ColorRole.Text, "#e3e7ec"),
        (QPalette.ColorRole.PlaceholderText, "#8a939e"),
        (QPalette.ColorRole.Button, "#2a2f36"),
        (QPalette.ColorRole.ButtonText, "#e3e7ec"),
        (QPalette.ColorRole.Highlight, "#4a8fd8"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.ToolTipBase, "#2a2f36"),
        (QPalette.ColorRole.ToolTipText, "#e3e7ec"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def apply_style(app: QApplication, dark: bool | None = None) -> bool:
    """Apply the light or dark style (the system's choice unless ``dark`` is given)."""
    dark = is_dark() if dark is None else dark
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)
    app.setPalette(_dark_palette() if dark else app.style().standardPalette())
    sheet = RESOURCES / ("dark.qss" if dark else "light.qss")
    app.setStyleSheet(sheet.read_text(encoding="utf-8") if sheet.is_file() else "")
    return dark


def follow_system(app: QApplication) -> None:
    """Re-style whenever the system switches between light and dark."""
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_style(app))


def app_icon() -> QIcon:
    for name in ("icon.svg", "icon.png"):
        path = RESOURCES / name
        if path.is_file():
            return QIcon(str(path))
    return QIcon()
