"""Who has a project file open in a window: a small presence record beside the ``.ccproj``.

A GUI session claims ``.NAME.ccproj.presence`` in the project's folder: it holds an OS lock on
that file (``flock``, or ``msvcrt.locking`` on Windows) and writes who it is. The lock, not the
record, is the truth: the system drops it when the process ends, even by ``kill -9``, so a
crashed session never blocks anyone. A second window that cannot take the lock reads who holds
it and lets the researcher open the project read-only or work alongside, knowingly (SQLite
serialises the writes and the views refresh from the operation log).

The record is a different file from the database, so its descriptor never touches SQLite's
locks on the project itself. It is emptied, not deleted, on release: deleting would let a
window that had just opened the old file lock a name no one else sees.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import ProjectInUse
from .storage import is_url


@dataclass(frozen=True, slots=True)
class Holder:
    """The session that has a project open: its coder, computer, process and start time."""

    coder: str
    host: str
    pid: int
    since: str  # ISO 8601, local time

    def describe(self) -> str:
        """``Ann (on laptop-7, since 10:02)``."""
        when = self.since[11:16] if len(self.since) >= 16 else self.since
        return f"{self.coder} (on {self.host}, since {when})"


def record_path(project: Path) -> Path:
    """Where the presence record of ``project`` lives."""
    return project.with_name(f".{project.name}.presence")


class Presence:
    """One window's claim on a project file, held until :meth:`release` or the process ends."""

    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self._fd: int | None = descriptor

    @classmethod
    def claim(cls, location: str | Path, coder: str) -> Presence | None:
        """Claim the project at ``location`` for this session; None for a database URL (a
        server project is shared by design) or a folder where no record can be written.

        Raises ProjectInUse naming who has it open when another session holds it.
        """
        if is_url(location):
            return None
        project = Path(location)
        record = record_path(project)
        try:
            fd = os.open(record, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:  # a read-only folder: nobody can write there, so there is no writer
            return None
        if not _try_lock(fd):
            holder = _read(fd)
            os.close(fd)
            who = holder.describe() if holder else "another CollabCoder window"
            raise ProjectInUse(f"{project.name}: open in another window by {who}")
        holder = Holder(coder, socket.gethostname(), os.getpid(), datetime.now().isoformat())
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(_as_dict(holder)).encode())
        return cls(record, fd)

    def release(self) -> None:
        """Give the project up: empty the record and drop the lock."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):  # the lock goes with the descriptor anyway
            os.ftruncate(self._fd, 0)
        os.close(self._fd)
        self._fd = None


def current_holder(location: str | Path) -> Holder | None:
    """Who has the project at ``location`` open in a window now, or None."""
    if is_url(location):
        return None
    try:
        fd = os.open(record_path(Path(location)), os.O_RDWR)
    except OSError:
        return None
    try:
        if _try_lock(fd):
            _unlock(fd)
            return None
        return _read(fd)
    finally:
        os.close(fd)


def _as_dict(holder: Holder) -> dict[str, object]:
    return {"coder": holder.coder, "host": holder.host, "pid": holder.pid, "since": holder.since}


def _read(fd: int) -> Holder | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096) or b"null")
        return Holder(str(data["coder"]), str(data["host"]), int(data["pid"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # being written at this very moment, or damaged: the lock still tells


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        # flock belongs to the open file description, so a second window in the same process
        # is refused too (fcntl's POSIX locks would not see it).
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
