"""Reading or writing a large exchange file without the cyclic garbage collector's passes.

An import or export builds hundreds of thousands of small objects (elements, selections, rows)
that all live until it ends. Each collection pass walks every one of them again while almost
none is garbage: at 100,000 codes that was a quarter of the import's time. Reference counting
still frees everything as usual; only the cycle search waits until the work is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_collector_passes() -> Iterator[None]:
    """Pause cyclic garbage collection for the block (as it was before, after it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
