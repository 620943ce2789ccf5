"""Code search results: choose the code and the unit, see every passage and the count, then code.

Nothing is written until the researcher presses Code; the coding is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.search_autocode import UNITS, Span

Preview = Callable[[str], list[Span]]


class AutocodeDialog(QDialog):
    """``preview(unit)`` gives the passages for a unit; ``units`` False hides the unit choice;
    ``current_code`` (the Codebook's current code) is offered first. A path typed as the new
    code is made and coded with, in the same undo step ("code results as")."""

    def __init__(
        self,
        codes: dict[int, str],
        preview: Preview,
        parent: QWidget | None = None,
        *,
        units: bool = True,
        current_code: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Code search results")
        self._preview = preview
        self.spans: list[Span] = []
        self.code_box = QComboBox(self)
        self.code_box.setAccessibleName("Code to apply")
        for code_id, path in sorted(codes.items(), key=lambda item: item[1].casefold()):
            self.code_box.addItem(path, code_id)
        if current_code is not None and self.code_box.findData(current_code) >= 0:
            self.code_box.setCurrentIndex(self.code_box.findData(current_code))
        self.unit_box = QComboBox(self)
        self.unit_box.setAccessibleName("Code each hit as")
        for unit in UNITS:
            self.unit_box.addItem(f"the {unit}" if unit != "hit" else "the hit itself", unit)
        self.unit_box.currentIndexChanged.connect(self.refresh)
        self.new_box = QLineEdit(self)
        self.new_box.setPlaceholderText("Parent/Name, made when you press Code")
        self.new_box.setAccessibleName("Or code them as a new code")
        self.new_box.textChanged.connect(self._enable)
        form = QFormLayout()
        form.addRow("&Code:", self.code_box)
        form.addRow("or a &new code:", self.new_box)
        if units:
            form.addRow("Code &each hit as:", self.unit_box)
        else:
            self.unit_box.hide()
        self.count = QLabel(self)
        self.passages = QListWidget(self)
        self.passages.setAccessibleName("Passages that will be coded")
        self.passages.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Code them")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.count)
        layout.addWidget(self.passages, 1)
        layout.addWidget(buttons)
        self.resize(640, 480)
        self.refresh()

    @property
    def code_id(self) -> int:
        return int(self.code_box.currentData())

    @property
    def new_code(self) -> str:
        """The path of a new code to make and code with ('' to use the chosen code)."""
        return self.new_box.text().strip()

    @property
    def unit(self) -> str:
        return str(self.unit_box.currentData())

    def refresh(self) -> None:
        self.spans = self._preview(self.unit)
        self.passages.clear()
        for span in self.spans:
            self.passages.addItem(f"{span.document}  ·  {' '.join(span.text.split())}")
        n = len(self.spans)
        self.count.setText(f"{n} passage{'s' if n != 1 else ''} will be coded (one undo step).")
        self._enable()

    def _enable(self) -> None:
        code = self.code_box.count() > 0 or bool(self.new_code)
        self.ok.setEnabled(bool(self.spans) and code)
