"""The Documents & cases dock: cases with editable attributes, and the documents of each case."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QInputDialog,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.changes import Changes
from collabcoder.core.errors import CollabCoderError
from collabcoder.core.project import Project

from .assign_cases import UNASSIGNED, AssignCasesDialog, Assignment, apply_assignment
from .cases_model import CasesModel
from .document_sets import SetsBar
from .project_bridge import ProjectBridge

T = TypeVar("T")


def _done(_result: object) -> None:
    """The dock shows the step when its Changes come back: nothing more to do."""


class CasesDock(QDockWidget):
    """``document_chosen(document_id)`` when a document is activated."""

    document_chosen = Signal(int)

    def __init__(
        self, bridge: ProjectBridge, report: Callable[[str], None], parent: QWidget
    ) -> None:
        super().__init__("Documents && cases", parent)
        self.setObjectName("casesDock")
        self.bridge = bridge
        self._report = report
        self.cases_model = CasesModel(bridge, report)
        self.cases_table = QTableView(self)
        self.cases_table.setModel(self.cases_model)
        self.cases_table.setAccessibleName("Cases and their attributes")
        self.cases_table.verticalHeader().hide()
        self.cases_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.documents = QTreeWidget(self)
        self.documents.setAccessibleName("Documents by case")
        self.documents.setHeaderLabels(["Document", "Words"])
        self.documents.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.documents.itemActivated.connect(self._activated)
        self.documents.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.documents.customContextMenuRequested.connect(self._context_menu)
        self.documents.header().setStretchLastSection(False)
        self.documents.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.documents.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        add_case = QPushButton("Add case…", self)
        add_case.clicked.connect(self.add_case)
        assign = QPushButton("Assign to cases…", self)
        assign.clicked.connect(self.assign_selected)
        self.sets_bar = SetsBar(bridge, self.selected_documents, report, self)
        self.sets_bar.filter_changed.connect(self._apply_filter)
        top = QWidget(self)
        documents = QVBoxLayout(top)
        documents.setContentsMargins(0, 0, 0, 0)
        documents.addWidget(self.sets_bar)
        documents.addWidget(self.documents, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(self.cases_table)
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(split, 1)
        column.addWidget(assign)
        column.addWidget(add_case)
        self.setWidget(body)
        bridge.changed.connect(self._on_changes)
        bridge.project_replaced.connect(self.reload)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touched("cases", "attributes", "documents"):
            self.reload()

    def reload(self) -> None:
        self.cases_model.reload()
        self.documents.clear()
        project = self.bridge.project
        if project is None:
            return
        groups: dict[int | None, QTreeWidgetItem] = {}
        for case in project.cases.list():
            groups[case.id] = QTreeWidgetItem(self.documents, [case.name])
        for document in self.bridge.documents():
            parent = groups.get(document.case_id)
            if parent is None:
                parent = groups.setdefault(None, QTreeWidgetItem(self.documents, [UNASSIGNED]))
            item = QTreeWidgetItem(parent, [document.name, f"{document.word_count:,}"])
            item.setToolTip(0, f"{document.name} ({document.kind})")
            item.setData(0, Qt.ItemDataRole.UserRole, document.id)
        for group in groups.values():
            group.setFirstColumnSpanned(True)
            group.setExpanded(group.childCount() > 0)
        self._apply_filter()

    def _apply_filter(self) -> None:
        """Show only the documents of the set chosen above them (and the cases holding them)."""
        shown = self.sets_bar.shown_documents()
        root = self.documents.invisibleRootItem()
        for group in _children(root):
            items = _children(group)
            for item in items:
                item.setHidden(
                    shown is not None and item.data(0, Qt.ItemDataRole.UserRole) not in shown
                )
            group.setHidden(shown is not None and all(i.isHidden() for i in items))

    def selected_documents(self) -> list[int]:
        ids = (item.data(0, Qt.ItemDataRole.UserRole) for item in self.documents.selectedItems())
        return [int(i) for i in ids if i is not None]

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        document_id = item.data(0, Qt.ItemDataRole.UserRole)
        if document_id is not None:
            self.document_chosen.emit(int(document_id))

    def _write(self, label: str, fn: Callable[[Project], T], then: Callable[[T], None]) -> None:
        """One write op (one undo step); a refusal is one status-bar line."""

        def failed(error: BaseException) -> None:
            if isinstance(error, CollabCoderError):
                self._report(str(error))  # refused, and nothing was changed
            else:
                self.bridge.ops.failed.emit(label, error)

        self.bridge.ops.run_op(label, fn, then, initiator=self, on_error=failed)

    def assign(self, document_ids: list[int], case_id: int | None) -> None:
        if document_ids:
            label = "Assign documents to case" if case_id is not None else "Unassign documents"
            self._write(label, lambda p: p.documents.assign_case(document_ids, case_id), _done)

    def assign_dialog(self) -> AssignCasesDialog | None:
        """The assign dialog with the selected documents ticked (None without a project)."""
        project = self.bridge.project
        if project is None:
            return None
        return AssignCasesDialog(
            self.bridge.documents(), project.cases.list(), set(self.selected_documents()), self
        )

    def assign_selected(self) -> None:
        dialog = self.assign_dialog()
        if dialog is not None and dialog.exec() == AssignCasesDialog.DialogCode.Accepted:
            self.apply(dialog.assignment())

    def apply(self, assignment: Assignment) -> None:
        if not assignment.document_ids:
            self._report("Tick the documents to assign first.")
            return
        self._write(
            "Assign documents to cases",
            lambda p: apply_assignment(p, assignment),
            lambda done: self._report(f"Assigned {done} document(s)."),
        )

    def one_case_per_document(self, document_ids: list[int]) -> None:
        """Give each document its own case, named after it."""
        self.apply(Assignment(tuple(document_ids), None, per_document=True))

    def add_case(self) -> None:
        if self.bridge.project is None:
            return
        name, ok = QInputDialog.getText(self, "Add case", "Name of the new case:")
        if ok and name.strip():
            self._write(f"Add case {name.strip()}", lambda p: p.cases.add(name), _done)

    def _context_menu(self, point: QPoint) -> None:
        project = self.bridge.project
        ids = self.selected_documents()
        if project is None or not ids:
            return
        menu = QMenu(self)
        target = menu.addMenu("Assign to case")
        for case in project.cases.list():
            target.addAction(case.name, partial(self.assign, ids, case.id))
        target.addSeparator()
        target.addAction(UNASSIGNED, partial(self.assign, ids, None))
        menu.addAction("Assign to case…", self.assign_selected)
        menu.addAction("One case per document", partial(self.one_case_per_document, ids))
        menu.addSeparator()
        self.sets_bar.fill_menu(menu, ids)
        menu.exec(self.documents.viewport().mapToGlobal(point))


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [c for c in (item.child(n) for n in range(item.childCount())) if c is not None]
