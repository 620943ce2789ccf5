"""Headless commands over the same services the GUI uses.

Each ``*_cmd`` module in this package registers its sub-commands; ``main`` finds them all. The
modules import heavy libraries only inside their functions, so ``collabcoder --help`` is fast.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import pkgutil
import sys

from collabcoder import __version__
from collabcoder.core.errors import CollabCoderError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="collabcoder",
        description="Qualitative coding for research teams. With no command, opens the GUI.",
    )
    parser.add_argument("--version", action="version", version=f"CollabCoder {__version__}")
    parser.add_argument(
        "--coder",
        default=None,
        help="your name as recorded on coding and memos in a .ccproj file (one laptop, one "
        "person; default: $COLLABCODER_CODER, else your login name); on a team project your "
        "database login is recorded instead",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.endswith("_cmd")):
        importlib.import_module(f"{__name__}.{module}").register(sub)
    sub.add_parser("gui", help="open the graphical workbench (the default)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one CLI command; errors are one line on stderr and a non-zero exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except CollabCoderError as exc:
        print(f"collabcoder: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("collabcoder: cancelled", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"collabcoder: {_os_error(exc, args)}", file=sys.stderr)
        return 1
    except Exception as exc:  # last resort: one line, never a traceback, unless debugging
        if os.environ.get("COLLABCODER_DEBUG"):
            raise
        from collabcoder.core.storage import failure_message

        # Its message may hold SQL and the text being written: the class name says enough.
        print(
            f"collabcoder: {failure_message(exc, _named_file(args))}; "
            "set COLLABCODER_DEBUG=1 to see details",
            file=sys.stderr,
        )
        return 1


def _named_file(args: argparse.Namespace) -> str | None:
    """The project (or else the file) the command was run on, to name it in an error."""
    for attribute in ("project", "file", "output"):
        value = getattr(args, attribute, None)
        if isinstance(value, str | os.PathLike):
            return os.fspath(value)
    return None


def _os_error(exc: OSError, args: argparse.Namespace) -> str:
    """``NAME: no space left on device``, naming the file the system or the command named."""
    name = exc.filename if exc.filename is not None else _named_file(args)
    what = "no space left on device" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
    return f"{os.fsdecode(name)}: {what}" if name is not None else what
