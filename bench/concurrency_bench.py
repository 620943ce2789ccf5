"""Eight processes writing to one .ccproj at once: writes per second and failures.

Each process is a new coder (registration is a write too) adding codes one write at a time.
Run: .venv/bin/python bench/concurrency_bench.py [--processes 8] [--writes 50]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from collabcoder.core.project import Project

_WRITER = textwrap.dedent(
    """
    import sys
    from collabcoder.core.project import Project

    path, coder, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    failures = 0
    with Project.open(path, coder=coder) as project:
        for n in range(count):
            try:
                project.codes.add(f"{coder} code {n}")
            except Exception:
                failures += 1
    print(failures)
    """
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--writes", type=int, default=50, help="writes per process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.ccproj"
        Project.create(path, coder="Bench", codebook=None).close()
        started = time.perf_counter()
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", _WRITER, str(path), f"c{n}", str(args.writes)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(args.processes)
        ]
        outputs = [w.communicate() for w in workers]
        elapsed = time.perf_counter() - started
        failed_writes = sum(int(out.strip() or 0) for out, _ in outputs)
        crashed = sum(1 for w in workers if w.returncode != 0)
        with Project.open(path, coder="Bench", read_only=True) as project:
            stored = project.counts().codes
    total = args.processes * args.writes
    print(f"{args.processes} processes x {args.writes} writes on one .ccproj")
    print(f"stored {stored}/{total} writes in {elapsed:.2f} s: {stored / elapsed:.1f} writes/s")
    print(f"failed writes: {failed_writes}; crashed processes: {crashed}")


if __name__ == "__main__":
    main()
