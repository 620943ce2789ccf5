"""Cancel in the real window reaches the work through the one token: exports and retraining."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.core.segments import NewSegment
from collabcoder.gui.auto_train import AutoTrainer
from collabcoder.gui.main_window import MainWindow
from tests.gui.waiting import settle


def _hold(window: MainWindow, write: bool) -> threading.Event:
    """Keep the reader (or writer) thread busy until the returned gate opens, so what is asked
    next is still queued when Cancel is pressed."""
    gate = threading.Event()
    run = window.bridge.ops.run_op if write else window.bridge.ops.run_query
    run("Waiting", lambda _project: gate.wait(30))
    return gate


def test_cancel_in_the_progress_dialog_stops_a_workbook_export(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """Cancel in the export's progress dialog stops the workbook export: no file is written and
    the status bar says it was cancelled."""
    matrix = window.analysis.show_matrix()
    assert matrix is not None
    settle(qtbot, window)
    gate = _hold(window, write=False)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "synthesis.xlsx"
    matrix.export_to(target)
    dialog = window.findChildren(QProgressDialog)[-1]
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    cancel.click()
    gate.set()
    settle(qtbot, window)
    assert list(folder.iterdir()) == []
    assert "synthesis.xlsx was cancelled" in window.statusBar().currentMessage()


def test_cancelled_retraining_stores_no_model(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """The background retraining gets the same token: cancelled, it stores no model and the
    status bar says so."""
    document = project.documents.list()[0]
    text = project.documents.text(document.id)
    passages = [("Drivers/Trust", "Trust grew slowly"), ("Drivers/Trust", "trust each other"),
                ("Drivers/Funding", "Funding was the hard part"),
                ("Drivers/Funding", "contracts that told providers")]  # fmt: skip
    project.segments.add_many(
        [
            NewSegment(
                document.id, project.codes.by_path(p).id, text.index(w), text.index(w) + len(w)
            )
            for p, w in passages
        ]
    )
    trainer = AutoTrainer(window, settle_ms=60_000, first_model_at=4)
    gate = _hold(window, write=True)
    assert trainer.check_now() and trainer.running is not None
    trainer.running.work.cancel.cancel()
    gate.set()
    qtbot.waitUntil(lambda: trainer.running is None, timeout=60_000)
    assert project.models.latest("learned") is None
    message = window.statusBar().currentMessage()
    assert "not retrained" in message and "cancelled" in message
