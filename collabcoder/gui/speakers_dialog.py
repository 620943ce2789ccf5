"""Project > Speakers…: the project's speakers, one person across documents.

A table of speakers (role, documents, turns, words, the labels meaning them, attributes) with a
role box on every row; rename one, merge the selected into one, set an attribute. Reads go
through ``run_query``, every edit through ``run_op`` (one undo step each), and the table follows
``bridge.changed``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.changes import Changes, Kind
from collabcoder.core.records import SpeakerListing
from collabcoder.core.vocabulary import SPEAKER_ROLES

from .shell import MENUS

if TYPE_CHECKING:
    from collabcoder.core.project import Project

    from .shell import Shell

COLUMNS = ("Speaker", "Role", "Documents", "Turns", "Words", "Labels", "Attributes")
ROLE = COLUMNS.index("Role")
Index = QModelIndex | QPersistentModelIndex


class SpeakersModel(QAbstractTableModel):
    """One row per speaker (plain records; never ORM objects)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[SpeakerListing] = []

    def set_rows(self, rows: Sequence[SpeakerListing]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return [
                item.speaker.name,
                item.speaker.role,
                item.documents,
                item.turns,
                item.words,
                ", ".join(sorted({a.label for a in item.aliases}, key=str.casefold)),
                "; ".join(f"{k} = {v}" for k, v in item.attributes.items()),
            ][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= index.column() <= 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == ROLE else flags


class RoleDelegate(QStyledItemDelegate):
    """A role box in the Role column; choosing a role sets it (through the dialog)."""

    def __init__(self, dialog: SpeakersDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        # The column is as wide as a box showing the longest role, so no role is cut off.
        probe = self._box(None)
        self._box_size = probe.sizeHint()
        probe.deleteLater()

    @staticmethod
    def _box(parent: QWidget | None) -> QComboBox:
        box = QComboBox(parent)
        box.addItems(list(SPEAKER_ROLES))
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return box

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return super().sizeHint(option, index).expandedTo(self._box_size)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        box = self._box(parent)
        box.setAccessibleName("Role")
        box.activated.connect(lambda _n: self.commitData.emit(box))
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        cast(QComboBox, editor).setCurrentText(str(index.data()))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        role = cast(QComboBox, editor).currentText()
        if role != index.data():
            self.dialog.set_role(index.row(), role)


class SpeakersDialog(QDialog):
    """The speakers of the open project."""

    def __init__(self, window: Shell) -> None:
        super().__init__(window.widget)
        self.bridge = window.bridge
        self.report = window.report
        self.setWindowTitle("Speakers — CollabCoder")
        self.model = SpeakersModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Speakers")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setItemDelegateForColumn(ROLE, RoleDelegate(self))
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.note = QLabel(
            "A speaker is one person across documents. Merge the labels that mean the same "
            "person (MD, Michelle) into one speaker; a turn keeps the label its document wrote.",
            self,
        )
        self.note.setWordWrap(True)
        self.rename_button = QPushButton("&Rename…", self)
        self.rename_button.clicked.connect(self.rename)
        self.merge_button = QPushButton("&Merge selected…", self)
        self.merge_button.clicked.connect(self.merge)
        self.attribute_button = QPushButton("Set &attribute…", self)
        self.attribute_button.clicked.connect(self.set_attribute)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.rename_button, self.merge_button, self.attribute_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(820, 420)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.bridge.changed.connect(self._on_changes)
        self._selection_changed()
        self.reload()

    # -- reading -------------------------------------------------------------------------------
    def reload(self) -> None:
        if self.bridge.project is None:
            self.model.set_rows([])
            return
        self.bridge.ops.run_query("Reading speakers", lambda p: p.speakers.list(), self._show)

    def _show(self, rows: list[SpeakerListing]) -> None:
        chosen = {s.speaker.id for s in self.selected()}
        self.model.set_rows(rows)
        for row in range(self.model.rowCount()):
            self.table.openPersistentEditor(self.model.index(row, ROLE))
            if self.model.rows[row].speaker.id in chosen:
                self.table.selectRow(row)
        self._selection_changed()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touched(Kind.SPEAKERS, Kind.DOCUMENTS):
            self.reload()

    def selected(self) -> list[SpeakerListing]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r] for r in rows if r < len(self.model.rows)]

    def _selection_changed(self) -> None:
        count = len(self.selected())
        self.rename_button.setEnabled(count == 1)
        self.attribute_button.setEnabled(count == 1)
        self.merge_button.setEnabled(count >= 2)

    # -- editing -------------------------------------------------------------------------------
    def _write(self, label: str, fn: Any) -> None:
        self.bridge.ops.run_op(label, fn, on_error=lambda error: self.report(str(error)))

    def set_role(self, row: int, role: str) -> None:
        speaker = self.model.rows[row].speaker
        self._write(
            f"Set role of {speaker.name}", lambda p: p.speakers.set_role([speaker.id], role)
        )

    def rename(self, name: str | None = None) -> None:
        chosen = self.selected()
        if len(chosen) != 1:
            return
        speaker = chosen[0].speaker
        if name is None:
            name, ok = QInputDialog.getText(self, "Rename speaker", "New name:", text=speaker.name)
            if not ok:
                return
        new = name
        self._write(f"Rename speaker {speaker.name}", lambda p: p.speakers.rename(speaker.id, new))

    def merge(self, into: str | None = None) -> None:
        """Merge the selected speakers into the one chosen (asked for unless given)."""
        chosen = self.selected()
        if len(chosen) < 2:
            return
        names = [s.speaker.name for s in chosen]
        if into is None:
            into, ok = QInputDialog.getItem(
                self, "Merge speakers", "Merge the selected speakers into:", names, 0, False
            )
            if not ok:
                return
        target = next(s.speaker for s in chosen if s.speaker.name == into)
        sources = [s.speaker.id for s in chosen if s.speaker.id != target.id]

        def merge_all(project: Project) -> None:
            with project.undo_group(f"Merge {len(sources)} speaker(s) into {target.name}"):
                for source in sources:
                    project.speakers.merge(source, target.id)

        self._write("Merging speakers", merge_all)

    def set_attribute(self, name: str | None = None, value: str | None = None) -> None:
        chosen = self.selected()
        if len(chosen) != 1:
            return
        speaker = chosen[0].speaker
        if name is None:
            known = sorted({k for s in self.model.rows for k in s.attributes}, key=str.casefold)
            name, ok = QInputDialog.getItem(
                self, "Speaker attribute", f"Attribute of {speaker.name}:", known, 0, True
            )
            if not ok or not name.strip():
                return
        if value is None:
            current = chosen[0].attributes.get(name.strip(), "")
            value, ok = QInputDialog.getText(
                self, "Speaker attribute", f"{name.strip()} (empty clears it):", text=current
            )
            if not ok:
                return
        key, text = name, value
        self._write(
            f"Set {key} of {speaker.name}",
            lambda p: p.speakers.set_attribute(speaker.id, key, text),
        )


def install_speakers(window: Shell) -> QAction:
    """Add Project > Speakers… to the main window."""
    action = QAction("&Speakers…", window.widget)
    action.setToolTip("The people who speak in the documents: roles, aliases, attributes")
    action.triggered.connect(lambda: show_speakers(window))
    window.menu("project").addAction(action)
    window.commands.register("speakers", action, MENUS["project"])
    window.add_shortcuts([action])
    return action


def show_speakers(window: Shell) -> SpeakersDialog | None:
    if window.bridge.project is None:
        window.report("Open a project first.")
        return None
    dialog = SpeakersDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
