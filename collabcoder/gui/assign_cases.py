"""Assigning documents to cases in one dialog: tick the documents, then name a case (an existing
one, or a new name, created on the spot) or give each document a case of its own.

The whole assignment, new cases included, is one undo step; Enter confirms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.project import Project
from collabcoder.core.records import CaseRecord, DocumentRecord

UNASSIGNED = "Not assigned to a case"


@dataclass(frozen=True)
class Assignment:
    document_ids: tuple[int, ...]
    case_name: str | None  # None: take the documents out of their cases
    per_document: bool = False  # one case per document, named after it


def apply_assignment(project: Project, assignment: Assignment) -> int:
    """Make the cases that do not exist yet and assign the documents, as one undo step;
    returns how many documents were assigned."""
    ids = list(assignment.document_ids)
    if not ids:
        return 0
    if assignment.per_document:
        names = {d.id: d.name for d in project.documents.list()}
        with project.undo_group(f"One case per document ({len(ids)})"):
            for document_id in ids:
                project.documents.assign_case([document_id], _case_id(project, names[document_id]))
        return len(ids)
    name = assignment.case_name
    label = f"Assign {len(ids)} document(s) to {name}" if name else "Unassign documents"
    with project.undo_group(label):
        project.documents.assign_case(ids, _case_id(project, name) if name else None)
    return len(ids)


def _case_id(project: Project, name: str) -> int:
    found = project.cases.find(name)
    return found.id if found is not None else project.cases.add(name).id


class AssignCasesDialog(QDialog):
    """Tick documents (those selected start ticked), then choose what case they go to."""

    def __init__(
        self,
        documents: Sequence[DocumentRecord],
        cases: Sequence[CaseRecord],
        ticked: set[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assign documents to cases")
        case_names = {c.id: c.name for c in cases}
        self.list = QListWidget(self)
        self.list.setAccessibleName("Documents to assign")
        for document in documents:
            now = case_names.get(document.case_id or -1, "no case")
            item = QListWidgetItem(f"{document.name}  ({now})", self.list)
            item.setData(Qt.ItemDataRole.UserRole, document.id)
            item.setToolTip(document.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if document.id in ticked else Qt.CheckState.Unchecked
            )
        every, unassigned = QPushButton("All", self), QPushButton("Those without a case", self)
        every.clicked.connect(lambda: self._tick(lambda _d: True))
        unassigned.clicked.connect(lambda: self._tick(lambda d: d.case_id is None))
        self._documents = {d.id: d for d in documents}
        self.to_case = QRadioButton("Assign to the case", self)
        self.per_document = QRadioButton("Give each document a case of its own, named after it")
        self.to_case.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.to_case)
        group.addButton(self.per_document)
        self.case = QComboBox(self)
        self.case.setEditable(True)  # a new name makes a new case
        self.case.setAccessibleName("Case (type a new name to add one)")
        self.case.addItems([c.name for c in cases] + [UNASSIGNED])
        self.case.setToolTip("Pick a case, or type a new name to create it")
        typed = self.case.lineEdit()
        if typed is not None:
            typed.setPlaceholderText("a case, or a new name")
        self.case.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.per_document.toggled.connect(lambda on: self.case.setEnabled(not on))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Assign")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        ticks = QHBoxLayout()
        ticks.addWidget(QLabel("Tick:", self))
        ticks.addWidget(every)
        ticks.addWidget(unassigned)
        ticks.addStretch(1)
        choice = QHBoxLayout()
        choice.addWidget(self.to_case)
        choice.addWidget(self.case, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Documents:", self))
        layout.addWidget(self.list, 1)
        layout.addLayout(ticks)
        layout.addLayout(choice)
        layout.addWidget(self.per_document)
        layout.addWidget(buttons)
        self.case.setFocus()

    def _tick(self, wanted: Callable[[DocumentRecord], bool]) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            document = self._documents[int(item.data(Qt.ItemDataRole.UserRole))]
            item.setCheckState(
                Qt.CheckState.Checked if wanted(document) else Qt.CheckState.Unchecked
            )

    def ticked(self) -> list[int]:
        items = (self.list.item(row) for row in range(self.list.count()))
        return [
            int(i.data(Qt.ItemDataRole.UserRole))
            for i in items
            if i.checkState() == Qt.CheckState.Checked
        ]

    def assignment(self) -> Assignment:
        """What the dialog was set to do."""
        name = " ".join(self.case.currentText().split())
        return Assignment(
            tuple(self.ticked()),
            None if name in ("", UNASSIGNED) else name,
            self.per_document.isChecked(),
        )
