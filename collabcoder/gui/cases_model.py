"""Cases with their attribute values, as an editable table (one column per attribute)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, Qt

from collabcoder.core.errors import CollabCoderError
from collabcoder.core.project import Project
from collabcoder.core.records import AttributeRecord, CaseRecord

from .project_bridge import ProjectBridge
from .row_model import ROOT, Index


class CasesModel(QAbstractTableModel):
    """Editing a cell sets that case's attribute value (an undoable step in the project)."""

    def __init__(self, bridge: ProjectBridge, report: Callable[[str], None]) -> None:
        super().__init__()
        self.bridge = bridge
        self._report = report
        self.cases: list[CaseRecord] = []
        self.attributes: list[AttributeRecord] = []
        self.values: dict[tuple[int, int], str] = {}

    def reload(self) -> None:
        project = self.bridge.project
        self.beginResetModel()
        if project is None:
            self.cases, self.attributes, self.values = [], [], {}
        else:
            self.cases = project.cases.list()
            self.attributes = project.attributes.list()
            self.values = project.attributes.values()
        self.endResetModel()

    def case_at(self, row: int) -> CaseRecord | None:
        return self.cases[row] if 0 <= row < len(self.cases) else None

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.cases)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else 1 + len(self.attributes)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "Case" if section == 0 else self.attributes[section - 1].name
        if role == Qt.ItemDataRole.ToolTipRole and section > 0:
            attribute = self.attributes[section - 1]
            choices = f": {', '.join(attribute.choices)}" if attribute.choices else ""
            return f"{attribute.kind}{choices}"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
        ):
            return None
        case = self.cases[index.row()]
        if index.column() == 0:
            return case.name
        attribute = self.attributes[index.column() - 1]
        return self.values.get((case.id, attribute.id), "")

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        case = self.cases[index.row()]
        text = str(value or "")
        if index.column() == 0:
            if not text.strip() or text.strip() == case.name:
                return True
            label = f"Rename case to {text.strip()}"
            self._write(label, lambda p: p.cases.rename(case.id, text))
        else:
            attribute = self.attributes[index.column() - 1]
            self._write(
                f"Set {attribute.name}",
                lambda p: p.attributes.set_value(case.id, attribute.id, text),
            )
        return True  # the table shows the value when the op's Changes reload it

    def _write(self, label: str, fn: Callable[[Project], object]) -> None:
        """One write op on the writer thread (one undo step); a refusal is reported."""

        def failed(error: BaseException) -> None:
            if isinstance(error, CollabCoderError):
                self._report(str(error))
            else:
                self.bridge.ops.failed.emit(label, error)

        self.bridge.ops.run_op(label, fn, initiator=self, on_error=failed)
