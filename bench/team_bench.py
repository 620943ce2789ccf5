"""Team projects on PostgreSQL: sustained coding throughput with 8 coders, and how soon one
coder sees another's new segment.

Starts a throwaway PostgreSQL cluster (as ``make test`` does), runs 8 coder processes that each
code single segments (one transaction each, as a researcher clicking) for a fixed time, then
measures the time from one coder's commit until another coder's poll reports it.

    .venv/bin/python bench/team_bench.py [--coders 8] [--seconds 10] [--trials 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from tests.postgres import create_database, server_bin, throwaway_cluster


def code_for(url: str, index: int, seconds: float) -> int:
    """One coder coding single segments as fast as the server allows; returns how many."""
    project = Project.open(url, coder=f"coder{index}")
    doc = project.documents.list()[0]
    codes = [c.id for c in project.codes.list()]
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        start = (n * 37 + index * 11) % 3900
        project.segments.add(doc.id, codes[n % len(codes)], start, start + 12)
        n += 1
    project.close()
    return n


def visibility_latency(url: str, trials: int) -> list[float]:
    """Seconds from Ann's committed segment until Bob's poll reports it (polling every 5 ms)."""
    ann = Project.open(url, coder="Ann")
    bob = Project.open(url, coder="Bob")
    doc = ann.documents.list()[0]
    code = ann.codes.list()[0]
    bob.poll_remote()
    latencies = []
    for n in range(trials):
        ann.segments.add(doc.id, code.id, n, n + 5)
        committed = time.perf_counter()
        while bob.poll_remote() is None:
            time.sleep(0.005)
        latencies.append(time.perf_counter() - committed)
    ann.close()
    bob.close()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coders", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--trials", type=int, default=30)
    args = parser.parse_args()
    if server_bin() is None:
        print("team_bench: PostgreSQL server binaries not installed; skipped")
        return
    with throwaway_cluster() as cluster:
        url = create_database(cluster)
        with Project.create(url, coder="Lead") as lead:
            lead.documents.add(NewDocument("deep dive", "word " * 800))
            for name in ("Trust", "Leadership", "Funding", "Accountability"):
                lead.codes.add(name)
        started = time.perf_counter()
        with ProcessPoolExecutor(args.coders, mp_context=get_context("spawn")) as pool:
            counts = list(
                pool.map(
                    code_for, [url] * args.coders, range(args.coders), [args.seconds] * args.coders
                )
            )
        elapsed = time.perf_counter() - started
        latencies = visibility_latency(url, args.trials)
    total = sum(counts)
    print(f"coders: {args.coders}, each coding single segments for {args.seconds:.0f} s")
    print(
        f"segments committed: {total} ({total / args.seconds:.0f} segments/s sustained; "
        f"wall {elapsed:.1f} s incl. process start)"
    )
    print(f"per coder: min {min(counts)}, max {max(counts)} segments")
    print(
        f"another coder sees a new segment after: median {statistics.median(latencies) * 1000:.1f}"
        f" ms, max {max(latencies) * 1000:.1f} ms over {len(latencies)} trials "
        "(polling every 5 ms; the GUI polls every 2 s)"
    )


if __name__ == "__main__":
    main()
