"""Shared fixtures: where the real third-party files live, and fresh projects."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _shared_data_dir() -> Path:
    env = os.environ.get("COLLABCODER_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real files from other people and tools; skips when absent."""
    folder = _shared_data_dir()
    if not folder.is_dir():
        pytest.skip(f"real-file fixtures not present at {folder}")
    return folder
