"""Long work on a background thread, with a progress dialog and a Cancel button.

Core and io take plain ``progress(done, total, message)`` callables and a cancel token; here the
token is a ``threading.Event`` (work checks ``cancel.is_set()``), and progress reaches the dialog
through a queued Qt signal, so the worker never touches a widget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[int, int, str], None]
Task = Callable[[Progress, threading.Event], Any]


class _Runner(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, task: Task, cancel: threading.Event) -> None:
        super().__init__()
        self._task = task
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            result = self._task(self.progressed.emit, self._cancel)
        except Exception as error:  # handed to the GUI thread, which shows it to the user
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)


class TaskHandle(QObject):
    """One running task: its thread, its dialog, and what to call when it ends."""

    finished = Signal()

    def __init__(
        self,
        parent: QWidget,
        title: str,
        task: Task,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        quiet: bool = False,
    ) -> None:
        super().__init__(parent)
        self.cancel = threading.Event()
        self._on_done = on_done
        self._on_error = on_error
        # Quiet tasks (background upkeep the user did not ask for) show no dialog at all.
        self.dialog: QProgressDialog | None = None
        if not quiet:
            self.dialog = self._progress_dialog(parent, title)
        self._thread = QThread()
        self._runner = _Runner(task, self.cancel)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        self._runner.progressed.connect(self._show_progress)
        self._runner.succeeded.connect(self._succeeded)
        self._runner.failed.connect(self._failed)

    def _progress_dialog(self, parent: QWidget, title: str) -> QProgressDialog:
        dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setAccessibleName(f"Progress: {title}")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # quick work finishes without a flashing dialog
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel.set)
        return dialog

    def start(self) -> None:
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def _show_progress(self, done: int, total: int, message: str) -> None:
        if self.dialog is None:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)
        if message:
            self.dialog.setLabelText(message)

    def _succeeded(self, result: object) -> None:
        self._stop()
        self._on_done(result)
        self.finished.emit()

    def _failed(self, error: BaseException) -> None:
        self._stop()
        self._on_error(error)
        self.finished.emit()

    def _stop(self) -> None:
        self._thread.quit()
        self._thread.wait()
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
