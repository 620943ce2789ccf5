"""A compact multiple-choice filter: a button whose menu holds one checkable item per choice."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QToolButton, QWidget


class CheckMenuButton(QToolButton):
    """``chosen()`` is the checked choices; none checked means "all" (no restriction)."""

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setAccessibleName(f"Filter: {label}")
        self.setMenu(QMenu(self))
        self._update_text()

    def set_choices(self, choices: Sequence[str]) -> None:
        """Offer ``choices``, keeping the ones still offered checked."""
        kept = set(self.chosen())
        menu = self.menu()
        menu.clear()
        for choice in choices:
            action = menu.addAction(choice)
            action.setCheckable(True)
            action.setChecked(choice in kept)
            action.toggled.connect(self._toggled)
        self._update_text()

    def set_chosen(self, choices: Sequence[str]) -> None:
        for action in self.menu().actions():
            action.blockSignals(True)
            action.setChecked(action.text() in choices)
            action.blockSignals(False)
        self._toggled()

    def chosen(self) -> tuple[str, ...]:
        return tuple(a.text() for a in self.menu().actions() if a.isChecked())

    def _toggled(self) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        chosen = self.chosen()
        shown = ", ".join(chosen) if len(chosen) <= 2 else f"{len(chosen)} chosen"
        self.setText(f"{self.label}: {shown or 'all'}")
