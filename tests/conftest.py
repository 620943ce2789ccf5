"""Shared fixtures: where the real third-party files live, and fresh projects."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from collabcoder.core.project import Project

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


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[str]:
    """URL prefix of a throwaway PostgreSQL cluster shared by the whole test session."""
    from tests.postgres import server_bin, throwaway_cluster

    if server_bin() is None:
        pytest.skip("PostgreSQL server binaries are not installed (.ci/run installs them)")
    with throwaway_cluster() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, not yet created project location on each storage backend."""
    if request.param == "sqlite":
        return str(tmp_path / "project.ccproj")
    from tests.postgres import create_database

    return create_database(request.getfixturevalue("postgres_cluster"))


@pytest.fixture
def project(backend: str) -> Iterator[Project]:
    """An empty project (no codebook) opened as coder "Ann", on each backend."""
    proj = Project.create(backend, coder="Ann")
    yield proj
    proj.close()
