"""Keeping the learned suggestion model current as the team codes.

After coding settles (no new segment for a while), if enough has been coded since the stored
model was trained, the model is retrained on a background thread with no dialog; the status bar
says when it starts and ends. Nothing runs while another retraining is under way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from collabcoder.core.changes import Changes, Source
from collabcoder.core.errors import CollabCoderError

from .ops import OpHandle, Work

if TYPE_CHECKING:
    from .shell import Shell


class AutoTrainer(QObject):
    """Retrains the learned model in the background when coding has grown enough."""

    def __init__(
        self,
        window: Shell,
        settle_ms: int = 20_000,
        first_model_at: int = 30,
        growth: float = 0.2,
        min_new: int = 15,
    ) -> None:
        super().__init__(window.widget)
        self.window = window
        self.first_model_at = first_model_at
        self.growth = growth
        self.min_new = min_new
        self.running: OpHandle | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(settle_ms)
        self._timer.timeout.connect(self.check_now)
        window.bridge.changed.connect(self._changed)

    def _changed(self, changes: Changes) -> None:
        if changes.touched("segments", "suggestions") and changes.source is not Source.UNDO:
            self._timer.start()  # restart: wait until coding settles

    def due(self) -> bool:
        """True when the project has enough new coding since its model was trained."""
        project = self.window.bridge.project
        if project is None:
            return False
        stored = project.models.latest("learned")
        if stored is None:
            return project.segments.count() >= self.first_model_at
        new = project.segments.count(created_after=stored.created)
        earlier = project.segments.count() - new
        return new >= max(self.min_new, int(self.growth * earlier))

    def check_now(self) -> bool:
        """Start a background retraining if one is due; returns whether it started."""
        if self.running is not None or not self.due():
            return False
        project = self.window.bridge.require()

        def task(work: Work) -> object:
            from collabcoder.nlp.service import train_learned  # on the worker, not the window

            return train_learned(project, cancel=work.cancel)

        self.window.report("Retraining the suggestion model on the new coding…")
        # Quiet: upkeep the user did not ask for shows no dialog. It stores the model, so it is a
        # write and queues with the others (the undo stack stays on the writer thread).
        self.running = self.window.bridge.ops.run_long(
            None, "Retraining suggestions", task, self._done, on_error=self._failed
        )
        return True

    def _done(self, model: object) -> None:
        self.running = None
        self.window.report(f"Suggestion model retrained ({getattr(model, 'version', '')}).")

    def _failed(self, error: BaseException) -> None:
        # Too little coding yet, or a cancelled run: nothing to tell beyond the status bar.
        self.running = None
        if isinstance(error, CollabCoderError):
            self.window.report(f"Suggestion model not retrained: {error}")
        else:
            self.window.show_error("Retraining suggestions failed", str(error))
