"""Helpers shared by CLI commands: opening projects, output formats, a terminal progress bar."""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from collabcoder.core.project import Project


def split_names(text: str | None) -> tuple[str, ...]:
    """``"Ann, Ben"`` as ``("Ann", "Ben")`` (a comma-separated option)."""
    return tuple(n.strip() for n in (text or "").split(",") if n.strip())


def add_where_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--where ATTRIBUTE=VALUE[,VALUE]`` (repeatable), read back by :func:`parse_conditions`."""
    parser.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="ATTRIBUTE=VALUE[,VALUE]",
        help="only documents whose case has one of these attribute values (repeatable)",
    )


def add_set_option(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    help: str = "only documents in this document set (repeatable: in any of them)",
) -> None:
    """``--set NAME`` (repeatable, into ``args.sets``): documents in any of these sets."""
    parser.add_argument(
        "--set", dest="sets", action="append", default=[], metavar="NAME", help=help
    )


def parse_conditions(items: list[str]) -> dict[str, tuple[str, ...]]:
    """``["Funding=Grant funding,None"]`` as ``{"Funding": ("Grant funding", "None")}``."""
    from collabcoder.core.errors import InvalidValue

    out: dict[str, tuple[str, ...]] = {}
    for item in items:
        name, sep, values = item.partition("=")
        if not sep or not name.strip():
            raise InvalidValue(f"--where {item!r}: expected ATTRIBUTE=VALUE")
        out[name.strip()] = split_names(values)
    return out


def add_role_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--role ROLE`` and ``--exclude-role ROLE`` (repeatable), read back by :func:`roles_of`."""
    from collabcoder.core.vocabulary import SPEAKER_ROLES

    parser.add_argument(
        "--role",
        action="append",
        default=[],
        choices=SPEAKER_ROLES,
        help="only turns of speakers in this role (repeatable)",
    )
    parser.add_argument(
        "--exclude-role",
        action="append",
        default=[],
        choices=SPEAKER_ROLES,
        help="leave out turns of speakers in this role, e.g. interviewer (repeatable)",
    )


def roles_of(args: argparse.Namespace) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The roles to keep and to leave out that :func:`add_role_options` read."""
    return tuple(getattr(args, "role", None) or ()), tuple(
        getattr(args, "exclude_role", None) or ()
    )


def coder_name(args: argparse.Namespace) -> str:
    """Who is working: ``--coder``, else ``$COLLABCODER_CODER``, else the login name."""
    return getattr(args, "coder", None) or os.environ.get("COLLABCODER_CODER") or getpass.getuser()


def open_project(
    args: argparse.Namespace, attribute: str = "project", *, read_only: bool = False
) -> Project:
    """Open the project named on the command line (SQLAlchemy is imported only now).

    Commands that only read (listings, exports) pass ``read_only``: they then cannot change
    the project in any way, not even its journal mode.
    """
    return open_location(getattr(args, attribute), coder_name(args), read_only=read_only)


def open_location(location: str, coder: str, *, read_only: bool = False) -> Project:
    """Open a project file or database URL.

    A database that asks for a password gets one from ``$PGPASSWORD`` or, on a terminal, from a
    prompt; it is passed to the driver in memory and never written anywhere.
    """
    from collabcoder.core.errors import ProjectNotFound
    from collabcoder.core.project import Project
    from collabcoder.core.storage import is_url

    try:
        return Project.open(location, coder=coder, read_only=read_only)
    except ProjectNotFound as exc:
        asks_password = "password" in str(exc).lower()
        if not (is_url(location) and asks_password and sys.stdin.isatty()):
            raise
        os.environ["PGPASSWORD"] = getpass.getpass(f"Password for {exc.args[0].split(':')[0]}: ")
        return Project.open(location, coder=coder, read_only=read_only)


def print_json(data: Any, out: TextIO | None = None) -> None:
    json.dump(data, out or sys.stdout, indent=2, ensure_ascii=False)
    (out or sys.stdout).write("\n")


def print_csv(
    header: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO | None = None
) -> None:
    """CSV on stdout, every cell through the export sanitiser (no formulas in a spreadsheet)."""
    from collabcoder.core.sanitize import csv_cell

    writer = csv.writer(out or sys.stdout, lineterminator="\n")
    writer.writerow([csv_cell(name) for name in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)


def print_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO | None = None
) -> None:
    """A plain aligned table for people reading a terminal."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [min(max(len(r[i]) for r in cells), 60) for i in range(len(header))]
    stream = out or sys.stdout
    for n, row in enumerate(cells):
        line = "  ".join(c[:60].ljust(w) for c, w in zip(row, widths, strict=True))
        stream.write(line.rstrip() + "\n")
        if n == 0:
            stream.write("  ".join("-" * w for w in widths) + "\n")


class ProgressBar:
    """A one-line progress bar on stderr, shown only when stderr is a terminal.

    Instances are the ``progress(done, total, message)`` callables that core and io accept.
    """

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self._label = label
        self._stream = stream or sys.stderr
        self._active = self._stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if not self._active:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        self._stream.write(f"\r{self._label} [{bar}] {done}/{total} {message[:40]:<40}")
        if done >= total:
            self._stream.write("\n")
        self._stream.flush()
