"""GUI benchmark (offscreen): open, code and scroll a dense 100,000-word transcript.

Targets (issue 5): open and render under 1 s; apply one code and see it drawn under 50 ms
(median); scroll the whole document with no frame over 100 ms. Prints medians of several runs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/document_bench.py [--words 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.project import Project
from collabcoder.core.segments import NewSegment
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.settings import AppSettings

WORDS = [
    "we",
    "worked",
    "with",
    "the",
    "council",
    "and",
    "the",
    "charities",
    "on",
    "trust",
    "funding",
    "outcomes",
    "people",
    "housing",
    "services",
    "partnership",
    "community",
    "risk",
    "data",
    "commissioning",
    "learning",
    "together",
    "honest",
    "slow",
    "café",
    "naïve",
    "😀",
    "résumé",
]


def transcript(words: int, rng: random.Random) -> tuple[str, list[NewTurn]]:
    """Speaker turns of 40-160 words with timestamps, sentences of 8-20 words."""
    parts: list[str] = []
    turns: list[NewTurn] = []
    length, written, seconds = 0, 0, 0
    while written < words:
        speaker = "Interviewer" if len(turns) % 2 == 0 else "Participant"
        count = rng.randint(40, 160)
        sentences, left = [], count
        while left > 0:
            n = min(left, rng.randint(8, 20))
            body = " ".join(rng.choice(WORDS) for _ in range(n))
            sentences.append(body[0].upper() + body[1:] + ".")
            left -= n
        stamp = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        line = f"[{stamp}] {speaker}: " + " ".join(sentences)
        if parts:
            parts.append("\n\n")
            length += 2
        turns.append(NewTurn(speaker, length, length + len(line), stamp, float(seconds)))
        parts.append(line)
        length += len(line)
        written += count
        seconds += rng.randint(5, 60)
    return "".join(parts), turns


def build(folder: Path, words: int, segments: int, codes: int) -> Path:
    rng = random.Random(7)
    location = folder / "bench.ccproj"
    specs = [
        CodeSpec(
            name=f"Theme {t}", children=[CodeSpec(name=f"Code {t}.{c}") for c in range(codes // 5)]
        )
        for t in range(5)
    ]
    with Project.create(location, coder="Bench", codebook=specs) as project:
        text, turns = transcript(words, rng)
        document = project.documents.add(NewDocument("Long interview", text, "transcript", turns))
        leaf_ids = [c.id for c in project.codes.list() if c.parent_id is not None][:codes]
        items = []
        for _ in range(segments):
            start = rng.randrange(0, len(text) - 400)
            items.append(
                NewSegment(document.id, rng.choice(leaf_ids), start, start + rng.randint(20, 400))
            )
        project.segments.add_many(items)
    return location


def paint(app: QApplication, window: MainWindow) -> None:
    """Process pending events and paint the text and stripes now."""
    app.processEvents()
    window.panel.view.viewport().repaint()
    window.panel.stripes.repaint()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--segments", type=int, default=3_000)
    parser.add_argument("--codes", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        location = build(folder, args.words, args.segments, args.codes)
        print(
            f"built {args.words:,} words, {args.segments:,} segments, {args.codes} codes "
            f"in {time.perf_counter() - started:.1f} s"
        )
        settings = AppSettings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings=settings, coder="Bench", ask_coder=lambda _w: None)
        window.resize(1400, 900)
        window.show()
        window.open_and_wait(str(location))
        project = window.bridge.require()
        document_id = project.documents.list()[0].id
        code_ids = [c.id for c in project.codes.list() if c.parent_id is not None]
        window.codebook_dock.select_code(code_ids[0])
        paint(app, window)

        opens = []
        for _ in range(args.runs):
            window.coding.open_document(None)
            window.bridge._forget(None)  # drop cached text: measure a cold open
            app.processEvents()
            t0 = time.perf_counter()
            window.open_document(document_id)
            paint(app, window)
            opens.append(time.perf_counter() - t0)

        view = window.panel.view
        text = view.text
        paints = [0]
        original = view.paintEvent

        def counting(event: object) -> None:
            paints[0] += 1
            original(event)  # type: ignore[arg-type]

        view.paintEvent = counting  # type: ignore[method-assign]
        rng = random.Random(11)
        codings = []
        for n in range(max(20, args.runs * 4)):
            start = rng.randrange(0, len(text) - 200)
            view.select_range(start, start + 120)
            paint(app, window)
            painted = paints[0]
            t0 = time.perf_counter()
            window.coding.code_selection(code_ids[n % len(code_ids)])
            app.processEvents()  # runs the pending repaint of the text, stripes and docks
            codings.append(time.perf_counter() - t0)
            assert paints[0] > painted, "the new coding was not painted"

        bar = view.verticalScrollBar()
        frames = []
        bar.setValue(0)
        paint(app, window)
        step = max(1, bar.pageStep())
        value = 0
        while value <= bar.maximum():
            bar.setValue(value)
            t0 = time.perf_counter()
            paint(app, window)
            frames.append(time.perf_counter() - t0)
            value += step
        window.close()

    ms = 1000.0
    print(f"open and render:  median {statistics.median(opens) * ms:7.1f} ms  (target < 1000)")
    print(
        f"code a selection: median {statistics.median(codings) * ms:7.1f} ms  (target < 50), "
        f"max {max(codings) * ms:.1f} ms over {len(codings)}"
    )
    print(
        f"scroll {len(frames)} pages: median {statistics.median(frames) * ms:7.1f} ms, "
        f"worst frame {max(frames) * ms:.1f} ms  (target < 100)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
