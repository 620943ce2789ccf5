"""Assigning documents to cases: several at once in one dialog (Enter confirms, a new name makes
a new case), or one case per document; each assignment is one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.gui.assign_cases import AssignCasesDialog
from collabcoder.gui.main_window import MainWindow
from tests.gui.waiting import settle


def _notes(project: Project) -> list[int]:
    return [project.documents.add(NewDocument(f"Notes {n}", f"Words {n}.")).id for n in (1, 2, 3)]


def _select(window: MainWindow, ids: list[int]) -> None:
    tree = window.cases_dock.documents
    tree.clearSelection()
    for n in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(n)
        for c in range(group.childCount()):
            item = group.child(c)
            if item.data(0, Qt.ItemDataRole.UserRole) in ids:
                item.setSelected(True)


def test_assign_several_documents_to_a_new_case_with_enter(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """The dialog ticks the selected documents; typing a new case name and pressing Enter
    creates the case and assigns all of them, as one undo step."""
    first, second, third = _notes(project)
    _select(window, [first, third])
    dialog = window.cases_dock.assign_dialog()
    assert isinstance(dialog, AssignCasesDialog)
    qtbot.addWidget(dialog)
    assert sorted(dialog.ticked()) == [first, third]
    dialog.show()
    editor = dialog.case.lineEdit()
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "Leeds Hub")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert dialog.result() == AssignCasesDialog.DialogCode.Accepted
    window.cases_dock.apply(dialog.assignment())
    settle(qtbot, window)
    leeds = project.cases.by_name("Leeds Hub").id
    cases = {d.id: d.case_id for d in project.documents.list()}
    assert cases[first] == cases[third] == leeds and cases[second] is None
    project.undo()
    assert project.cases.find("Leeds Hub") is None
    assert project.documents.get(first).case_id is None


def test_one_case_per_document(qtbot: QtBot, window: MainWindow, project: Project) -> None:
    """Each ticked document gets a case named after it (an existing case of that name is
    reused), in one undo step."""
    ids = _notes(project)
    project.cases.add("Notes 2")
    window.cases_dock.one_case_per_document(ids)
    settle(qtbot, window)
    for document_id in ids:
        document = project.documents.get(document_id)
        assert document.case_id == project.cases.by_name(document.name).id
    assert len(project.cases.list()) == 4  # Wirral Council, Notes 1, Notes 2 (reused), Notes 3
    assert project.undo_label is not None and "One case per document" in project.undo_label
