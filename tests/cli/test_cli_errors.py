"""The CLI's last line of defence: whatever escapes a command is one line naming the project and
the problem, with a non-zero exit, never SQL, the text being written or a traceback."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

import collabcoder.io.batch
from collabcoder.cli import main as cli
from collabcoder.core.project import Project

SECRET = "the participant's own words about her manager"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.ccproj"
    Project.create(path, coder="Ann").close()
    (tmp_path / "a.txt").write_text("Some notes.\n", encoding="utf-8")
    return path


def _run_with(
    study: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str]:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr(collabcoder.io.batch, "import_files", fail)
    monkeypatch.delenv("COLLABCODER_DEBUG", raising=False)
    status = cli(["--coder", "Ann", "import", str(study), str(study.parent / "a.txt")])
    return status, capsys.readouterr().err


@pytest.mark.parametrize(
    "error",
    [
        OperationalError(
            "INSERT INTO document (text) VALUES (?)",
            (SECRET,),
            sqlite3.OperationalError("disk I/O error"),
        ),
        IntegrityError(
            "INSERT INTO code (name) VALUES (?)",
            (SECRET,),
            sqlite3.IntegrityError("UNIQUE constraint failed: code.name"),
        ),
    ],
    ids=["operational", "integrity"],
)
def test_database_errors_never_show_sql_or_text(
    study: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: Exception,
) -> None:
    """A database error nothing else caught names the project and SQLite's reason only."""
    status, err = _run_with(study, monkeypatch, error, capsys)
    assert status == 1
    assert len(err.splitlines()) == 1
    assert err.startswith(f"collabcoder: {study}: ")
    assert "INSERT" not in err and SECRET not in err and "Traceback" not in err


def test_unexpected_errors_give_their_kind_not_their_message(
    study: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A library's message may quote the data it choked on; the user sees the kind of error."""
    status, err = _run_with(study, monkeypatch, ValueError(SECRET), capsys)
    assert status == 1
    assert err == (
        f"collabcoder: {study}: unexpected error (ValueError); "
        "set COLLABCODER_DEBUG=1 to see details\n"
    )


def test_full_disk_without_a_file_name_names_the_project(
    study: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ENOSPC raised with no file name reads ``PROJECT: no space left on device``."""
    error = OSError(errno.ENOSPC, "No space left on device")
    status, err = _run_with(study, monkeypatch, error, capsys)
    assert status == 1
    assert err == f"collabcoder: {study}: no space left on device\n"


def test_debug_setting_still_shows_the_traceback(
    study: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Developers can ask for the real exception."""

    def fail(*_args: object, **_kwargs: object) -> None:
        raise ValueError(SECRET)

    monkeypatch.setattr(collabcoder.io.batch, "import_files", fail)
    monkeypatch.setenv("COLLABCODER_DEBUG", "1")
    with pytest.raises(ValueError, match="own words"):
        cli(["--coder", "Ann", "import", str(study), str(study.parent / "a.txt")])
