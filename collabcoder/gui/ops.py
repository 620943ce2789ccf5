"""The one way the GUI runs core work: ``run_op`` for writes, ``run_query`` for reads.

After Anki's CollectionOp / QueryOp. Writes run one at a time, in the order they were asked for,
on the project's single writer thread, so the undo stack is touched from that thread only and an
undo asked for while an import runs waits for the import. Reads run on a reader thread of their
own (SQLite in WAL mode and PostgreSQL read beside a writer), so a matrix snapshot never holds up
the next coding step. ``fn`` gets the project; its result reaches ``on_done`` on the GUI thread by
a queued signal, and the ``Changes`` broadcast while it ran reach ``ProjectBridge.changed`` just
before, stamped with the op's initiator. Long work gets a :class:`Work` (progress and a cancel
token) and shows a progress dialog with a Cancel button.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from collabcoder.core.changes import Changes, merged
from collabcoder.core.progress import CancelToken, Progress
from collabcoder.core.project import Project

T = TypeVar("T")
OnError = Callable[[BaseException], None]


@dataclass
class Work:
    """What long work reports to and checks: ``progress(done, total, message)`` and ``cancel``."""

    progress: Progress
    cancel: CancelToken = field(default_factory=CancelToken)


class OpHandle(QObject):
    """One op: finished (on the GUI thread) with its result or its error."""

    progressed = Signal(int, int, str)
    _ended = Signal(object, object)  # (result, error), queued from the worker thread
    finished = Signal()

    def __init__(
        self,
        label: str,
        write: bool,
        initiator: object | None,
        ended: Callable[[OpHandle, Any, BaseException | None], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.label = label
        self.write = write
        self.initiator = initiator
        self.work = Work(self.progressed.emit)
        self.changes: list[Changes] = []  # broadcast while the op ran
        self.project: Project | None = None  # the project open when it was asked for
        self.dialog: QProgressDialog | None = None
        self._on_ended = ended
        # A slot of this GUI-thread object: the worker's emit is queued to the GUI thread.
        self._ended.connect(self._end, Qt.ConnectionType.QueuedConnection)

    def _end(self, result: object, error: object) -> None:
        self._on_ended(self, result, error if isinstance(error, BaseException) else None)


class OpRunner(QObject):
    """Owned by the project bridge; ``busy`` while any op is queued or running.

    ``failed(label, error)`` for an op that ended in an error and has no ``on_error`` of its own.
    """

    failed = Signal(str, object)

    def __init__(
        self,
        deliver: Callable[[Changes], None],
        project: Callable[[], Project | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._deliver = deliver
        self.project = project
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="project-writer")
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="project-reader")
        self._local = threading.local()
        self._pending: list[OpHandle] = []

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    @property
    def writing(self) -> bool:
        """True while a write op is queued or running (undo waits for it)."""
        return any(h.write for h in self._pending)

    def _project(self) -> Project:
        project = self.project()
        if project is None:
            raise RuntimeError("No project is open.")
        return project

    def current(self) -> OpHandle | None:
        """The op running on this thread, if any (the bridge files its Changes there)."""
        return getattr(self._local, "op", None)

    # -- the API ----------------------------------------------------------------------------------
    def run_op(
        self,
        label: str,
        fn: Callable[[Project], T],
        on_done: Callable[[T], None] | None = None,
        *,
        initiator: object | None = None,
        on_error: OnError | None = None,
    ) -> OpHandle:
        """Run a write ``fn(project)`` after every write asked for before it."""
        project = self._project()
        return self._submit(
            self._writer, label, lambda _w: fn(project), on_done, initiator, on_error
        )

    def run_query(
        self,
        label: str,
        fn: Callable[[Project], T],
        on_done: Callable[[T], None] | None = None,
        *,
        initiator: object | None = None,
        on_error: OnError | None = None,
    ) -> OpHandle:
        """Run a read ``fn(project)`` beside the writer."""
        project = self._project()
        return self._submit(
            self._reader, label, lambda _w: fn(project), on_done, initiator, on_error
        )

    def run_long(
        self,
        parent: QWidget | None,
        label: str,
        fn: Callable[[Work], T],
        on_done: Callable[[T], None] | None = None,
        *,
        write: bool = True,
        on_error: OnError | None = None,
        initiator: object | None = None,
    ) -> OpHandle:
        """Run long work ``fn(work)`` with progress and cancel; a progress dialog with a Cancel
        button shows over ``parent`` unless it is None (upkeep the user did not ask for).

        ``write`` work queues with the writes; a read runs beside them.
        """
        executor = self._writer if write else self._reader
        handle = self._submit(executor, label, fn, on_done, initiator, on_error)
        if parent is not None:
            _progress_dialog(parent, handle)
        return handle

    # -- machinery --------------------------------------------------------------------------------
    def _submit(
        self,
        executor: ThreadPoolExecutor,
        label: str,
        fn: Callable[[Work], T],
        on_done: Callable[[T], None] | None,
        initiator: object | None,
        on_error: OnError | None,
    ) -> OpHandle:
        def ended(handle: OpHandle, result: Any, error: BaseException | None) -> None:
            self._ended(handle, result, error, on_done, on_error)

        handle = OpHandle(label, executor is self._writer, initiator, ended, self)
        handle.project = self.project()
        self._pending.append(handle)

        def run() -> None:
            self._local.op = handle
            try:
                result: Any = fn(handle.work)
            except BaseException as error:  # handed to the GUI thread, which shows it
                handle._ended.emit(None, error)
            else:
                handle._ended.emit(result, None)
            finally:
                self._local.op = None

        executor.submit(run)
        return handle

    def _ended(
        self,
        handle: OpHandle,
        result: Any,
        error: BaseException | None,
        on_done: Callable[[Any], None] | None,
        on_error: OnError | None,
    ) -> None:
        self._pending.remove(handle)
        # An op of a project closed since: its rows and result belong to no window any more.
        if handle.project is None or handle.project is self.project():
            if handle.changes:  # one refresh for the whole op, however many steps it made
                self._deliver(merged(handle.label, handle.changes).started_by(handle.initiator))
            if error is not None:
                if on_error is not None:
                    on_error(error)
                else:
                    self.failed.emit(handle.label, error)
            elif on_done is not None:
                on_done(result)
        handle.finished.emit()
        handle.deleteLater()

    def wait(self) -> None:
        """Block until every op asked for so far has run (tests and shutdown)."""
        for executor in (self._writer, self._reader):
            executor.submit(lambda: None).result()


def _progress_dialog(parent: QWidget, handle: OpHandle) -> None:
    dialog = QProgressDialog(handle.label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(handle.label)
    dialog.setAccessibleName(f"Progress: {handle.label}")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # quick work finishes without a flashing dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    # Starts the 400 ms count: until a first value Qt waits its default 4 s, so work that
    # reports no progress (opening a project) showed no dialog for its first seconds.
    dialog.setValue(0)
    dialog.canceled.connect(handle.work.cancel.cancel)
    handle.dialog = dialog

    def show(done: int, total: int, message: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total > 0 else 0)
        if message:
            dialog.setLabelText(message)

    handle.progressed.connect(show)
    handle.finished.connect(dialog.close)
    handle.finished.connect(dialog.deleteLater)
