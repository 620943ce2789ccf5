"""The learned suggestion model is retrained in the background as coding grows."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.core.segments import NewSegment
from collabcoder.gui.auto_train import AutoTrainer
from collabcoder.gui.main_window import MainWindow


def _code(project: Project, passages: list[tuple[str, str]]) -> None:
    document = project.documents.list()[0]
    text = project.documents.text(document.id)
    project.segments.add_many(
        [
            NewSegment(
                document.id,
                project.codes.by_path(path).id,
                text.index(words),
                text.index(words) + len(words),
            )
            for path, words in passages
        ]
    )


def test_model_retrains_quietly_once_enough_new_coding(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """No model and too little coding: nothing runs. Enough coding: a model is trained on a
    background thread with no progress dialog. Then it waits for enough new coding again."""
    trainer = AutoTrainer(window, settle_ms=10, first_model_at=4, growth=0.5, min_new=3)
    _code(project, [("Drivers/Trust", "decided to trust each other")])
    assert not trainer.due() and not trainer.check_now()
    _code(project, [
        ("Drivers/Trust", "Trust grew slowly"),
        ("Drivers/Funding", "Funding was the hard part"),
        ("Drivers/Funding", "contracts that told providers what to do"),
    ])  # fmt: skip
    assert trainer.due() and trainer.check_now()
    assert not window.findChildren(QProgressDialog)
    qtbot.waitUntil(lambda: trainer.running is None, timeout=60_000)
    stored = project.models.latest("learned")
    assert stored is not None and "retrained" in window.statusBar().currentMessage()
    assert not trainer.due()
    _code(project, [("Barriers", "It started badly")])
    assert not trainer.due()  # one new segment is not enough


def test_coding_starts_the_settle_timer(qtbot: QtBot, window: MainWindow, project: Project) -> None:
    """A coding step (re)starts the wait; when it fires, a due retraining begins."""
    trainer = AutoTrainer(window, settle_ms=50, first_model_at=2, min_new=1)
    _code(project, [("Drivers/Trust", "Trust grew slowly"), ("Drivers/Trust", "decided to trust")])
    qtbot.waitUntil(lambda: trainer.running is not None, timeout=5_000)
    qtbot.waitUntil(lambda: trainer.running is None, timeout=60_000)
    assert project.models.latest("learned") is not None
