"""One synthesis snapshot shared by the analysis windows, built lazily off the GUI thread.

The Matrix, Co-occurrence and Agreement windows read the same ``SynthesisData``. It is taken
(once) the first time a window computes after a change that touches what synthesis reads, inside
that window's ``run_query``, so a coding step costs the analysis windows nothing on the GUI thread.
pandas is reached only through ``collabcoder.synthesis``, inside functions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from collabcoder.core.changes import Changes, Kind
from collabcoder.core.heap import freeze_long_lived, no_collector_passes
from collabcoder.core.project import Project

from .project_bridge import ProjectBridge

if TYPE_CHECKING:
    from collabcoder.synthesis.frames import SynthesisData

T = TypeVar("T")
_LOADED_ONCE = False  # whether a snapshot was taken in this process yet
SETTLE_MS = 250  # after a change, wait this long for the next one before recomputing

# What synthesis reads: a step touching any of these makes the snapshot stale.
SNAPSHOT_KINDS = (
    Kind.CASES,
    Kind.CODES,
    Kind.SEGMENTS,
    Kind.DOCUMENTS,
    Kind.ATTRIBUTES,
    Kind.SUMMARIES,
    Kind.CODERS,
    Kind.SETS,
    Kind.SPEAKERS,  # who a turn's label means, and their role (rows by speaker, role filters)
)


class SynthesisSnapshot(QObject):
    """``stale`` fires (on the GUI thread) when the project moved on from the snapshot."""

    stale = Signal()

    def __init__(self, bridge: ProjectBridge) -> None:
        super().__init__(bridge)
        self.bridge = bridge
        self._lock = threading.Lock()  # held only for a moment, by either thread
        self._loading = threading.Lock()
        self._generation = 0  # bumped by every change synthesis reads
        self._data: SynthesisData | None = None
        self._data_generation = -1
        bridge.changed.connect(self._on_changes)
        bridge.project_replaced.connect(self._forget)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touched(*SNAPSHOT_KINDS):
            self._forget()

    def _forget(self) -> None:
        with self._lock:
            self._generation += 1
            self._data = None
        self.stale.emit()

    def data(self, project: Project) -> SynthesisData:
        """The snapshot, taken now if stale (call this on the reader thread, inside a query)."""
        from collabcoder.synthesis.load import load_synthesis_data

        with self._loading:  # one load at a time; the GUI thread never waits on this lock
            with self._lock:
                if self._data is not None and self._data_generation == self._generation:
                    return self._data
                generation = self._generation
            with no_collector_passes():  # every row read lives until the frames are built
                data = load_synthesis_data(project)
            global _LOADED_ONCE
            if not _LOADED_ONCE:
                # pandas and the synthesis modules are loaded now, for the rest of the process.
                _LOADED_ONCE = True
                freeze_long_lived()
            with self._lock:
                # A change that arrived while loading leaves this copy marked stale.
                self._data, self._data_generation = data, generation
            return data


class SnapshotQuery(QObject):
    """One window's computation over the snapshot: at most one in flight, the latest wins.

    ``compute(data)`` runs on the reader thread; ``show(result)`` on the GUI thread. Asking again
    while a computation runs queues one more run with the newest choices, so a burst of steps
    costs one or two computations, not one each.
    """

    def __init__(
        self,
        snapshot: SynthesisSnapshot,
        label: str,
        show: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.snapshot = snapshot
        self.label = label
        self._show = show
        self._on_error = on_error
        self._running = False
        self._next: Callable[[SynthesisData], Any] | None = None
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(SETTLE_MS)
        self._later.timeout.connect(self._start_if_idle)

    @property
    def loading(self) -> bool:
        return self._running or self._next is not None or self._later.isActive()

    def ask_soon(self, compute: Callable[[SynthesisData], T]) -> None:
        """Like ``ask``, once the project has been still for a moment: a coding step paints
        first, and a burst of steps costs one computation."""
        if self.snapshot.bridge.project is None:
            return
        self._next = compute
        self._later.start()

    def _start_if_idle(self) -> None:
        if not self._running:
            self._start()

    def ask(self, compute: Callable[[SynthesisData], T]) -> None:
        """Compute ``compute(snapshot)`` off the GUI thread, then show it."""
        if self.snapshot.bridge.project is None:
            return
        self._next = compute
        self._later.stop()
        if not self._running:
            self._start()

    def _start(self) -> None:
        compute, self._next = self._next, None
        if compute is None or self.snapshot.bridge.project is None:
            return
        self._running = True
        snapshot = self.snapshot
        self.snapshot.bridge.ops.run_query(
            self.label,
            lambda project: compute(snapshot.data(project)),
            self._done,
            on_error=self._failed,
        )

    def _done(self, result: Any) -> None:
        self._running = False
        if self._next is not None:  # newer choices or newer data: the result is already old
            if not self._later.isActive():
                self._start()
            return
        self._show(result)

    def _failed(self, error: BaseException) -> None:
        self._running = False
        if self._next is not None:
            if not self._later.isActive():
                self._start()
        elif self._on_error is not None:
            self._on_error(error)
        else:
            self.snapshot.bridge.ops.failed.emit(self.label, error)
