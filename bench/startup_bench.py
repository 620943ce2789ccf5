"""Start-up: time to ``collabcoder --help`` and to a shown main window on the sample project.

Each figure is the wall time of a fresh process (interpreter start included), as a user feels
it; medians of several runs. Targets (issue 2): --help under 0.5 s (heavy libraries are imported
lazily), a shown main window under 2 s.

    .venv/bin/python bench/startup_bench.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COLLABCODER = Path(sys.executable).parent / "collabcoder"

# Run in a fresh process: build the main window, open the project, show it, process the first
# events, then exit. Mirrors what `collabcoder gui PROJECT` does, minus the event loop.
SHOW_WINDOW = """
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.settings import AppSettings
app = QApplication([sys.argv[0]])
scratch = tempfile.mkdtemp()
settings = AppSettings(QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat))
window = MainWindow(settings=settings, coder="Bench", ask_coder=lambda _w: None)
assert window.open_and_wait(sys.argv[1])
window.show()
app.processEvents()
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    help_times = [timed([str(COLLABCODER), "--help"], env) for _ in range(args.runs)]
    with tempfile.TemporaryDirectory() as scratch:
        sample = Path(scratch) / "sample.ccproj"
        subprocess.run([str(COLLABCODER), "sample", str(sample)], check=True, capture_output=True)
        command = [sys.executable, "-c", SHOW_WINDOW, str(sample)]
        window_times = [timed(command, env) for _ in range(args.runs)]
    print(
        f"collabcoder --help: median {statistics.median(help_times):.3f} s "
        f"(min {min(help_times):.3f}, max {max(help_times):.3f}; target < 0.5 s)"
    )
    print(
        f"main window shown on the sample project: median {statistics.median(window_times):.3f} s "
        f"(min {min(window_times):.3f}, max {max(window_times):.3f}; target < 2 s)"
    )


if __name__ == "__main__":
    main()
