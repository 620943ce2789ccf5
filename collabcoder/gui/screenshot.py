"""Screenshots of the main window, the Matrix window with a cell open and the co-occurrence view.

``python -m collabcoder.gui.screenshot FOLDER PROJECT`` writes ``main-WxH.png``,
``matrix-WxH.png`` and ``cooccurrence-WxH.png`` for the screen it runs on (``make screenshots``
runs it under Xvfb at each supported size, so every window sizes itself as on a real laptop).
The main window shows the document with the most coding and selects its most used code; the
Matrix opens its fullest cell, the co-occurrence view its fullest pair of different codes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from .main_window import MainWindow


def render(folder: Path, location: str) -> list[Path]:
    """Save the three screenshots of ``location`` into ``folder``; returns their paths."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow
    from .settings import AppSettings
    from .style import apply_style

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    apply_style(app, dark=False)
    room = app.primaryScreen().availableGeometry()
    size = f"{room.width()}x{room.height()}"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        # A throwaway settings file: a screenshot never changes the user's own settings.
        settings = AppSettings(QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings=settings, coder="Screenshot", ask_coder=lambda _w: None)
        if not window.open_and_wait(location):
            raise SystemExit(f"collabcoder: cannot open {location}")
        window.show()
        _show_busiest(window)
        _settle(app, window)
        shots = [_save(app, window, folder / f"main-{size}.png")]
        matrix = window.analysis.show_matrix()
        if matrix is not None:
            _settle(app, window)
            matrix.open_cell(matrix.model.fullest(diagonal=True))
            shots.append(_save(app, matrix, folder / f"matrix-{size}.png"))
            matrix.close()
        view = window.analysis.show_cooccurrence()
        if view is not None:
            view.depth_box.setValue(0)  # every code, so the pairs are specific
            _settle(app, window)
            # The first sense of "together" in which two different codes meet at all.
            for mode in range(view.mode.count()):
                view.mode.setCurrentIndex(mode)
                _settle(app, window)
                index = view.model.fullest(diagonal=False)
                if view.model.value(index.row(), index.column()) > 0:
                    break
            view.open_cell(index)
            _settle(app, window)  # the cell's passages are found on the reader thread
            shots.append(_save(app, view, folder / f"cooccurrence-{size}.png"))
            view.close()
        window.close()
    return shots


def _settle(app: QApplication, window: MainWindow, timeout: float = 60.0) -> None:
    """Let the op runner finish what was asked and the analysis windows compute their maps
    (both happen on worker threads; a screenshot taken earlier shows an empty table)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if not window.bridge.ops.busy and not window.analysis.loading:
            return
        time.sleep(0.02)
    raise SystemExit("collabcoder: the window did not settle for its screenshot")


def _show_busiest(window: MainWindow) -> None:
    project = window.bridge.require()
    segments = project.segments.list()
    if segments:
        busiest = Counter(s.document_id for s in segments).most_common(1)[0][0]
        window.open_document(busiest)
        in_document = [s for s in segments if s.document_id == busiest]
        window.codebook_dock.select_code(
            Counter(s.code_id for s in in_document).most_common(1)[0][0]
        )


def _save(app: QApplication, widget: QWidget, out: Path) -> Path:
    widget.raise_()
    for _ in range(3):  # let layouts, resizes and deferred paints settle
        app.processEvents()
    if not widget.grab().save(str(out)):
        raise SystemExit(f"collabcoder: could not write {out}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m collabcoder.gui.screenshot")
    parser.add_argument("folder", type=Path, help="where to write the PNG files")
    parser.add_argument("project", help="the project to show")
    args = parser.parse_args(argv)
    for path in render(args.folder, args.project):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
