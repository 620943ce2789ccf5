"""The op runner: core work off the GUI thread, its Changes back by queued signal, one writer."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from collabcoder.core.changes import Changes, Kind
from collabcoder.core.errors import Cancelled
from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.ops import Work


def test_long_op_reports_progress_and_result_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Long work runs on a worker thread with progress; its result reaches on_done."""
    results: list[object] = []
    seen: list[str] = []
    progressed: list[tuple[int, int, str]] = []

    def work(job: Work) -> str:
        seen.append(threading.current_thread().name)
        for n in range(3):
            job.progress(n, 3, f"step {n}")
        return "done"

    handle = window.bridge.ops.run_long(window, "Testing", work, results.append)
    handle.progressed.connect(lambda *a: progressed.append(a))
    qtbot.waitUntil(lambda: results == ["done"], timeout=5000)
    assert seen != [threading.main_thread().name]
    assert not window.bridge.ops.busy


def test_cancel_reaches_the_work_and_errors_reach_on_error(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The dialog's Cancel sets the op's token; the error goes to on_error, not to a crash."""
    errors: list[BaseException] = []
    started = threading.Event()

    def work(job: Work) -> None:
        started.set()
        for _ in range(500):
            if job.cancel.is_set():
                raise Cancelled("Stopped by the user.")
            threading.Event().wait(0.01)

    handle = window.bridge.ops.run_long(
        window, "Waiting", work, lambda _r: None, on_error=errors.append
    )
    assert started.wait(5) and handle.dialog is not None
    handle.dialog.findChild(QPushButton).click()
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert isinstance(errors[0], Cancelled)


def test_an_ops_changes_reach_the_docks_by_queued_signal(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """A write on the writer thread: its Changes arrive on the GUI thread, with the initiator,
    before on_done; the Segments dock and the Codebook counts show the new segment."""
    document = project.documents.list()[0].id
    trust = project.codes.by_path("Drivers/Trust").id
    heard: list[tuple[Changes, bool]] = []
    window.bridge.changed.connect(
        lambda c: heard.append((c, threading.current_thread() is threading.main_thread()))
    )
    done: list[int] = []
    initiator = object()
    window.bridge.ops.run_op(
        "Code",
        lambda p: p.segments.add(document, trust, 0, 12).id,
        lambda segment_id: done.append(len(heard)),
        initiator=initiator,
    )
    assert heard == []  # nothing is delivered while the op may still be running
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    ((changes, on_gui_thread),) = heard
    assert on_gui_thread and changes.initiator is initiator and done == [1]
    assert changes.delta(Kind.SEGMENTS) is not None
    assert len(window.segments_dock.model.rows) == 1
    assert window.codebook_dock.model.counts[trust] == 1


def test_undo_from_the_gui_waits_for_the_op_in_flight(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Edit > Undo while a write runs: the undo runs after it (and undoes that very step)."""
    document = project.documents.list()[0].id
    trust = project.codes.by_path("Drivers/Trust").id
    project.segments.add(document, trust, 0, 5, label="First")
    release, running = threading.Event(), threading.Event()
    undone_during: list[str | None] = []

    def slow(p: Project) -> None:
        running.set()
        assert release.wait(5)
        undone_during.append(p.undo_label)  # still the op's own state: no undo has run
        p.segments.add(document, trust, 10, 20, label="Second")

    window.bridge.ops.run_op("Slow", slow)
    assert running.wait(5)
    window.commands["undo"].trigger()
    qtbot.wait(50)
    assert project.undo_label == "First"  # the undo did not run beside the op
    release.set()
    qtbot.waitUntil(lambda: not window.bridge.ops.busy, timeout=5000)
    assert undone_during == ["First"]
    assert [s.start for s in project.segments.list()] == [0]  # "Second" was undone
    assert project.redo_label == "Second"


def test_an_op_of_a_closed_project_reaches_nothing(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Closing the project waits for its ops; their result and Changes then go nowhere."""
    document = project.documents.list()[0].id
    trust = project.codes.by_path("Drivers/Trust").id
    release = threading.Event()
    done: list[object] = []

    def slow(p: Project) -> int:
        assert release.wait(5)
        return p.segments.add(document, trust, 0, 5).id

    window.bridge.ops.run_op("Slow", slow, done.append)
    threading.Timer(0.2, release.set).start()
    window.set_project(None)  # waits for the op, whose result arrives after the close
    qtbot.waitUntil(lambda: not window.bridge.ops.busy, timeout=5000)
    assert done == [] and window.segments_dock.model.rowCount() == 0
