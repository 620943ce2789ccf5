"""Import at scale: N transcripts of W words with speaker turns and timestamps.

Generates the transcripts into a temporary folder, imports them through ``import_files`` (the
code path of ``collabcoder import``) into a fresh temporary project, and prints files/s, words/s
and peak memory. Target (issue 3): 1,000 transcripts of 5,000 words in under 20 s, peak RSS
under 1 GB.

    .venv/bin/python bench/import_bench.py [--files N] [--words W]
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

from collabcoder.core.project import Project
from collabcoder.core.text import count_words
from collabcoder.io.batch import import_files

VOCABULARY = [
    *("partnership", "council", "voluntary", "sector", "trust", "funding", "outcomes"),
    *("community", "we", "they", "local", "services", "shared", "data", "commissioning"),
    *("relationships", "leadership", "capacity", "the", "and", "of", "to", "in", "a", "was"),
    *("is", "it", "that", "for", "on", "with", "as", "but", "about", "really", "think"),
    *("people", "working", "together", "café"),
]
SPEAKERS = ("Interviewer", "Participant 1", "Participant 2")
WORDS_PER_TURN = 60


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_transcript(rng: random.Random, words: int) -> str:
    """``[hh:mm:ss] Speaker: ...`` turns of ~60 words until ``words`` words are written."""
    turns: list[str] = []
    written = 0
    seconds = 0
    while written < words:
        size = min(WORDS_PER_TURN, words - written)
        speaker = SPEAKERS[len(turns) % len(SPEAKERS)]
        stamp = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        body = " ".join(rng.choices(VOCABULARY, k=size))
        turns.append(f"[{stamp}] {speaker}: {body}.")
        written += size
        seconds += size // 2
    return "\n\n".join(turns) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--words", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "transcripts"
        folder.mkdir()
        paths = []
        for n in range(args.files):
            path = folder / f"interview-{n:05d}.txt"
            # Each file differs (its number in the text), so none is skipped as a duplicate.
            path.write_text(f"Interview {n}\n\n{make_transcript(rng, args.words)}", "utf-8")
            paths.append(path)
        words = sum(count_words(p.read_text("utf-8")) for p in paths)
        with Project.create(Path(tmp) / "bench.ccproj", coder="Bench") as project:
            start = time.perf_counter()
            result = import_files(project, paths)
            elapsed = time.perf_counter() - start
            turns = len(project.documents.turns())
        if result.failed or len(result.imported) != args.files:
            raise SystemExit(f"import went wrong: {result.failed[:3]}")
    print(f"files:      {args.files:,} of {args.words:,} words ({words:,} words, {turns:,} turns)")
    print(f"time:       {elapsed:.2f} s (target < 20 s for 1,000 x 5,000 words)")
    print(f"files/s:    {args.files / elapsed:,.0f}")
    print(f"words/s:    {words / elapsed:,.0f}")
    print(f"peak RSS:   {peak_rss_mb():,.0f} MB (target < 1,024 MB)")


if __name__ == "__main__":
    main()
