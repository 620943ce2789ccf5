"""Document sets in the real main window: the Documents dock's set commands and filter, the
smart set dialog, and the Search dock and Matrix window scoped by a set."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow
from tests.gui.waiting import settle


def _more(project: Project) -> dict[str, int]:
    """Two more documents: one in a second case (Site York), one with no case."""
    site = project.attributes.add("Site")
    wirral = project.cases.by_name("Wirral Council")
    york = project.cases.add("York")
    project.attributes.set_value(wirral.id, site.id, "Wirral")
    project.attributes.set_value(york.id, site.id, "York")
    return {
        "Interview 1": project.documents.by_name("Interview 1").id,
        "York notes": project.documents.add(
            NewDocument("York notes", "Trust was high in York.", "fieldnotes", case_id=york.id)
        ).id,
        "Loose": project.documents.add(NewDocument("Loose", "Nothing about trust.")).id,
    }


def _visible(window: MainWindow) -> list[str]:
    tree = window.cases_dock.documents
    root = tree.invisibleRootItem()
    names = []
    for n in range(root.childCount()):
        group = root.child(n)
        assert isinstance(group, QTreeWidgetItem)
        for c in range(group.childCount()):
            item = group.child(c)
            assert isinstance(item, QTreeWidgetItem)
            if not item.isHidden() and not group.isHidden():
                names.append(item.text(0))
    return sorted(names)


def _select(window: MainWindow, ids: list[int]) -> None:
    tree = window.cases_dock.documents
    tree.clearSelection()
    root = tree.invisibleRootItem()
    for n in range(root.childCount()):
        group = root.child(n)
        assert group is not None
        for c in range(group.childCount()):
            item = group.child(c)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) in ids:
                item.setSelected(True)


def _trigger(menu: QMenu, *path: str) -> None:
    for text in path[:-1]:
        (action,) = [a for a in menu.actions() if a.text() == text]
        sub = action.menu()
        assert isinstance(sub, QMenu)
        menu = sub
    (action,) = [a for a in menu.actions() if a.text() == path[-1]]
    assert action.isEnabled()
    action.trigger()


def test_new_set_add_remove_filter_and_undo(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """New set from the selected documents, Add to set and Remove from set from the documents'
    menu each make one undo step; showing the set hides the other documents."""
    ids = _more(project)
    settle(qtbot, window)
    bar = window.cases_dock.sets_bar
    _select(window, [ids["Interview 1"]])
    bar.new_set(window.cases_dock.selected_documents(), name="Pilot")
    settle(qtbot, window)
    assert [s.label for s in bar.sets] == ["Pilot (1)"]
    bar.show_set("Pilot")
    assert _visible(window) == ["Interview 1"]
    menu = QMenu(window)
    bar.fill_menu(menu, [ids["Loose"]])
    _trigger(menu, "Add to set", "Pilot")
    settle(qtbot, window)
    assert _visible(window) == ["Interview 1", "Loose"]
    assert project.undo_label == "Add to set Pilot"
    menu = QMenu(window)
    bar.fill_menu(menu, [ids["Interview 1"]])
    _trigger(menu, "Remove from Pilot")
    settle(qtbot, window)
    assert _visible(window) == ["Loose"]
    window.commands["undo"].trigger()
    settle(qtbot, window)
    assert _visible(window) == ["Interview 1", "Loose"]
    bar.show_set(None)
    assert _visible(window) == ["Interview 1", "Loose", "York notes"]


def test_smart_set_dialog_counts_and_follows_attributes(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """The smart set dialog counts the documents its conditions match as they are typed; the
    saved smart set's documents change when a case's attribute does."""
    ids = _more(project)
    settle(qtbot, window)
    bar = window.cases_dock.sets_bar
    dialog = bar.smart_set_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.name_field.setText("Wirral")
    dialog.values["Site"].setText("wirral, Elsewhere")
    qtbot.waitUntil(lambda: dialog.count.text() == "1 document(s) match now.", timeout=10_000)
    bar.save_smart(dialog.name(), dialog.query())
    settle(qtbot, window)
    bar.show_set("Wirral")
    assert _visible(window) == ["Interview 1"]
    york = project.cases.by_name("York")
    project.attributes.set_value(york.id, project.attributes.by_name("Site").id, "Wirral")
    settle(qtbot, window)
    assert _visible(window) == ["Interview 1", "York notes"]
    assert bar.chosen() is not None and bar.chosen().members == {  # type: ignore[union-attr]
        ids["Interview 1"],
        ids["York notes"],
    }


def test_search_and_matrix_scoped_by_a_set(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Ticking a set in the Search dock searches only its documents (by hand: "trust" is in all
    three, the set holds two); in the Matrix window it counts only their segments."""
    ids = _more(project)
    project.sets.create("Two", [ids["York notes"], ids["Loose"]])
    trust = project.codes.by_path("Drivers/Trust").id
    for name in ("Interview 1", "York notes"):
        text = project.documents.text(ids[name])
        at = text.find("Trust")
        project.segments.add(ids[name], trust, at, at + 5)
    settle(qtbot, window)
    dock = window.search_dock
    dock.search_action.trigger()
    dock.scope.buttons["sets"].set_chosen(["Two"])
    dock.query.setText("trust")
    dock.search()
    qtbot.waitUntil(lambda: not window.bridge.ops.busy and dock.model.rows != [], timeout=10_000)
    assert sorted({h.document for h in dock.model.rows}) == ["Loose", "York notes"]
    matrix = window.analysis.show_matrix()
    settle(qtbot, window)
    assert matrix is not None
    drivers = [code[1] for code in matrix.model.heat.codes].index("Drivers")
    assert sum(row[drivers] for row in matrix.model.heat.values) == 2
    matrix.sets.set_chosen(["Two"])
    settle(qtbot, window)
    rows = matrix.model.heat.rows
    assert matrix.model.heat.values[rows.index("York")][drivers] == 1.0
    assert matrix.model.heat.values[rows.index("Wirral Council")][drivers] == 0.0
    assert "sets: Two" in matrix.legend.text()


def test_suggest_for_a_set_targets_its_uncoded_documents(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """The Sets menu's "Suggest codes for …" suggests for the set's uncoded documents only."""
    ids = _more(project)
    project.sets.create("Two", [ids["York notes"], ids["Interview 1"]])
    trust = project.codes.by_path("Drivers/Trust").id
    project.segments.add(ids["Interview 1"], trust, 0, 10)
    settle(qtbot, window)
    status = window.statusBar()
    window.cases_dock.sets_bar.suggest_for("Two")
    qtbot.waitUntil(lambda: "of Two." in status.currentMessage(), timeout=60_000)
    assert status.currentMessage().endswith("for 1 uncoded document(s) of Two.")
    assert {s.document_id for s in project.suggestions.list()} <= {ids["York notes"]}
