"""``collabcoder`` with no sub-command: start the GUI, optionally on a project."""

from __future__ import annotations

import argparse
import os
import sys


def has_display() -> bool:
    """False on Linux when no display is reachable and no Qt platform was chosen."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="collabcoder", description="Open the CollabCoder window.")
    parser.add_argument("project", nargs="?", help="a .ccproj file (or database URL) to open")
    parser.add_argument("--coder", help="your name as a coder (remembered otherwise)")
    return parser.parse_args(argv)


def launch(argv: list[str]) -> int:
    """Show the main window (on ``argv``'s project, if any) and run until it closes."""
    args = _parse(argv)
    if not has_display():
        print(
            "collabcoder: no display found (DISPLAY/WAYLAND_DISPLAY unset), so the window cannot "
            "open; run `make demo` for the headless tour instead.",
            file=sys.stderr,
        )
        return 2
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow
    from .style import app_icon, apply_style, follow_system

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    app.setOrganizationName("CollabCoder")
    app.setApplicationName("CollabCoder")
    app.setWindowIcon(app_icon())
    apply_style(app)
    follow_system(app)
    window = MainWindow(coder=args.coder)
    window.show()
    if args.project:
        # On the op runner: the window shows "Opening …" (and a migration its progress) at once;
        # a refusal is shown there, leaving the window to open another project.
        window.open_location(args.project)
    return app.exec()
