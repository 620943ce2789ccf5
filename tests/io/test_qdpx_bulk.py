"""Imports and exports pause the cyclic garbage collector and always give it back as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from collabcoder.core.errors import CorruptFile
from collabcoder.core.heap import no_collector_passes
from collabcoder.io.refi.project_import import import_qdpx


def test_collector_paused_inside_and_restored_after_even_on_error() -> None:
    """Inside the block no passes run; afterwards the collector is on again, error or not."""
    assert gc.isenabled()
    with no_collector_passes():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), no_collector_passes():
        raise ValueError("boom")
    assert gc.isenabled()


def test_collector_left_off_when_it_was_off() -> None:
    """Someone who turned the collector off keeps it off (nested or concurrent imports)."""
    gc.disable()
    try:
        with no_collector_passes():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_failed_import_gives_the_collector_back(tmp_path: Path) -> None:
    """A file that fails to import leaves the collector running."""
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(CorruptFile):
        import_qdpx(bad, tmp_path / "p.ccproj")
    assert gc.isenabled()
