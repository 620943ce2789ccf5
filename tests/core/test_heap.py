"""The collector's full passes stay off what is loaded once, and pauses overlap safely."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from collabcoder.core.heap import freeze_long_lived, no_collector_passes


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


@pytest.fixture
def thawed() -> Iterator[None]:
    """Leave the collector as the test found it: nothing frozen by the test stays frozen."""
    yield
    gc.unfreeze()


def test_frozen_objects_are_left_out_of_later_passes(thawed: None) -> None:
    """What is alive when the heap is frozen is no longer walked by the collector."""
    kept = [Node()]
    assert any(o is kept for o in gc.get_objects())
    freeze_long_lived()
    assert gc.get_freeze_count() > 0
    assert not any(o is kept for o in gc.get_objects())


def test_a_full_pass_first_frees_the_cyclic_garbage_instead_of_freezing_it(thawed: None) -> None:
    """``collect=True`` reclaims cycles already dropped, so none is kept for good."""
    gc.collect()
    dropped = Node()
    ref = weakref.ref(dropped)
    gc.collect(0)
    gc.collect(1)  # the cycle has reached the oldest generation, out of a young pass's reach
    del dropped
    freeze_long_lived(collect=True)
    assert ref() is None


def test_overlapping_pauses_resume_the_collector_after_the_last() -> None:
    """A pause on one thread ending inside another's leaves the collector paused until the
    other ends too; then it runs again."""
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with no_collector_passes():
            inside.set()
            release.wait(10)

    with no_collector_passes():
        thread = threading.Thread(target=other)
        thread.start()
        inside.wait(10)
    assert not gc.isenabled()  # the other thread's pause is still on
    release.set()
    thread.join(10)
    assert gc.isenabled()
