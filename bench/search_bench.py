"""Search at real scale: index build time, index size, query latency, autocode throughput.

Builds its own corpus (default 400 transcripts, 5 million words of English word forms drawn
with Zipf frequencies from the lemma table, turns alternating between an interviewer and a
participant) with 40,000 segments, on a ``.ccproj`` file and, when PostgreSQL's server is
installed, on a throwaway cluster. Prints medians of several runs.

    .venv/bin/python bench/search_bench.py [--words 5000000] [--documents 400] [--runs 5]

``--project FILE`` keeps the built ``.ccproj`` there and reuses it on the next run (building it
takes minutes); ``--profile`` prints the cProfile of each query kind's slowest functions.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.project import Project
from collabcoder.core.search_eval import SearchOptions
from collabcoder.core.search_schema import INDEX_TABLES
from collabcoder.core.search_text import lemma_table
from collabcoder.core.segments import NewSegment
from tests.postgres import create_database, server_bin, throwaway_cluster

QUERIES = [
    ("rare word", "partnership", {}),
    ("lemma, common", "work", {}),
    ("exact", "working", {"lemmas": False}),
    ("phrase", '"the council"', {}),
    ("AND (paragraph)", "trust AND funding", {}),
    ("NEAR/10", "trust NEAR/10 funding", {}),
    ("NOT", "funding NOT council", {}),
    ("wildcard", "partner*", {}),
    ("AND within turn", "trust AND council", {"context": "turn"}),
]
CODING_QUERIES = [
    '"Code 1" OVERLAPS "Code 2"',
    '"Code 1" AND "Code 2"',
    '"Code 1" NEAR/20 "Code 2"',
    '"Code 1" SAME TURN "Code 2"',
]
PLANTED = ["trust", "trusted", "funding", "funded", "council", "partnership", "partners",
           "work", "working", "worked"]  # fmt: skip


def corpus(words: int, documents: int, seed: int = 17) -> list[NewDocument]:
    """Transcripts of Zipf-distributed English word forms, a few research words planted."""
    rng = random.Random(seed)
    vocabulary = rng.sample(sorted(lemma_table()), 20000)
    vocabulary[:0] = ["the", "and", "we", "they", "was", "it", "to", "of", "a", "in"]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    per_document = words // documents
    docs = []
    for n in range(documents):
        drawn = rng.choices(vocabulary, weights, k=per_document)
        for _ in range(per_document // 400):  # research words every ~400 words
            drawn[rng.randrange(per_document)] = rng.choice(PLANTED)
        lines, turns, position, at = [], [], 0, 0
        speaker = 0
        while at < len(drawn):
            size = rng.randint(30, 160)
            sentences, words_left = [], drawn[at : at + size]
            while words_left:
                cut = rng.randint(6, 22)
                sentences.append(" ".join(words_left[:cut]).capitalize() + ".")
                words_left = words_left[cut:]
            label = "Interviewer" if speaker % 2 == 0 else "Participant"
            line = f"{label}: " + " ".join(sentences)
            lines.append(line)
            turns.append(NewTurn(label, position, position + len(line)))
            position += len(line) + 1
            at += size
            speaker += 1
        docs.append(NewDocument(f"Transcript {n:03d}", "\n".join(lines), "transcript", turns))
    return docs


def median_ms(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds: on a shared machine the CPU time of this process
    is what the query costs (PostgreSQL's own work shows only in the wall clock)."""
    wall, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def build(location: str, docs: list[NewDocument], segments: int) -> tuple[Project, float]:
    project = Project.create(location, coder="Bench")
    began = time.perf_counter()
    for doc in docs:
        project.documents.add(doc)
    imported = time.perf_counter() - began
    codes = [project.codes.add(f"Code {n}").id for n in range(20)]
    rng = random.Random(3)
    ids = {d.name: d.id for d in project.documents.list()}
    items = []
    for n in range(segments):
        doc = rng.choice(docs)
        start = rng.randrange(len(doc.text) - 400)
        items.append(NewSegment(ids[doc.name], codes[n % 20], start, start + rng.randint(40, 400)))
    project.segments.add_many(items)
    return project, imported


def index_share(path: Path) -> tuple[float, float]:
    """Megabytes of the whole file and of the index tables (SQLite's dbstat)."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    conn.close()
    total = sum(size for _, size in pages)
    index = sum(size for name, size in pages if name in INDEX_TABLES or "text_unit" in name)
    return total / 1e6, index / 1e6


def profiled(action: Callable[[], object], lines: int = 12) -> str:
    """The functions ``action`` spends most of its own CPU in (cProfile, by total time)."""
    import cProfile
    import io
    import pstats

    profile = cProfile.Profile()
    profile.runcall(action)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def measure(
    name: str, project: Project, runs: int, words: int, *, rebuild: bool, profile: bool
) -> None:
    print(f"\n== {name}: {words:,} words")
    if rebuild:
        began = time.perf_counter()
        project.search.rebuild_index()
        print(f"index rebuild, all documents: {time.perf_counter() - began:.1f} s")
    for label, query, options in QUERIES:
        found = project.search.run(query, SearchOptions(**options))  # type: ignore[arg-type]
        wall, cpu = median_ms(
            lambda q=query, o=options: project.search.run(q, SearchOptions(**o)),  # type: ignore[misc, arg-type]
            runs,
        )
        print(f"query {label:<18} {query!r:<28} {len(found.hits):>7,} hits  "
              f"median {wall:6.0f} ms ({cpu:5.0f} ms CPU)")  # fmt: skip
        if profile:
            print(profiled(lambda q=query, o=options: project.search.run(q, SearchOptions(**o))))  # type: ignore[misc, arg-type]
    for coding in CODING_QUERIES:
        wall, cpu = median_ms(lambda c=coding: project.search.coding_query(c), runs)  # type: ignore[misc]
        count = len(project.search.coding_query(coding))
        print(f"coding query {coding}: {count:,} passages, median {wall:.0f} ms "
              f"({cpu:.0f} ms CPU)")  # fmt: skip
        if profile:
            print(profiled(lambda c=coding: project.search.coding_query(c)))  # type: ignore[misc]
    hits = project.search.run("trust OR funding").hits
    spans = project.search.preview_autocode(hits, "sentence")
    code = project.codes.add("Auto").id
    began = time.perf_counter()
    result = project.search.autocode(spans, code, "bench")
    seconds = time.perf_counter() - began
    print(f"autocode {len(result.segments):,} sentences: {seconds:.2f} s "
          f"({len(result.segments) / seconds:,.0f} passages/s, one undo step)")  # fmt: skip
    began = time.perf_counter()
    project.undo()
    print(f"undo of that step: {time.perf_counter() - began:.2f} s")
    project.undo()  # the code too, so a kept project can be measured again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5_000_000)
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--segments", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--project", metavar="FILE", help="keep (and reuse) the SQLite project")
    parser.add_argument("--profile", action="store_true", help="cProfile each query kind")
    args = parser.parse_args()
    docs = corpus(args.words, args.documents)
    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} documents, {words:,} words, {args.segments:,} segments")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.project) if args.project else Path(folder) / "bench.ccproj"
        if args.no_sqlite:
            pass
        elif path.exists():
            project = Project.open(path, coder="Bench")
            print(f"SQLite: reusing {path}")
            measure("SQLite FTS5", project, args.runs, words, rebuild=False, profile=args.profile)
            project.close()
        else:
            project, imported = build(str(path), docs, args.segments)
            print(f"SQLite import with indexing: {imported:.1f} s")
            total, index = index_share(path)
            print(f"SQLite file {total:.1f} MB, of which the index {index:.1f} MB "
                  f"({index / (total - index):.0%} added to the project)")  # fmt: skip
            measure("SQLite FTS5", project, args.runs, words, rebuild=True, profile=args.profile)
            project.close()
    if args.no_postgres or server_bin() is None:
        print("\n(PostgreSQL: skipped, or its server is not installed)")
        return
    with throwaway_cluster() as cluster:
        project, imported = build(create_database(cluster), docs, args.segments)
        print(f"\nPostgreSQL import with indexing: {imported:.1f} s")
        measure("PostgreSQL tsvector", project, args.runs, words, rebuild=True,
                profile=args.profile)  # fmt: skip
        project.close()


if __name__ == "__main__":
    main()
