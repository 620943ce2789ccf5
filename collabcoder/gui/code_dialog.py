"""The dialog that creates or edits a code: name, colour, definition, criteria, example."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from collabcoder.core.records import CodeRecord

# (field, label, hint) for the multi-line fields, in the order a codebook lists them.
TEXT_FIELDS = (
    ("definition", "&Definition", "One sentence: what this code means."),
    ("inclusion", "&Include when", "What makes a passage belong here."),
    ("exclusion", "E&xclude when", "Near misses that belong elsewhere."),
    ("example", "Exa&mple", "A typical quote."),
    ("keywords", "&Keywords", "One word or phrase per line; suggestions look for them."),
)


class CodeDialog(QDialog):
    """Ask for a code's fields; :meth:`values` returns what changed, ready for the facade."""

    def __init__(
        self, parent: QWidget | None, code: CodeRecord | None = None, title: str = "Edit code"
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._code = code
        self.name = QLineEdit(code.name if code else "", self)
        self.name.setAccessibleName("Code name")
        self.colour = code.colour if code else ""
        self.colour_button = QPushButton(self)
        self.colour_button.setAccessibleName("Code colour")
        self.colour_button.clicked.connect(self._pick_colour)
        self._show_colour()
        form = QFormLayout(self)
        form.addRow("&Name", self.name)
        form.addRow("&Colour", self.colour_button)
        self.texts: dict[str, QPlainTextEdit] = {}
        for field, label, hint in TEXT_FIELDS:
            box = QPlainTextEdit(self)
            box.setPlaceholderText(hint)
            box.setAccessibleName(label.replace("&", ""))
            box.setTabChangesFocus(True)
            box.setFixedHeight(
                box.fontMetrics().lineSpacing() * (4 if field != "example" else 3) + 12
            )
            if code is not None:
                value = getattr(code, field)
                box.setPlainText("\n".join(value) if field == "keywords" else value)
            self.texts[field] = box
            form.addRow(label, box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.name.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        self.ok_button.setEnabled(bool(self.name.text().strip()))
        form.addRow(buttons)
        self.resize(520, self.sizeHint().height())

    def set_colour(self, colour: str) -> None:
        self.colour = colour
        self._show_colour()

    def _show_colour(self) -> None:
        text = self.colour or "Automatic"
        self.colour_button.setText(text)
        if self.colour:
            ink = "#000000" if QColor(self.colour).lightness() > 140 else "#ffffff"
            self.colour_button.setStyleSheet(f"background: {self.colour}; color: {ink};")

    def _pick_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.colour or "#888888"), self, "Code colour")
        if chosen.isValid():
            self.set_colour(chosen.name())

    def values(self) -> dict[str, Any]:
        """The fields to store: all of them for a new code, only the changed ones for an edit."""
        fields: dict[str, Any] = {"name": self.name.text().strip()}
        if self.colour:
            fields["colour"] = self.colour
        for field, box in self.texts.items():
            text = box.toPlainText().strip()
            fields[field] = _lines(text) if field == "keywords" else text
        if self._code is None:
            return fields
        return {k: v for k, v in fields.items() if _stored(self._code, k) != v}


def _stored(code: CodeRecord, field: str) -> Any:
    value = getattr(code, field)
    return list(value) if field == "keywords" else value


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
