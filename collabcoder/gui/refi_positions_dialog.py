"""The choice a researcher makes when a REFI-QDA file does not say how it counts positions.

Shows, for every ambiguous source, what each candidate position model would select for three of
its selections, and lets the researcher pick the model whose quotes read right. Nothing is
imported until they do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from collabcoder.io.refi.position_rules import AmbiguousPositions


class PositionsDialog(QDialog):
    """Preview of the candidate models and a choice of one."""

    def __init__(self, ambiguous: AmbiguousPositions, parent: QWidget) -> None:
        from collabcoder.io.refi.position_rules import preview_text

        super().__init__(parent)
        self.setWindowTitle("How does this file count positions?")
        self.setAccessibleName("Choose the position model")
        intro = QLabel(
            "The file does not say for sure how its selections count characters. Below is what "
            "each way of counting would select; choose the one whose quotes read right.",
            self,
        )
        intro.setWordWrap(True)
        self.preview = QPlainTextEdit(preview_text(ambiguous), self)
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("Preview of each position model")
        self.choice = QComboBox(self)
        self.choice.setAccessibleName("Position model")
        for candidate in ambiguous.sources[0].candidates:
            self.choice.addItem(
                f"{candidate.model.name}: {candidate.model.describe()}", candidate.model.name
            )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import with this model")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.choice)
        layout.addWidget(buttons)
        self.resize(760, 480)

    def chosen(self) -> str:
        """The name of the model chosen (``utf16-crlf2-nobom``...)."""
        return str(self.choice.currentData())
