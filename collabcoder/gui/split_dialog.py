"""Split a code: name the new code and tick the segments it takes over."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .spans import quote_context


class SplitDialog(QDialog):
    """Lists a code's segments as quotes; the ticked ones move to the new code."""

    def __init__(
        self,
        parent: QWidget | None,
        code_name: str,
        segments: list[tuple[int, str, str]],
        chosen: set[int],
    ) -> None:
        """``segments``: (segment id, document name, quote); ``chosen``: ids ticked at first."""
        super().__init__(parent)
        self.setWindowTitle(f"Split {code_name}")
        self.name = QLineEdit(f"{code_name} (split)", self)
        self.name.setAccessibleName("Name of the new code")
        self.list = QListWidget(self)
        self.list.setAccessibleName("Segments that move to the new code")
        for segment_id, document, quote in segments:
            item = QListWidgetItem(f"{document}: “{quote}”", self.list)
            item.setData(Qt.ItemDataRole.UserRole, segment_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = segment_id in chosen
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(QLabel("Name of the new code:", self))
        column.addWidget(self.name)
        column.addWidget(QLabel("Segments it takes over (ticked):", self))
        column.addWidget(self.list, 1)
        column.addWidget(buttons)
        self.resize(620, 420)

    def chosen(self) -> list[int]:
        items = (self.list.item(row) for row in range(self.list.count()))
        return [
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]


def segment_quote(text: str, start: int, end: int) -> str:
    """A segment's words on one line, shortened for a list."""
    _before, quote, _after = quote_context(text, start, end, width=0)
    return quote if len(quote) <= 120 else quote[:119] + "…"
