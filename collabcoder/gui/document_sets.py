"""Document sets in the Documents & cases dock: a "Show" box above the documents (all, or one
set's) and a Sets menu (new set from the selected documents, add, remove, smart sets, rename,
delete). The same commands are on the documents' context menu.

Reads go through ``run_query`` and writes through ``run_op``, each one undo step; a smart set's
members are worked out again whenever sets, documents, cases or attributes change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QToolButton,
    QWidget,
)

from collabcoder.core.changes import Changes, Kind
from collabcoder.core.project import Project
from collabcoder.core.records import AttributeRecord
from collabcoder.core.sets import SetRecord, SmartQuery

if TYPE_CHECKING:
    from collabcoder.nlp.service import SuggestRun

from .ops import Work
from .project_bridge import ProjectBridge
from .smart_set_dialog import SmartSetDialog

ALL = "All documents"
# What a smart set's members depend on, besides the sets themselves.
MEMBER_KINDS = (Kind.SETS, Kind.DOCUMENTS, Kind.CASES, Kind.ATTRIBUTES)


@dataclass(frozen=True)
class ShownSet:
    record: SetRecord
    members: frozenset[int]

    @property
    def label(self) -> str:
        # The count first: a narrow dock elides the end.
        smart = ", smart" if self.record.smart else ""
        return f"{self.record.name} ({len(self.members)}{smart})"


def _listing(project: Project) -> list[ShownSet]:
    members = project.sets.all_members()
    return [ShownSet(r, members[r.name]) for r in project.sets.list()]


class SetsBar(QWidget):
    """``filter_changed`` when the documents to show change: a set's ids, or None for all."""

    filter_changed = Signal()

    def __init__(
        self,
        bridge: ProjectBridge,
        selected: Callable[[], list[int]],
        report: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self._selected = selected
        self._report = report
        self.sets: list[ShownSet] = []
        self.show_box = QComboBox(self)
        self.show_box.setAccessibleName("Show documents of")
        self.show_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.show_box.setMinimumContentsLength(10)
        self.show_box.addItem(ALL, None)
        self.show_box.currentIndexChanged.connect(self._chosen)
        self.menu_button = QToolButton(self)
        self.menu_button.setText("Sets")
        self.menu_button.setAccessibleName("Document sets")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.menu_button)
        menu.aboutToShow.connect(partial(self._fill_bar_menu, menu))
        self.menu_button.setMenu(menu)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Show:", self))
        row.addWidget(self.show_box, 1)
        row.addWidget(self.menu_button)
        bridge.changed.connect(self._on_changes)
        bridge.project_replaced.connect(self.reload)

    # -- reading -------------------------------------------------------------------------------
    def _on_changes(self, changes: Changes) -> None:
        if changes.touched(*MEMBER_KINDS):
            self.reload()

    def reload(self) -> None:
        if self.bridge.project is None:
            self._listed([])
            return
        self.bridge.ops.run_query("Listing document sets", _listing, self._listed)

    def _listed(self, sets: list[ShownSet]) -> None:
        current = self.chosen()
        self.sets = sets
        self.show_box.blockSignals(True)
        self.show_box.clear()
        self.show_box.addItem(ALL, None)
        for shown in sets:
            self.show_box.addItem(shown.label, shown.record.id)
            self.show_box.setItemData(
                self.show_box.count() - 1,
                shown.record.query.describe() if shown.record.query else shown.record.description,
                Qt.ItemDataRole.ToolTipRole,
            )
        found = self.show_box.findData(current.record.id) if current is not None else 0
        self.show_box.setCurrentIndex(max(found, 0))
        self.show_box.blockSignals(False)
        self.filter_changed.emit()

    def chosen(self) -> ShownSet | None:
        """The set whose documents are shown, or None when all are."""
        ident = self.show_box.currentData()
        return next((s for s in self.sets if s.record.id == ident), None)

    def shown_documents(self) -> frozenset[int] | None:
        chosen = self.chosen()
        return None if chosen is None else chosen.members

    def show_set(self, name: str | None) -> None:
        """Show one set's documents (None: all documents)."""
        found = 0
        if name is not None:
            found = next((n + 1 for n, s in enumerate(self.sets) if s.record.name == name), 0)
        self.show_box.setCurrentIndex(max(found, 0))

    def _chosen(self) -> None:
        self.filter_changed.emit()

    # -- menus ---------------------------------------------------------------------------------
    def _fill_bar_menu(self, menu: QMenu) -> None:
        menu.clear()
        self.fill_menu(menu, self._selected())
        menu.addSeparator()
        menu.addAction("New smart set…", self.new_smart_set)
        chosen = self.chosen()
        if chosen is not None:
            name = chosen.record.name
            if chosen.record.smart:
                menu.addAction(f"Edit smart set {name}…", partial(self.edit_smart_set, chosen))
            menu.addAction(
                f"Suggest codes for {name}'s uncoded documents", partial(self.suggest_for, name)
            )
            menu.addAction(f"Rename {name}…", partial(self.rename_set, chosen.record.id))
            menu.addAction(f"Delete {name}", partial(self.delete_set, chosen.record.id))

    def fill_menu(self, menu: QMenu, ids: list[int]) -> None:
        """The set commands for the selected documents ``ids`` (on any menu)."""
        new = menu.addAction("New set from selected documents…", partial(self.new_set, ids))
        new.setEnabled(bool(ids))
        static = [s for s in self.sets if not s.record.smart]
        add = menu.addMenu("Add to set")
        add.setEnabled(bool(ids and static))
        for shown in static:
            add.addAction(shown.record.name, partial(self.add_to_set, shown.record.id, ids))
        chosen = self.chosen()
        if chosen is not None and not chosen.record.smart:
            menu.addAction(
                f"Remove from {chosen.record.name}",
                partial(self.remove_from_set, chosen.record.id, ids),
            ).setEnabled(bool(set(ids) & chosen.members))

    # -- writing -------------------------------------------------------------------------------
    def _write(self, label: str, fn: Callable[[Project], object], done: str) -> None:
        self.bridge.ops.run_op(label, fn, lambda _r: self._report(done), initiator=self)

    def new_set(self, ids: list[int], name: str | None = None) -> None:
        """A static set of ``ids`` (asks for its name unless given)."""
        if name is None:
            name, ok = QInputDialog.getText(self, "New set", "Name of the new set:")
            if not ok:
                return
        chosen = list(ids)
        self._write(
            "New set",
            lambda p: p.sets.create(name, chosen),
            f"Made the set {name.strip()!r} of {len(chosen)} document(s).",
        )

    def add_to_set(self, set_id: int, ids: list[int]) -> None:
        chosen = list(ids)
        self._write(
            "Add to set", lambda p: p.sets.add(set_id, chosen), f"Added {len(chosen)} document(s)."
        )

    def remove_from_set(self, set_id: int, ids: list[int]) -> None:
        chosen = list(ids)
        self._write(
            "Remove from set",
            lambda p: p.sets.remove(set_id, chosen),
            f"Took {len(chosen)} document(s) out of the set.",
        )

    def rename_set(self, set_id: int, name: str | None = None) -> None:
        if name is None:
            name, ok = QInputDialog.getText(self, "Rename set", "New name of the set:")
            if not ok:
                return
        self._write(
            "Rename set", lambda p: p.sets.rename(set_id, name), f"Renamed to {name.strip()!r}."
        )

    def delete_set(self, set_id: int) -> None:
        self._write(
            "Delete set",
            lambda p: p.sets.delete(set_id),
            "Deleted the set; its documents stay (Edit > Undo brings it back).",
        )

    def suggest_for(self, name: str) -> None:
        """Suggest codes (both methods) for the set's uncoded documents, with progress."""

        def task(work: Work) -> SuggestRun:
            from collabcoder.nlp.service import suggest

            work.progress(0, 0, f"Suggesting codes for {name}…")
            project = self.bridge.require()
            return suggest(project, "both", progress=work.progress, cancel=work.cancel, sets=[name])

        def done(run: SuggestRun) -> None:
            self._report(
                f"{run.stored} suggestions for {len(run.document_ids)} uncoded document(s) "
                f"of {name}."
            )

        self.bridge.ops.run_long(self, "Suggesting codes", task, done, initiator=self)

    def smart_set_dialog(self, shown: ShownSet | None = None) -> SmartSetDialog | None:
        """The dialog for a new smart set, or for editing ``shown``'s query."""
        project = self.bridge.project
        if project is None:
            return None
        attributes: list[AttributeRecord] = project.attributes.list()
        if shown is None:
            return SmartSetDialog(self.bridge, attributes, self)
        return SmartSetDialog(
            self.bridge, attributes, self, name=shown.record.name, query=shown.record.query
        )

    def new_smart_set(self) -> None:
        dialog = self.smart_set_dialog()
        if dialog is not None and dialog.exec() == SmartSetDialog.DialogCode.Accepted:
            self.save_smart(dialog.name(), dialog.query())

    def edit_smart_set(self, shown: ShownSet) -> None:
        dialog = self.smart_set_dialog(shown)
        if dialog is not None and dialog.exec() == SmartSetDialog.DialogCode.Accepted:
            self.save_smart(shown.record.name, dialog.query(), shown.record.id)

    def save_smart(self, name: str, query: SmartQuery, set_id: int | None = None) -> None:
        """Create the smart set ``name``, or (with ``set_id``) change its query."""
        if set_id is None:
            self._write(
                "New smart set",
                lambda p: p.sets.create_smart(name, query),
                f"Made the smart set {name.strip()!r} ({query.describe()}).",
            )
        else:
            self._write(
                "Edit smart set",
                lambda p: p.sets.edit_smart(set_id, query),
                f"The smart set {name!r} now holds documents with {query.describe()}.",
            )
