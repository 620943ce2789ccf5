"""The smart set dialog: a name, values per case attribute, document kinds, and a live count.

The conditions mean what ``--where`` means on the command line: a document's case has one of
the values typed for each attribute (comma-separated, case ignored), and the document is of one
of the kinds ticked (none ticked: any kind).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.project import Project
from collabcoder.core.records import AttributeRecord
from collabcoder.core.sets import SmartQuery
from collabcoder.core.vocabulary import DOCUMENT_KINDS

from .project_bridge import ProjectBridge

PREVIEW_MS = 300  # typing pauses this long before the count is worked out again


class SmartSetDialog(QDialog):
    """``name()`` and ``query()`` once accepted; the count of matching documents shows live."""

    def __init__(
        self,
        bridge: ProjectBridge,
        attributes: Sequence[AttributeRecord],
        parent: QWidget | None = None,
        *,
        name: str = "",
        query: SmartQuery | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setWindowTitle("Smart set" if not name else f"Smart set {name}")
        self.name_field = QLineEdit(name, self)
        self.name_field.setAccessibleName("Name of the smart set")
        self.name_field.setReadOnly(bool(name))  # renaming is its own command
        given = query or SmartQuery()
        self.values: dict[str, QLineEdit] = {}
        conditions = QWidget(self)
        form = QFormLayout(conditions)
        for attribute in attributes:
            field = QLineEdit(", ".join(given.attributes.get(attribute.name, ())), conditions)
            hint = ", ".join(attribute.choices) if attribute.choices else "any value"
            field.setPlaceholderText(f"e.g. {hint}" if attribute.choices else hint)
            field.setAccessibleName(f"Values of {attribute.name}")
            field.textChanged.connect(self._later)
            form.addRow(f"{attribute.name}:", field)
            self.values[attribute.name] = field
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(conditions)
        self.kinds: dict[str, QCheckBox] = {}
        kinds = QHBoxLayout()
        kinds.addWidget(QLabel("Kinds:", self))
        for kind in DOCUMENT_KINDS:
            box = QCheckBox(kind, self)
            box.setChecked(kind in given.kinds)
            box.toggled.connect(self._later)
            kinds.addWidget(box)
            self.kinds[kind] = box
        kinds.addStretch(1)
        self.count = QLabel("", self)
        self.count.setAccessibleName("Documents matching")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        top = QFormLayout()
        top.addRow("Name:", self.name_field)
        layout.addLayout(top)
        layout.addWidget(QLabel("Documents whose case has one of these values:", self))
        layout.addWidget(scroll, 1)
        layout.addLayout(kinds)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.resize(460, 420)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_MS)
        self._timer.timeout.connect(self.preview)
        self.preview()

    def name(self) -> str:
        return self.name_field.text().strip()

    def query(self) -> SmartQuery:
        attributes = {
            name: tuple(v.strip() for v in field.text().split(",") if v.strip())
            for name, field in self.values.items()
        }
        chosen = tuple(kind for kind, box in self.kinds.items() if box.isChecked())
        return SmartQuery({k: v for k, v in attributes.items() if v}, chosen)

    def _later(self) -> None:
        self._timer.start()

    def preview(self) -> None:
        """Count the documents the conditions match now (on the reader thread)."""
        if self.bridge.project is None:
            return
        query = self.query()

        def count(project: Project) -> int:
            return len(project.sets.matching(query))

        self.bridge.ops.run_query(
            "Counting the smart set", count, self._counted, on_error=self._refused
        )

    def _counted(self, count: int) -> None:
        self.count.setText(f"{count} document(s) match now.")

    def _refused(self, error: BaseException) -> None:
        self.count.setText(str(error))
