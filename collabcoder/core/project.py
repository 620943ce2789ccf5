"""The Project facade: the one way to read and change a project (after Anki's collection).

Every mutation goes through a manager (``project.codes``, ``project.segments``...). Each runs in
one transaction through a :class:`~collabcoder.core.journal.Journal`, becomes one undoable step,
is written to the operation log, and is broadcast to subscribers as a :class:`Changes` record.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from .cases import AttributeManager, CaseManager
from .changes import Changes, Source, detail_of
from .codebook_spec import CodeSpec
from .coders import CoderManager, ensure_coder
from .codes import CodeManager
from .documents import DocumentManager
from .errors import Conflict, NothingToUndo, ProjectDamaged, ProjectReadOnly
from .integrity import CheckReport, check_project
from .journal import Journal
from .memos import MemoManager
from .model import (
    Case,
    Code,
    Coder,
    Document,
    Memo,
    Operation,
    ProjectInfo,
    Segment,
    new_guid,
    utcnow,
)
from .models_store import ModelStore
from .progress import Progress, no_progress
from .records import CoderRecord, OperationRecord
from .remote import RemoteWatcher, without_password
from .search import SearchManager
from .segments import SegmentManager
from .sets import SetManager
from .speakers import SpeakerManager
from .storage import Store, create_store, database_failure, is_url, open_store
from .suggestions import SuggestionManager
from .summaries import SummaryManager
from .team import TeamManager
from .team_errors import refusal
from .team_proposals import ProposalManager
from .undo import Step, UndoStack

Listener = Callable[[Changes], None]


@dataclass(frozen=True)
class ProjectCounts:
    documents: int
    cases: int
    codes: int
    segments: int
    coders: int
    memos: int


class Project:
    """An open project, acting on behalf of one coder."""

    def __init__(self, store: Store, coder: str) -> None:
        self._store = store
        self._stack = UndoStack()
        self._listeners: list[Listener] = []
        self._group_journal: Journal | None = None
        self._group_thread: int | None = None
        self.coders = CoderManager(self)
        self.cases = CaseManager(self)
        self.attributes = AttributeManager(self)
        self.documents = DocumentManager(self)
        self.codes = CodeManager(self)
        self.segments = SegmentManager(self)
        self.memos = MemoManager(self)
        self.suggestions = SuggestionManager(self)
        self.summaries = SummaryManager(self)
        self.models = ModelStore(self)
        self.search = SearchManager(self)
        self.team = TeamManager(self)
        self.proposals = ProposalManager(self)
        self.sets = SetManager(self)
        self.speakers = SpeakerManager(self)
        self._coder_name = coder
        self._coder: CoderRecord | None = None
        self._checked = False  # the project passed its quick check in this session
        self.last_changes: Changes = Changes("open")
        self._watcher = RemoteWatcher()
        with self.read() as conn:
            self._watcher.start(conn)

    @property
    def coder(self) -> CoderRecord:
        """The coder this project acts for; registered on first need, so reading writes nothing.

        Inside a write the registration joins that write's transaction, so a refused write
        leaves no coder row behind; read-only, a coder not yet in the project is refused.
        """
        if self._coder is None:
            if self.read_only or self.team.role == "viewer":  # viewers cannot write: look up
                self._coder = self.coders.find(self._coder_name)
            else:
                self._coder = self.coders.register(self._coder_name)
        return self._coder

    @property
    def read_only(self) -> bool:
        """True when the project was opened only for reading: every write is refused."""
        return self._store.read_only

    # -- opening and closing ---------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        location: str | Path,
        coder: str,
        *,
        codebook: list[CodeSpec] | None = None,
        name: str | None = None,
    ) -> Project:
        """Create a new project at ``location`` (a ``.ccproj`` path or a database URL)."""
        store = create_store(location)
        title = name or Path(str(location)).stem
        with store.engine.begin() as conn:
            conn.execute(
                insert(ProjectInfo),
                [
                    {"key": "name", "value": title},
                    {"key": "guid", "value": new_guid()},
                    {"key": "created", "value": utcnow()},
                ],
            )
        project = cls(store, coder)
        if codebook:
            project.codes.import_specs(codebook, label="Start from codebook")
            project._stack.done.clear()  # a fresh project starts with nothing to undo
        return project

    @classmethod
    def open(
        cls,
        location: str | Path,
        coder: str,
        *,
        read_only: bool = False,
        progress: Progress = no_progress,
    ) -> Project:
        """Open an existing project (migrating an older one after a backup copy).

        ``read_only`` opens it so that nothing can change it, not even its journal mode;
        ``progress`` hears of a backup and migration.
        """
        try:
            return cls(open_store(location, read_only=read_only, progress=progress), coder)
        except DBAPIError as exc:  # a login outside the team may not read the project at all
            shown = without_password(str(location)) if is_url(location) else str(location)
            refused = refusal(exc, shown, lambda: None)
            if refused is None:
                raise
            raise refused from exc

    def close(self) -> None:
        self._store.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def location(self) -> str:
        return self._store.location

    @property
    def is_shared(self) -> bool:
        """True for a team project on a database server."""
        return not self._store.is_sqlite

    def _info(self, key: str) -> str:
        with self.read() as conn:
            value = conn.scalar(select(ProjectInfo.value).where(ProjectInfo.key == key))
        return value or ""

    @property
    def name(self) -> str:
        return self._info("name")

    @property
    def guid(self) -> str:
        """The project's identity: kept by copies, so a copy can be merged back."""
        return self._info("guid")

    # -- transactions ----------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading, in one consistent transaction."""
        group = self._current_group()
        if group is not None:
            # Inside an undo group, read what the group has written so far.
            yield group.conn
            return
        with self._store.engine.connect() as conn:
            yield conn

    def _current_group(self) -> Journal | None:
        """The open undo group's journal, if this thread opened it (other threads wait)."""
        if self._group_thread == threading.get_ident():
            return self._group_journal
        return None

    @contextmanager
    def write(self, label: str) -> Iterator[Journal]:
        """Run one mutation: one transaction, one undo step, one log entry, one broadcast.

        Inside :meth:`undo_group` the mutation joins the group's transaction and step instead.
        """
        group = self._current_group()
        if group is not None:
            yield group
            return
        step = Step(label)
        with self._write_transaction() as conn:
            journal = Journal(conn)
            yield journal
            step.entries = journal.entries
            if step.entries:
                self._log(conn, label, step.changes)
        self._finish(step)

    @contextmanager
    def _write_transaction(self) -> Iterator[Connection]:
        """One write transaction holding the write lock from its first statement.

        The coder, when new, is registered inside it (and forgotten again if it fails); the
        first write of a session checks the project is sound; database failures become one
        sentence that names the project and never shows SQL or the text being written.
        """
        if self.read_only:
            raise ProjectReadOnly(f"{self.location}: opened read-only; nothing was changed")
        registered = self._coder is not None
        try:
            with (
                self._store.engine.connect().execution_options(cc_write=True) as conn,
                conn.begin(),
            ):
                if not self._checked:
                    self._refuse_if_damaged(conn)
                if not registered:
                    self._coder = ensure_coder(conn, self._coder_name)
                yield conn
            self._checked = True
        except BaseException as exc:
            if not registered:
                self._coder = None
            # On a team project the server refuses what the member's role does not allow.
            if isinstance(exc, DBAPIError) and not self._store.is_sqlite:
                refused = refusal(exc, self.location, lambda: self.team.role)
                if refused is not None:
                    raise refused from exc
            # Constraint failures stay as they are: callers turn them into Conflicts.
            if isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError):
                raise database_failure(exc, self.location) from exc
            raise

    def _refuse_if_damaged(self, conn: Connection) -> None:
        report = check_project(conn, self.location, quick=True)
        if not report.sound:
            raise ProjectDamaged(
                f"{self.location}: fails its integrity check ({report.problems[0]}); nothing "
                "was written. Run `collabcoder check` on it and restore a backup"
            )

    def check(self) -> CheckReport:
        """Run the full integrity check (SQLite's and CollabCoder's own) and report."""
        with self.read() as conn:
            return check_project(conn, self.location)

    @contextmanager
    def undo_group(self, label: str) -> Iterator[None]:
        """Make every mutation inside one undo step and one transaction (all or nothing)."""
        if self._current_group() is not None:  # nested groups join the outer one
            yield
            return
        step = Step(label)
        with self._write_transaction() as conn:
            self._group_journal = Journal(conn)
            self._group_thread = threading.get_ident()
            try:
                yield
                step.entries = self._group_journal.entries
                if step.entries:
                    self._log(conn, label, step.changes)
            finally:
                self._group_journal = None
                self._group_thread = None
        self._finish(step)

    def _finish(self, step: Step) -> None:
        """A new step committed: it becomes undoable and is broadcast."""
        if not step.entries:
            return
        self._stack.push(step)
        self._broadcast(step.changes)

    def _log(self, conn: Connection, label: str, changes: Changes) -> None:
        conn.execute(
            insert(Operation),
            {"coder_id": self.coder.id, "label": label, "detail": detail_of(changes)},
        )

    # -- undo and redo ---------------------------------------------------------------------------
    @property
    def undo_label(self) -> str | None:
        return self._stack.undo_label

    @property
    def redo_label(self) -> str | None:
        return self._stack.redo_label

    def undo(self) -> Changes:
        """Undo the newest step of this coder's session, exactly."""
        if not self._stack.done:
            raise NothingToUndo("There is nothing to undo.")
        step = self._stack.done[-1]
        self._replay(step, undo=True)
        self._stack.undone.append(self._stack.done.pop())
        self._broadcast(step.changes.as_source(Source.UNDO))
        return self.last_changes

    def redo(self) -> Changes:
        """Redo the step most recently undone."""
        if not self._stack.undone:
            raise NothingToUndo("There is nothing to redo.")
        step = self._stack.undone[-1]
        self._replay(step, undo=False)
        self._stack.done.append(self._stack.undone.pop())
        self._broadcast(step.changes.as_source(Source.REDO))
        return self.last_changes

    def _replay(self, step: Step, *, undo: bool) -> None:
        verb = "Undo" if undo else "Redo"
        try:
            self._replay_in_transaction(step, undo=undo, verb=verb)
        except IntegrityError as exc:
            raise Conflict(
                f"Cannot {verb.lower()} {step.label!r}: another coder has built on it since "
                "(for example, coded with a code this step would remove). Nothing was changed."
            ) from exc

    def _replay_in_transaction(self, step: Step, *, undo: bool, verb: str) -> None:
        with self._write_transaction() as conn:
            journal = Journal(conn)
            if undo:
                journal.undo_entries(step.entries)
            else:
                journal.redo_entries(step.entries)
            source = Source.UNDO if undo else Source.REDO
            self._log(conn, f"{verb} {step.label}", step.changes.as_source(source))

    # -- change notification ---------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every Changes record; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _broadcast(self, changes: Changes) -> None:
        self.last_changes = changes
        for listener in list(self._listeners):
            listener(changes)

    def poll_remote(self) -> Changes | None:
        """Check for steps other coders committed since the last check; broadcast and return them.

        The GUI calls this every few seconds on a shared project.
        """
        with self.read() as conn:
            changes = self._watcher.poll(conn, self._coder.id if self._coder else None)
        if changes is not None:
            self._broadcast(changes)
        return changes

    # -- overview --------------------------------------------------------------------------------
    def counts(self) -> ProjectCounts:
        with self.read() as conn:

            def count(model: type) -> int:
                return int(conn.scalar(select(func.count()).select_from(model)) or 0)

            return ProjectCounts(
                documents=count(Document),
                cases=count(Case),
                codes=count(Code),
                segments=count(Segment),
                coders=count(Coder),
                memos=count(Memo),
            )

    def operations(self, limit: int = 200) -> list[OperationRecord]:
        """The newest entries of the operation log, newest first."""
        with self.read() as conn:
            rows = conn.execute(
                select(Operation).order_by(Operation.id.desc()).limit(limit)
            ).mappings()
            return [OperationRecord(**row) for row in rows]
