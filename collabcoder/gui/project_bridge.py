"""The GUI's one link to the open project: its op runner, and core ``Changes`` as a Qt signal.

Work on the project runs through ``bridge.ops`` (see ``ops.py``); the Changes an op broadcasts come
back to the GUI thread with its result, and ``changed`` carries every Changes record to the views
there. The bridge also keeps the few read caches every view needs (codes, coders, texts) and drops
them by the flags of each ``Changes``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from collabcoder.core.changes import Changes, Source
from collabcoder.core.errors import ProjectReadOnly
from collabcoder.core.heap import freeze_long_lived
from collabcoder.core.project import Project
from collabcoder.core.records import CodeRecord, CoderRecord, DocumentRecord, TurnRecord
from collabcoder.core.text import Utf16Map

from .ops import OpRunner


class CoderVisibility(QObject):
    """Whose coding is shown: everyone's, only mine (blind coding), or all but hidden coders."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.only_mine = False
        self.hidden: set[int] = set()
        self.my_id: int | None = None

    def visible(self, coder_id: int) -> bool:
        if self.only_mine:
            return coder_id == self.my_id
        return coder_id not in self.hidden

    def set_only_mine(self, on: bool) -> None:
        if on != self.only_mine:
            self.only_mine = on
            self.changed.emit()

    def set_hidden(self, coder_id: int, hidden: bool) -> None:
        before = set(self.hidden)
        (self.hidden.add if hidden else self.hidden.discard)(coder_id)
        if before != self.hidden:
            self.changed.emit()


class ProjectBridge(QObject):
    """Holds the open Project; ``changed`` carries every Changes record to the GUI thread."""

    changed = Signal(object)  # Changes
    project_replaced = Signal()  # a project was opened or closed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project: Project | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.visibility = CoderVisibility(self)
        self._codes: list[CodeRecord] | None = None
        self._by_id: dict[int, CodeRecord] | None = None
        self._paths: dict[int, str] | None = None
        self._coders: list[CoderRecord] | None = None
        self._documents: list[DocumentRecord] | None = None
        self._texts: dict[int, str] = {}
        self._maps: dict[int, Utf16Map] = {}
        self._turns: dict[int, list[TurnRecord]] = {}
        self.ops = OpRunner(self.changed.emit, lambda: self._project, self)
        self.changed.connect(self._forget)

    # -- the project ------------------------------------------------------------------------------
    @property
    def project(self) -> Project | None:
        return self._project

    def require(self) -> Project:
        """The open project (callers check ``project`` first when there may be none)."""
        if self._project is None:
            raise RuntimeError("No project is open.")
        return self._project

    def set_project(self, project: Project | None) -> None:
        """Show ``project`` (closing the one shown before)."""
        self.ops.wait()  # the old project's ops finish before it closes
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._project is not None and self._project is not project:
            self._project.close()
        self._project = project
        self._forget(None)
        self.visibility.hidden.clear()
        self.visibility.my_id = _own_coder_id(project)
        if project is not None:
            self._unsubscribe = project.subscribe(self._heard)
        self.project_replaced.emit()
        if project is not None:
            # The views have filled: keep the collector's passes off what stays while it is open.
            freeze_long_lived(collect=True)

    def _heard(self, changes: Changes) -> None:
        # Inside an op, its Changes go back with its result; any other step is shown now.
        op = self.ops.current()
        if op is not None:
            op.changes.append(changes)
        else:
            self.changed.emit(changes)

    # -- caches -----------------------------------------------------------------------------------
    def _forget(self, changes: Changes | None) -> None:
        if changes is None or changes.touched("codes"):
            self._codes = None
            self._by_id = None
            self._paths = None
        # Coders join a project without an undoable step (on opening it, or with an imported
        # table), so a new one is first seen with its coding or in another coder's steps.
        if (
            changes is None
            or changes.touched("coders", "segments")
            or changes.source is Source.REMOTE
        ):
            self._coders = None
        if changes is None or changes.touched("documents"):
            self._documents = None
            self._texts.clear()
            self._maps.clear()
            self._turns.clear()

    def codes(self) -> list[CodeRecord]:
        """Every code in tree order."""
        if self._codes is None:
            self._codes = self.require().codes.list() if self._project else []
        return self._codes

    def code(self, code_id: int) -> CodeRecord | None:
        if self._by_id is None:
            self._by_id = {c.id: c for c in self.codes()}
        return self._by_id.get(code_id)

    def paths(self) -> dict[int, str]:
        """Every code's "Parent/Child" path by id."""
        if self._paths is None:
            self._paths = self.require().codes.paths() if self._project else {}
        return self._paths

    def colours(self) -> dict[int, str]:
        return {c.id: c.colour for c in self.codes()}

    def text(self, document_id: int) -> str:
        if document_id not in self._texts:
            self._texts[document_id] = self.require().documents.text(document_id)
        return self._texts[document_id]

    def utf16(self, document_id: int) -> Utf16Map:
        """The converter between code points and Qt's UTF-16 offsets for one document."""
        if document_id not in self._maps:
            self._maps[document_id] = Utf16Map(self.text(document_id))
        return self._maps[document_id]

    def turns(self, document_id: int) -> list[TurnRecord]:
        if document_id not in self._turns:
            self._turns[document_id] = self.require().documents.turns(document_id)
        return self._turns[document_id]

    def documents(self) -> list[DocumentRecord]:
        """Every document (without its text) by name: read once per change to documents, however
        many docks ask (an import's step reaches five of them)."""
        if self._documents is None:
            self._documents = self.require().documents.list() if self._project else []
        return self._documents

    def coders(self) -> list[CoderRecord]:
        """Every coder of the project, by name."""
        if self._coders is None:
            self._coders = self.require().coders.list() if self._project else []
        return self._coders


def _own_coder_id(project: Project | None) -> int | None:
    """The id of the coder this window acts for; None when there is none, or when a project
    opened read-only does not know this coder yet (reading must not register anyone)."""
    if project is None:
        return None
    try:
        return project.coder.id
    except ProjectReadOnly:
        return None
