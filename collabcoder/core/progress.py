"""How long work reports progress and learns it was cancelled: one shape for CLI, GUI and tests.

Work takes a ``Progress`` callable (``progress(done, total, message)``; ``total`` 0 when unknown)
and a ``CancelToken`` it checks between units of work (``token.is_set()``), stopping at the next
safe point. The CLI draws a bar from the same calls the GUI turns into a progress dialog.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

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
