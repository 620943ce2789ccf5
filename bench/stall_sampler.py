"""What the GUI thread was doing while an event-loop tick gap was open (for ``gui_bench``).

A side thread wakes every few milliseconds; while the gap since the last tick is longer than
``OPEN_AFTER`` it records every thread's stack (``sys._current_frames``). The samples of the
longest gap are kept. The sampler needs the GIL to run, so when it woke much later than it asked
to, some thread held the GIL through one long call (the GUI thread was starved, not busy): the
report says how long, and where the other threads were when the sampler got the GIL back.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

OPEN_AFTER = 0.02  # seconds without a tick before the gap is sampled
EVERY = 0.002  # seconds between samples
ROOT = str(Path(__file__).resolve().parent.parent)
LATE = 0.015  # a wake-up this much later than asked means another thread held the GIL


@dataclass(frozen=True)
class Sample:
    asked: float  # when the sampler went to sleep
    woke: float
    gap_start: float  # the GUI thread's last tick before the sampler woke
    stacks: dict[str, str]  # thread name -> where it was (its innermost project frame, leaf)

    @property
    def late(self) -> float:
        """How much later than asked the sampler woke."""
        return self.woke - self.asked - EVERY


@dataclass(frozen=True)
class Collection:
    """One run of the cyclic garbage collector (it holds the GIL throughout)."""

    generation: int
    start: float
    end: float
    thread: str


@dataclass
class Gap:
    length: float = 0.0
    start: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    collections: list[Collection] = field(default_factory=list)

    def describe(self) -> list[str]:
        """A few lines: where the GUI thread was, and whether the sampler itself was held off."""
        if not self.samples:
            return [f"  gap {self.length * 1000:.0f} ms: no sample (shorter than the sampler)"]
        lines = [f"  gap {self.length * 1000:.0f} ms, {len(self.samples)} sample(s):"]
        main = Counter(
            s.stacks.get("MainThread", "?") for s in self.samples if s.gap_start == self.start
        )
        for where, count in main.most_common(3):
            lines.append(f"    GUI thread {count}x in {where}")
        for run in self.collections:
            lines.append(
                f"    garbage collection of generation {run.generation} on {run.thread}: "
                f"{(run.end - run.start) * 1000:.0f} ms"
            )
        held = [s for s in self.samples if s.late > LATE]
        if held:
            longest = max(held, key=lambda s: s.late)
            lines.append(
                f"    sampler held off {len(held)}x, longest {longest.late * 1000:.0f} ms "
                "(a thread kept the GIL); then:"
            )
            for name, where in sorted(longest.stacks.items()):
                if name != "MainThread":
                    lines.append(f"      {name} in {where}")
        others = Counter(
            f"{name} in {where}"
            for s in self.samples
            for name, where in s.stacks.items()
            if name != "MainThread"
        )
        for where, count in others.most_common(3):
            lines.append(f"    {count}x {where}")
        return lines


def where(frame: object, idle: str | None = None) -> str | None:
    """The innermost frame of this repository in the stack and the leaf frame below it;
    ``idle`` for a stack with no frame of this repository (a worker waiting for work)."""
    summary = traceback.extract_stack(frame)  # type: ignore[arg-type]
    ours = [f for f in summary if f.filename.startswith(ROOT) and "stall_sampler" not in f.filename]
    leaf = summary[-1]
    if not ours:
        return idle
    own = ours[-1]
    text = f"{Path(own.filename).name}:{own.lineno} {own.name}"
    if own is not leaf:
        text += f" > {Path(leaf.filename).name}:{leaf.lineno} {leaf.name}"
    return text


class StallSampler:
    """``tick()`` from the GUI thread at every event-loop tick; ``longest`` is the widest gap."""

    def __init__(self) -> None:
        self._main = threading.main_thread().ident
        self._last = time.perf_counter()
        self._samples: list[Sample] = []
        self._collections: list[Collection] = []
        self._collecting: float | None = None
        self._span = (self._last, self._last)  # of the longest gap
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.longest = Gap()

    def start(self) -> None:
        self._last = time.perf_counter()
        self._samples = []
        self.longest = Gap()
        self._span = (self._last, self._last)
        self._collections = []
        gc.callbacks.append(self._collected)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="stall-sampler", daemon=True)
        self._thread.start()

    def tick(self) -> None:
        now = time.perf_counter()
        started, self._last = self._last, now
        if now - started > self.longest.length:
            self.longest = Gap(now - started, started)
            self._span = (started, now)
        # Keep what may still belong to the longest gap: a sampler held off through the whole
        # gap wakes (and records) only after it closed.
        low = self._span[0]
        self._samples = [s for s in self._samples if s.woke > low]

    def stop(self) -> Gap:
        self.tick()
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        gc.callbacks.remove(self._collected)
        started, ended = self._span
        self.longest.collections = [
            c
            for c in self._collections
            if c.start < ended and c.end > started and c.end - c.start > 0.005
        ]
        self.longest.samples = [
            s
            for s in self._samples
            if s.gap_start == started or (s.late > LATE and s.asked < ended and s.woke > started)
        ]
        return self.longest

    def _collected(self, phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._collecting = now
        elif self._collecting is not None:
            name = threading.current_thread().name
            self._collections.append(Collection(info["generation"], self._collecting, now, name))
            self._collecting = None

    def _run(self) -> None:
        own = threading.get_ident()
        while not self._stop.is_set():
            asked = time.perf_counter()
            time.sleep(EVERY)
            now = time.perf_counter()
            started = self._last
            if now - started < OPEN_AFTER and now - asked - EVERY < LATE:
                continue
            names = {t.ident: t.name for t in threading.enumerate()}
            stacks: dict[str, str] = {}
            for ident, frame in sys._current_frames().items():
                if ident == own:
                    continue
                main = ident == self._main
                found = where(frame, "Qt / the event loop" if main else None)
                if found is not None:
                    stacks["MainThread" if main else names.get(ident, str(ident))] = found
            self._samples.append(Sample(asked, now, started, stacks))
