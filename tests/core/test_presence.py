"""The presence record: a second window learns who has a project open, and a crashed session
never blocks anyone (the OS drops its lock)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from collabcoder.core.errors import ProjectInUse
from collabcoder.core.presence import Presence, current_holder, record_path
from collabcoder.core.project import Project

_HOLDER = """
import sys, time
from collabcoder.core.presence import Presence
claim = Presence.claim(sys.argv[1], "Bob")
print("claimed", flush=True)
time.sleep(60)
"""


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.ccproj"
    Project.create(path, coder="Ann").close()
    return path


def test_second_claim_is_told_who_holds_the_project(study: Path) -> None:
    """While one session holds the project, another claim is refused naming the holder."""
    first = Presence.claim(study, "Ann")
    assert first is not None
    with pytest.raises(ProjectInUse, match=r"^study\.ccproj: open in another window by Ann \(on "):
        Presence.claim(study, "Bob")
    holder = current_holder(study)
    assert holder is not None and holder.coder == "Ann" and holder.pid == os.getpid()
    first.release()
    assert current_holder(study) is None
    again = Presence.claim(study, "Bob")
    assert again is not None
    again.release()


def test_other_process_holds_and_a_killed_holder_frees_the_project(study: Path) -> None:
    """A claim taken by another process is seen here; once that process is killed with
    SIGKILL (no chance to clean up) the project can be claimed again."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(study)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "claimed"
        seen = current_holder(study)
        assert seen is not None and (seen.coder, seen.pid) == ("Bob", holder.pid)
        with pytest.raises(ProjectInUse, match="by Bob"):
            Presence.claim(study, "Ann")
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    claim = Presence.claim(study, "Ann")
    assert claim is not None
    claim.release()
    assert record_path(study).exists()  # emptied, never deleted (see the module's docstring)


def test_database_urls_need_no_record() -> None:
    """A server project is shared by design: there is nothing to claim."""
    assert Presence.claim("postgresql+psycopg://cc@localhost/team", "Ann") is None


def test_read_only_folder_gives_no_claim(tmp_path: Path) -> None:
    """Where no record can be written, nobody can write the project either: no claim, no error."""
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    Project.create(folder / "p.ccproj", coder="Ann").close()
    folder.chmod(0o555)
    try:
        assert Presence.claim(folder / "p.ccproj", "Ann") is None
    finally:
        folder.chmod(0o755)
