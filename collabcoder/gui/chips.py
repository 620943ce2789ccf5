"""Chips: what currently decides a command or a list (the current code, each active filter),
shown as small buttons that say it and clear it ("Code: Trust ✕")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

CHIP_TEXT_WIDTH = 170  # a chip's text elides in the middle beyond this many pixels


@dataclass(frozen=True)
class ChipSpec:
    key: str  # what clearing it clears
    text: str  # e.g. "Code: Drivers/Trust"
    colour: str = ""  # a swatch, for a code


def chip_button(parent: QWidget, spec: ChipSpec) -> QToolButton:
    """A flat button reading ``text ✕``; its tooltip and accessible name say what it clears."""
    button = QToolButton(parent)
    shown = button.fontMetrics().elidedText(
        spec.text, Qt.TextElideMode.ElideMiddle, CHIP_TEXT_WIDTH
    )
    button.setText(f"{shown}  ✕")
    button.setToolTip(f"{spec.text} — click to clear")
    button.setAccessibleName(f"Clear {spec.text}")
    button.setObjectName("chip")
    button.setAutoRaise(False)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    if spec.colour and QColor.isValidColorName(spec.colour):
        swatch = QPixmap(10, 10)
        swatch.fill(QColor(spec.colour))
        button.setIcon(QIcon(swatch))
    return button


class ChipBar(QWidget):
    """A row of chips after a caption; ``cleared(key)`` when one is clicked, or "" for all."""

    cleared = Signal(str)

    def __init__(self, caption: str, empty: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._caption = QLabel(caption, self)
        self._empty = QLabel(empty, self)
        self._empty.setEnabled(False)  # muted
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(4)
        self._row.addWidget(self._caption)
        self._row.addWidget(self._empty)
        self._row.addStretch(1)
        self.chips: list[QToolButton] = []
        self.clear_all = QToolButton(self)
        self.clear_all.setText("Clear all")
        self.clear_all.setAutoRaise(True)
        self.clear_all.clicked.connect(lambda: self.cleared.emit(""))
        self._row.addWidget(self.clear_all)
        self.set_chips([])

    def set_chips(self, specs: Sequence[ChipSpec]) -> None:
        for chip in self.chips:
            self._row.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for n, spec in enumerate(specs):
            chip = chip_button(self, spec)
            chip.clicked.connect(lambda _=False, key=spec.key: self.cleared.emit(key))
            self._row.insertWidget(2 + n, chip)
            self.chips.append(chip)
        self._empty.setVisible(not specs)
        self.clear_all.setVisible(len(specs) > 1)

    def texts(self) -> list[str]:
        """The chips' full texts, in order (for tests and screen readers)."""
        return [chip.toolTip().removesuffix(" — click to clear") for chip in self.chips]
