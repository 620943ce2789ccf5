"""The ``collabcoder`` command: the GUI with no sub-command, the headless CLI otherwise."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or (args[0] == "gui"):
        from collabcoder.gui.launch import launch

        return launch(args[1:])
    from collabcoder.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
