"""The Memos dock: every memo (on the project, a case, a document, a code or a segment),
searchable, with an editor for the one selected."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.changes import Changes
from collabcoder.core.errors import CollabCoderError, NotFound
from collabcoder.core.project import Project
from collabcoder.core.records import MemoRecord

from .elide import compact
from .project_bridge import ProjectBridge

Target = tuple[str, int | None]  # (kind, id)
Names = dict[str, dict[int, str]]  # "case" / "document" -> id -> name
Report = Callable[[str], None]


class MemosDock(QDockWidget):
    def __init__(
        self,
        bridge: ProjectBridge,
        targets: Callable[[], list[Target]],
        report: Report,
        parent: QWidget,
    ) -> None:
        super().__init__("Memos", parent)
        self.setObjectName("memosDock")
        self.bridge = bridge
        self._targets = targets
        self._report = report
        self.editing: MemoRecord | None = None
        self.new_target: Target | None = None
        # Saves run as write ops: one at a time per editor, a Save pressed meanwhile runs after
        # it (against the version it stored), and ``_shown`` moves on when another memo is
        # shown, so a save coming back late does not take the editor over.
        self._saving = False
        self._save_again = False
        self._shown = 0
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search memos")
        self.search.setAccessibleName("Search memos")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Memos")
        self.list.currentItemChanged.connect(self._selected)
        self.target = QLabel("Pick a memo, or start a new one.", self)
        self.target.setWordWrap(True)  # a long target name must not widen the dock
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("Title")
        self.title.setAccessibleName("Memo title")
        self.body = QPlainTextEdit(self)
        self.body.setAccessibleName("Memo text")
        # Short labels keep the dock narrow enough for a 1280 px screen; tooltips say the rest.
        self.new_button = QPushButton("&New…", self)
        self.new_button.setToolTip("Start a new memo")
        self.new_button.clicked.connect(self._new_menu)
        self.save_button = QPushButton("&Save", self)
        self.save_button.setToolTip("Save this memo")
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.clicked.connect(self.delete)
        editor = QWidget(self)
        form = QVBoxLayout(editor)
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(self.target)
        form.addWidget(self.title)
        form.addWidget(self.body, 1)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.delete_button):
            compact(button)
            buttons.addWidget(button)
        form.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(self)
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addWidget(self.list, 1)
        split.addWidget(top)
        split.addWidget(editor)
        body = QWidget(self)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(split)
        self.setWidget(body)
        bridge.changed.connect(self._on_changes)
        bridge.project_replaced.connect(self._project_replaced)

    # -- listing ----------------------------------------------------------------------------------
    def _project_replaced(self) -> None:
        self._clear_editor()
        self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touched("memos", "codes", "cases", "documents"):
            self.refresh()

    def refresh(self) -> None:
        project = self.bridge.project
        current = self.editing.id if self.editing else None
        self.list.blockSignals(True)
        self.list.clear()
        if project is not None:
            query = self.search.text().strip()
            memos = project.memos.search(query) if query else project.memos.list()
            names = self._names()  # not a query per memo: the list refreshes as the user types
            for memo in memos:
                item = QListWidgetItem(f"{memo.title or 'Untitled'} — {self.describe(memo, names)}")
                item.setData(Qt.ItemDataRole.UserRole, memo.id)
                item.setToolTip(memo.text[:400])
                self.list.addItem(item)
                if memo.id == current:
                    self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def describe(self, memo: MemoRecord, names: Names | None = None) -> str:
        return self.target_name((memo.target_kind, memo.target_id), names)

    def _names(self) -> Names:
        """Case and document names by id, for naming many memo targets with two queries."""
        project = self.bridge.require()
        return {
            "case": {c.id: c.name for c in project.cases.list()},
            "document": {d.id: d.name for d in self.bridge.documents()},
        }

    def target_name(self, target: Target, names: Names | None = None) -> str:
        """What a memo is written on, in words ("Code: Drivers/Trust")."""
        kind, ident = target
        project = self.bridge.require()
        if kind == "project" or ident is None:
            return "Project"
        if kind in ("case", "document"):
            name = (names or self._names())[kind].get(ident)
            return f"{kind.title()}: {name}" if name is not None else f"{kind.title()} (deleted)"
        if kind == "code":
            return f"Code: {self.bridge.paths().get(ident, '?')}"
        try:
            segment = project.segments.get(ident)
        except NotFound:
            return f"{kind.title()} (deleted)"
        quote = self.bridge.text(segment.document_id)[segment.start : segment.end]
        short = " ".join(quote.split())
        return f"Segment: “{short[:40]}{'…' if len(short) > 40 else ''}”"

    # -- editing ----------------------------------------------------------------------------------
    def _selected(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None or self.bridge.project is None:
            return
        memo = self.bridge.require().memos.get(int(item.data(Qt.ItemDataRole.UserRole)))
        self.editing, self.new_target = memo, None
        self._shown += 1
        self.target.setText(f"On {self.describe(memo)}")
        self.title.setText(memo.title)
        self.body.setPlainText(memo.text)

    def start_memo(self, kind: str, target_id: int | None) -> None:
        """Begin a new memo on a target; Save writes it."""
        self.editing, self.new_target = None, (kind, target_id)
        self._shown += 1
        self.list.clearSelection()
        self.target.setText(f"New memo on {self.target_name((kind, target_id))}")
        self.title.clear()
        self.body.clear()
        self.show()
        self.raise_()
        self.body.setFocus()

    def _new_menu(self) -> None:
        menu = QMenu(self)
        names = self._names()
        for target in self._targets():
            menu.addAction(self.target_name(target, names), partial(self.start_memo, *target))
        menu.exec(self.new_button.mapToGlobal(self.new_button.rect().bottomLeft()))

    def save(self) -> None:
        """Write the memo in the editor as one write op (one undo step)."""
        if self.bridge.project is None:
            return
        if self._saving:
            self._save_again = True
            return
        text, title, shown = self.body.toPlainText(), self.title.text(), self._shown
        editing, target = self.editing, self.new_target
        if editing is not None:
            memo_id, version = editing.id, editing.version

            def write(project: Project) -> MemoRecord:
                project.memos.update(memo_id, text, title, expected_version=version)
                return project.memos.get(memo_id)

            label = "Edit memo"
        elif target is not None:
            kind, ident = target

            def write(project: Project) -> MemoRecord:
                return project.memos.add(kind, ident, text, title)

            label = f"Write {kind} memo"
        else:
            return

        def saved(memo: MemoRecord) -> None:
            self._saving = False
            if shown == self._shown:  # still the memo in the editor
                self.editing, self.new_target = memo, None
            self.refresh()
            self._report("Memo saved.")
            if self._save_again:
                self._save_again = False
                self.save()

        def failed(error: BaseException) -> None:
            self._saving, self._save_again = False, False
            self._failed(label, error)

        self._saving = True
        self.bridge.ops.run_op(label, write, saved, initiator=self, on_error=failed)

    def _failed(self, label: str, error: BaseException) -> None:
        if isinstance(error, CollabCoderError):
            self._report(str(error))  # refused, and nothing was changed
        else:
            self.bridge.ops.failed.emit(label, error)

    def delete(self) -> None:
        if self.editing is None or self.bridge.project is None:
            return
        memo_id, shown = self.editing.id, self._shown

        def deleted(_none: None) -> None:
            if shown == self._shown:
                self._clear_editor()
            self.refresh()

        self.bridge.ops.run_op(
            "Delete memo",
            lambda p: p.memos.delete(memo_id),
            deleted,
            initiator=self,
            on_error=lambda error: self._failed("Delete memo", error),
        )

    def _clear_editor(self) -> None:
        self.editing, self.new_target = None, None
        self._shown += 1
        self.target.setText("Pick a memo, or start a new one.")
        self.title.clear()
        self.body.clear()
