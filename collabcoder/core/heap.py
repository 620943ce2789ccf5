"""Keeping the cyclic garbage collector's full passes short in a long-running window.

A full pass walks every tracked object while holding the GIL, so no other thread runs until it
ends. At project scale (Qt, SQLAlchemy, pandas and spaCy loaded, 20,000 segments shown) that
heap is over 200,000 objects and a pass took half a second to a second, whichever thread it
happened on: the window could not paint. What is loaded once and kept (modules, the language
pipeline, an open project's rows) is moved out of the collector's sight once it has been built
(``gc.freeze``); reference counting still frees it as usual, and later passes walk only what
was made since. Bulk work that builds hundreds of thousands of small objects living until it
ends (an exchange file read or written, the training examples of a suggestion run) pauses the
passes instead: each would walk them all again while almost none is garbage.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Pauses may overlap (a snapshot on the reader thread while a suggestion run writes): the
# collector resumes when the last one ends, if it was running before the first.
_pause_lock = threading.Lock()
_pauses = 0
_resume = False


def freeze_long_lived(*, collect: bool = False) -> None:
    """Leave every object alive now out of later collector passes.

    ``collect`` runs a full pass first, so no cyclic garbage is frozen with the rest (do it where
    a pause is expected, such as opening a project). Without it nothing is walked (after a load
    run with passes paused, even a pass of the young generations would walk all it made).
    Call this after one-time loads, not in a loop: cyclic garbage frozen is never reclaimed.
    """
    if collect:
        gc.collect()
    gc.freeze()


@contextmanager
def no_collector_passes() -> Iterator[None]:
    """Pause cyclic garbage collection for the block (as it was before, after the last of
    several blocks on any thread ends); also a decorator (``@no_collector_passes()``)."""
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
