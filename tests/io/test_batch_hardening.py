"""Batch import under trouble: a full disk stops it and says what went in, a file name that is
not UTF-8 is imported under a readable name, and a bad file never stops the others.

The full disk is SQLite's own: every connection gets ``PRAGMA max_page_count`` a few pages above
the file's size, so SQLite answers "database or disk is full" exactly as on a full drive.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from collabcoder.cli import main as cli
from collabcoder.core.project import Project
from collabcoder.io.batch import import_files

SPARE_PAGES = 12


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.ccproj"
    Project.create(path, coder="Ann").close()
    return path


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every SQLite connection opened from now on can grow the file by only a few pages."""
    real_connect = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)  # type: ignore[call-overload]
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {pages + SPARE_PAGES}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    yield


def _files(folder: Path) -> list[Path]:
    small = "Interviewer: How did it start?\nParticipant: With a phone call.\n"
    big = "Participant: " + "We talked about the grant and the board. " * 20_000
    paths = []
    for name, text in [("a.txt", small), ("b.txt", big), ("c.txt", small + "again\n")]:
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def test_full_disk_stops_the_batch_and_says_what_went_in(
    study: Path, tmp_path: Path, full_disk: None
) -> None:
    """The file that hits the full disk and every file after it are listed as not imported, the
    reason names the project and the problem, and the files before it are whole in the project.
    (Before, the batch went on trying, and a small file after the failure went in.)"""
    paths = _files(tmp_path)
    with Project.open(study, coder="Ann") as project:
        result = import_files(project, paths)
    assert [Path(item.path).name for item in result.imported] == ["a.txt"]
    assert result.stopped == "study.ccproj: no space left on device; nothing was written"
    assert result.not_imported == [str(paths[1]), str(paths[2])]
    assert result.failed == []


def test_full_disk_is_one_line_per_fact_on_the_command_line(
    study: Path, tmp_path: Path, full_disk: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI says the batch stopped, which files went in and which did not; no traceback and
    no SQL; the exit status is non-zero."""
    paths = _files(tmp_path)
    status = cli(["--coder", "Ann", "import", str(study), *map(str, paths)])
    err = capsys.readouterr().err
    assert status == 1
    assert err.splitlines() == [
        "collabcoder: stopped: study.ccproj: no space left on device; nothing was written",
        "collabcoder: imported before the stop: a.txt",
        "collabcoder: not imported: b.txt, c.txt",
    ]


def test_after_the_full_disk_the_project_holds_the_whole_files(
    study: Path, tmp_path: Path, full_disk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once space is back, the project holds exactly the files reported as imported, and passes
    its integrity check."""
    with Project.open(study, coder="Ann") as project:
        import_files(project, _files(tmp_path))
    monkeypatch.undo()  # space is back
    with Project.open(study, coder="Ann", read_only=True) as project:
        assert [document.name for document in project.documents.list()] == ["a"]
        assert project.check().sound


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse such names")
def test_file_name_that_is_not_utf8_is_imported_under_a_readable_name(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name with a Latin-1 byte (``caf\\xe9.txt``) is shown and stored with U+FFFD, with a
    warning; the other files of the batch import too. (Before, SQLite refused the surrogate in
    the name, and printing it crashed the CLI.)"""
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"Notes from the cafe.\n")
    (tmp_path / "other.txt").write_text("Other notes.\n", encoding="utf-8")
    status = cli(["--coder", "Ann", "import", str(study), str(tmp_path)])
    out, err = capsys.readouterr()
    assert status == 0
    assert "Imported 2 files" in out
    assert (
        "collabcoder: warning: caf\ufffd.txt: the file name is not valid UTF-8; "
        "imported as 'caf\ufffd'"
    ) in err.splitlines()
    with Project.open(study, coder="Ann", read_only=True) as project:
        assert sorted(d.name for d in project.documents.list()) == ["caf\ufffd", "other"]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse such names")
def test_bad_file_with_a_bad_name_is_reported_readably(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A failing file whose name is not UTF-8 is reported in one readable line, in text and in
    JSON output, and the rest of the batch imports."""
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"bin\xff.txt"), "wb") as handle:
        handle.write(b"\x00" * 100)
    (tmp_path / "fine.txt").write_text("Fine notes.\n", encoding="utf-8")
    status = cli(["--coder", "Ann", "import", str(study), str(tmp_path), "--json"])
    out, err = capsys.readouterr()
    assert status == 1
    assert "collabcoder: bin\ufffd.txt: holds binary data (NUL bytes), not text" in err
    assert '"name": "fine"' in out and "bin\ufffd.txt" in out


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse such names")
def test_table_with_a_name_that_is_not_utf8_imports(study: Path, tmp_path: Path) -> None:
    """A coded table whose file name is not UTF-8 names its rows' documents readably."""
    from collabcoder.io.batch import import_table

    raw = os.path.join(os.fsencode(tmp_path), b"enqu\xeate.csv")
    with open(raw, "wb") as handle:
        handle.write(b"id,answer\nr1,Good service\n")
    with Project.open(study, coder="Ann") as project:
        result = import_table(project, Path(os.fsdecode(raw)), text_column="answer")
        assert result.documents == 1
        assert [d.name for d in project.documents.list()] == ["enqu\ufffdte row 1"]


def test_interrupted_batch_reports_what_went_in(
    study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C (or `kill`, which the CLI turns into the same) during the second file: the first
    is in, the rest are listed as not imported, and the exit status is 130."""
    import collabcoder.io.batch as batch

    real_parse = batch.parse_bytes

    def parse(path: Path, data: bytes) -> object:
        if path.name == "b.txt":
            raise KeyboardInterrupt
        return real_parse(path, data)

    monkeypatch.setattr(batch, "parse_bytes", parse)
    paths = _files(tmp_path)
    status = cli(["--coder", "Ann", "import", str(study), *map(str, paths)])
    assert status == 130
    assert capsys.readouterr().err.splitlines() == [
        "collabcoder: stopped: interrupted",
        "collabcoder: imported before the stop: a.txt",
        "collabcoder: not imported: b.txt, c.txt",
    ]
    with Project.open(study, coder="Ann", read_only=True) as project:
        assert [document.name for document in project.documents.list()] == ["a"]
