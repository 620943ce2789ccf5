"""Render the main window on a project to a PNG, offscreen.

``python -m collabcoder.gui.screenshot OUT.png PROJECT [--size 1400x900]`` opens the document with
the most coding, selects its most used code (so the segments table fills) and saves the window.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path


def render(out: Path, location: str, width: int = 1400, height: int = 900) -> Path:
    """Save a screenshot of the main window on ``location`` to ``out``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow
    from .settings import AppSettings
    from .style import apply_style

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    apply_style(app, dark=False)
    with tempfile.TemporaryDirectory() as scratch:
        # A throwaway settings file: a screenshot never changes the user's own settings.
        settings = AppSettings(QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings=settings, coder="Screenshot", ask_coder=lambda _w: None)
        if not window.open_location(location):
            raise SystemExit(f"collabcoder: cannot open {location}")
        window.resize(width, height)
        window.show()
        project = window.bridge.require()
        segments = project.segments.list()
        if segments:
            busiest = Counter(s.document_id for s in segments).most_common(1)[0][0]
            window.open_document(busiest)
            in_document = [s for s in segments if s.document_id == busiest]
            code_id = Counter(s.code_id for s in in_document).most_common(1)[0][0]
            window.codebook_dock.select_code(code_id)
        app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            raise SystemExit(f"collabcoder: could not write {out}")
        window.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m collabcoder.gui.screenshot")
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("project", help="the project to show")
    parser.add_argument("--size", default="1400x900", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    print(render(args.out, args.project, width, height))
    return 0


if __name__ == "__main__":
    sys.exit(main())
