"""Codebook editing commands: new, edit, merge, split, delete, move by drag, export and import.

Each command is one write op (one facade call or one undo group) on the project's writer thread,
so each is one step in Edit > Undo under a name that says what it did, and the tree shows it when
its Changes come back. What the researcher is asked goes through ``questions`` (see
:mod:`.codebook_questions`); the commands live in the Code menu and the code tree's context menu.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from collabcoder.core.errors import CollabCoderError
from collabcoder.core.project import Project
from collabcoder.core.records import CodeRecord
from collabcoder.core.segments import SegmentFilter

from .codebook_questions import CodebookQuestions
from .split_dialog import segment_quote

if TYPE_CHECKING:
    from .codebook_dock import CodebookDock
    from .shell import Shell

# (name, text, shortcut or None, needs a current code)
COMMANDS = (
    ("new_code", "&New code…", "Ctrl+Shift+N", False),
    ("new_child", "New c&hild code…", None, True),
    ("edit_code", "&Edit code…", "F2", True),
    ("merge_code", "&Merge into…", None, True),
    ("split_code", "S&plit…", None, True),
    ("delete_code", "&Delete code…", "Delete", True),
    ("export_codebook", "E&xport codebook…", None, False),
    ("import_codebook", "Im&port codebook…", None, False),
)
TREE_ONLY = ("edit_code", "delete_code")  # their keys act only while the code tree has focus
T = TypeVar("T")


class CodebookEditor(QObject):
    """The codebook commands of one main window."""

    def __init__(self, window: Shell, dock: CodebookDock, questions: Any = None) -> None:
        super().__init__(window.widget)
        self.window = window
        self.bridge = window.bridge
        self.dock = dock
        self.questions = questions or CodebookQuestions()
        self.actions: dict[str, QAction] = {}
        for name, text, keys, _needs_code in COMMANDS:
            action = QAction(text, window.widget)
            action.setObjectName(f"action_{name}")
            if keys:
                action.setShortcut(QKeySequence(keys))
            if name in TREE_ONLY:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.dock.tree.addAction(action)
            action.triggered.connect(self._command(name))
            self.actions[name] = window.commands.register(name, action, "Code › Codebook")
        self.dock.model.codes_dropped.connect(self._dropped)

    def install(self, menu: QMenu) -> None:
        """Add the commands to ``menu`` (the Code menu) and to the code tree's context menu."""
        menu.addSeparator()
        codebook = menu.addMenu("Code&book")
        for name, *_rest in COMMANDS:
            if name == "export_codebook":
                codebook.addSeparator()
            codebook.addAction(self.actions[name])
        self.dock.context_actions.extend(
            self.actions[n] for n, *_rest in COMMANDS if n != "import_codebook"
        )
        for name in ("new_code", "edit_code", "delete_code"):
            if name not in TREE_ONLY:
                self.window.add_shortcuts([self.actions[name]])

    def _command(self, name: str) -> Callable[[], None]:
        def run(_checked: bool = False) -> None:
            if self.bridge.project is None:
                self.window.report("Open or create a project first.")
                return
            try:
                getattr(self, name)()
            except CollabCoderError as error:
                self.window.show_error("The codebook was not changed", str(error))

        return run

    def _write(
        self,
        label: str,
        fn: Callable[[Project], T],
        then: Callable[[T], None] | None = None,
        refused: str = "The codebook was not changed",
    ) -> None:
        """Run ``fn`` as one write op named ``label`` (its undo step); a refusal is shown."""

        def failed(error: BaseException) -> None:
            if isinstance(error, CollabCoderError):
                self.window.show_error(refused, str(error))
            else:
                self.bridge.ops.failed.emit(label, error)

        self.bridge.ops.run_op(label, fn, then, initiator=self, on_error=failed)

    def _current(self) -> CodeRecord | None:
        code_id = self.dock.current_code()
        code = self.bridge.code(code_id) if code_id is not None else None
        if code is None:
            self.window.report("Pick a code in the Codebook first (Ctrl+2).")
        return code

    # -- creating and editing ---------------------------------------------------------------------
    def new_code(self, parent: CodeRecord | None = None) -> None:
        title = f"New code under {parent.name}" if parent else "New code"
        fields = self.questions.code_fields(self.window.widget, None, title)
        if not fields:
            return
        name = fields.pop("name")
        parent_id = parent.id if parent else None
        self._write(
            f"Add code {name}",
            lambda p: p.codes.add(name, parent_id, **fields),
            lambda code: self.dock.select_code(code.id),
        )

    def new_child(self) -> None:
        parent = self._current()
        if parent:
            self.new_code(parent)

    def edit_code(self) -> None:
        code = self._current()
        if code is None:
            return
        fields = self.questions.code_fields(self.window.widget, code, f"Edit {code.name}")
        if fields:
            label = (
                f"Rename code to {fields['name']}" if "name" in fields else f"Edit code {code.name}"
            )
            self._write(label, lambda p: p.codes.update(code.id, **fields))

    # -- merging, splitting, deleting -------------------------------------------------------------
    def merge_code(self) -> None:
        code = self._current()
        if code is None:
            return
        project = self.bridge.require()
        inside = set(project.codes.descendants(code.id))
        paths = self.bridge.paths()
        choices = {paths[c.id]: c.id for c in self.bridge.codes() if c.id not in inside}
        if not choices:
            self.window.report("There is no other code to merge into.")
            return
        label = f"Merge “{code.name}” into (its segments, children and memos move there):"
        chosen = self.questions.choose_code(self.window.widget, "Merge code", label, list(choices))
        if chosen in choices:
            target = choices[chosen]
            into = self.bridge.code(target)
            self._write(
                f"Merge {code.name} into {into.name if into else chosen}",
                lambda p: p.codes.merge(code.id, target),
                lambda _none: self.dock.select_code(target),
            )

    def split_code(self) -> None:
        code = self._current()
        if code is None:
            return
        project = self.bridge.require()
        segments = project.segments.list(SegmentFilter(code_ids=[code.id]))
        if not segments:
            self.window.report(f"{code.name} has no segments to split off.")
            return
        names = {d.id: d.name for d in project.documents.list()}
        listed = [
            (s.id, names.get(s.document_id, "?"), self._quote(s.document_id, s.start, s.end))
            for s in segments
        ]
        # What the researcher picked in the Segments table is ticked to begin with.
        picked = set(self.window.selected_segment_ids())
        answer = self.questions.split(self.window.widget, code.name, listed, picked)
        if answer is None:
            return
        name, ids = answer
        if not name or not ids:
            self.window.report("A split needs a name and at least one segment.")
            return
        self._write(
            f"Split {code.name}",
            lambda p: p.codes.split(code.id, name, ids),
            lambda new: self.dock.select_code(new.id),
        )

    def _quote(self, document_id: int, start: int, end: int) -> str:
        return segment_quote(self.bridge.text(document_id), start, end)

    def delete_code(self) -> None:
        code = self._current()
        if code is None:
            return
        project = self.bridge.require()
        doomed = set(project.codes.descendants(code.id))
        counts = project.codes.counts()
        segments = sum(counts.get(i, (0, 0))[0] for i in doomed)
        parent = self.bridge.code(code.parent_id) if code.parent_id is not None else None
        how = self.questions.delete_segments(
            self.window.widget, code, segments, parent.name if parent else None
        )
        if how is not None:
            self._write(f"Delete code {code.name}", lambda p: p.codes.delete(code.id, segments=how))

    # -- moving by drag and drop ------------------------------------------------------------------
    def _dropped(self, code_ids: list[int], parent_id: int, position: int) -> None:
        self.move_codes(code_ids, None if parent_id < 0 else parent_id, position)

    def move_codes(self, code_ids: list[int], parent_id: int | None, position: int = -1) -> None:
        """Move codes under ``parent_id`` at ``position`` among its children (-1: at the end).

        ``position`` counts the children as the tree showed them, the moving codes included.
        """
        chosen = set(code_ids)

        def carried(code_id: int) -> bool:  # moves anyway, with a chosen code above it
            code = self.bridge.code(code_id)
            parent = code.parent_id if code else None
            while parent is not None:
                if parent in chosen:
                    return True
                above = self.bridge.code(parent)
                parent = above.parent_id if above else None
            return False

        moving = [i for i in code_ids if not carried(i)]
        siblings = self.dock.model.siblings(parent_id)
        if position >= 0:
            # The core places a code among its siblings without itself, so those above the drop
            # point that are moving do not count.
            position -= sum(1 for i in siblings[:position] if i in moving)
        codes = [c for c in (self.bridge.code(i) for i in moving) if c is not None]
        if not codes:
            return
        label = f"Move code {codes[0].name}" if len(codes) == 1 else f"Move {len(codes)} codes"

        def move(project: Project) -> None:
            with project.undo_group(label):
                for n, code in enumerate(codes):
                    project.codes.move(code.id, parent_id, None if position < 0 else position + n)

        self._write(
            label,
            move,
            lambda _none: self.dock.select_code(codes[0].id),
            refused="The code was not moved",
        )

    # -- sharing ----------------------------------------------------------------------------------
    def export_codebook(self, path: Path | None = None) -> Path | None:
        target = path or self.questions.export_path(self.window.widget)
        if target is None:
            return None
        project = self.bridge.require()
        specs = project.codes.to_specs()
        if target.suffix.lower() in (".docx", ".xlsx"):
            from collabcoder.io.codebook_document import write_codebook_document

            counts = project.codes.counts()
            by_guid = {c.guid.lower(): counts.get(c.id, (0, 0)) for c in self.bridge.codes()}
            write_codebook_document(specs, target, by_guid)
        else:
            from collabcoder.io.refi.qdc import write_qdc

            write_qdc(specs, target)
        self.window.report(f"Exported {len(self.bridge.codes())} codes to {target}.")
        return target

    def import_codebook(self, path: Path | None = None) -> None:
        from collabcoder.core.codebook_diff import diff_codebooks
        from collabcoder.core.codebook_merge import apply_merge_plan, plan_merge, segment_counts
        from collabcoder.io.refi.qdc import read_qdc

        source = path or self.questions.import_path(self.window.widget)
        if source is None:
            return
        project = self.bridge.require()
        incoming = read_qdc(source)
        local = project.codes.to_specs()
        diff = diff_codebooks(local, incoming)
        plan = plan_merge(local, incoming, segment_counts=segment_counts(project))
        chosen = self.questions.confirm_merge(self.window.widget, source.name, diff, plan)
        if chosen is None or chosen.is_empty:
            return
        label = f"Import codebook {source.name}"
        self._write(
            label,
            lambda p: apply_merge_plan(p, chosen, label=label),
            lambda result: self.window.report(
                f"Imported {source.name}: {result.added} added, {result.updated} updated, "
                f"{result.moved} moved, {result.removed} removed; "
                f"{len(chosen.conflicts)} conflicts left as they were."
            ),
        )


def install_codebook_editing(window: Shell, dock: CodebookDock) -> CodebookEditor:
    """Create the editor for ``dock`` and put its commands in the Code menu."""
    editor = CodebookEditor(window, dock)
    editor.install(window.menu("code"))
    return editor
