"""How long work reports progress and learns it was cancelled: one shape for CLI, GUI and tests.

Work takes a ``Progress`` callable (``progress(done, total, message)``; ``total`` 0 when unknown)
and a ``CancelToken`` it checks between units of work (``token.is_set()``), stopping at the next
safe point. The CLI draws a bar from the same calls the GUI turns into a progress dialog.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .errors import Cancelled

Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, message: str = "") -> None:
    """Progress for work nobody watches."""


class CancelToken:
    """Set once (by a Cancel button, Ctrl+C, a closing window); read from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        """True once cancelled (the name ``threading.Event`` uses, so either can be passed)."""
        return self._event.is_set()


class Steps:
    """Work made of a known number of named steps: ``step("Saving")`` checks the token first
    (raising ``Cancelled`` with ``what`` in its sentence) and then reports ``(n, total, name)``."""

    def __init__(
        self, total: int, what: str, progress: Progress | None, cancel: CancelToken | None
    ) -> None:
        self.total = total
        self.what = what
        self.done = 0
        self._progress = progress or no_progress
        self._cancel = cancel

    def check(self) -> None:
        """Raise ``Cancelled`` if the token is set (for long steps to call inside)."""
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled(f"{self.what} was cancelled")

    def __call__(self, message: str) -> None:
        self.check()
        self.done = min(self.done + 1, self.total)
        self._progress(self.done, self.total, message)
