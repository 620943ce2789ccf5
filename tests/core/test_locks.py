"""Locks on one .ccproj shared by several processes: kept, taken up front, waited for."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from collabcoder.core.project import Project

_HOLDER = textwrap.dedent(
    """
    import sys
    from collabcoder.core.project import Project
    from collabcoder.core.storage import open_store

    project = Project.open(sys.argv[1], coder="Gui")
    project.codes.add("Held")          # a live connection, with a WAL beside the file
    open_store(sys.argv[1]).dispose()  # what the GUI's Import and Export dialogs do
    print("ready", flush=True)
    sys.stdin.readline()                # the test's second process works meanwhile
    print(len(project.codes.list()), flush=True)
    project.close()
    """
)


def test_second_process_sees_the_first_ones_lock(tmp_path: Path) -> None:
    """A process that reopens its project keeps its SQLite locks: another process that opens
    and closes the project does not take the file for unused and delete the WAL under it."""
    path = tmp_path / "p.ccproj"
    Project.create(path, coder="Ann").close()
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "ready"
        other = sqlite3.connect(path)  # the CLI, in a second process, opens and closes it
        other.execute("SELECT count(*) FROM code").fetchone()
        other.close()
        assert Path(f"{path}-wal").exists(), "the second process thought the file unused"
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip().isdigit()
    finally:
        holder.communicate(timeout=60)
    assert holder.returncode == 0


_WRITER = textwrap.dedent(
    """
    import sys
    from collabcoder.core.project import Project

    path, coder, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Project.open(path, coder=coder) as project:
        for n in range(count):
            project.codes.add(f"{coder} code {n}")
    """
)


def test_eight_processes_writing_at_once_all_succeed(tmp_path: Path) -> None:
    """Eight processes, each a new coder (registration is a write too), writing to one file at
    the same moment all succeed: every write waits for the lock instead of failing."""
    path = tmp_path / "p.ccproj"
    Project.create(path, coder="Ann").close()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), f"c{n}", "15"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    errors = [w.communicate(timeout=300)[1] for w in writers]
    assert [w.returncode for w in writers] == [0] * 8, errors
    with Project.open(path, coder="Ann", read_only=True) as project:
        assert project.counts().coders == 8
        assert len([c for c in project.codes.list() if " code " in c.name]) == 8 * 15
