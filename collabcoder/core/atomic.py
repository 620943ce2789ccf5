"""Write a file whole or not at all: build it beside the target, flush it to disk, rename.

A full disk, a crash or a kill while exporting then leaves the old file (or none), never a
truncated or 0-byte one, and the error names the file the researcher asked for.
"""

from __future__ import annotations

import errno
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import NoSpaceLeft


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` (same extension); on success it becomes
    ``target``. On any failure the temporary file is removed and ``target`` is untouched."""
    final = Path(target)
    temporary = final.with_name(f".{final.stem}.{uuid.uuid4().hex[:8]}.part{final.suffix}")
    try:
        yield temporary
        _sync(temporary)
        os.replace(temporary, final)
        _sync_folder(final.parent)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise NoSpaceLeft(f"{final.name}: no space left on device") from exc
        raise
    finally:
        temporary.unlink(missing_ok=True)


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` whole or not at all."""
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)


def _sync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (not possible on every platform)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
