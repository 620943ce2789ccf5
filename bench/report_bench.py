"""The deliverables at scale: the synthesis workbook and the Word report of a project with
1,000 documents, 100 cases, 80 codes and 200,000 segments (the matrix bench's project).

The project is stored once in a real .ccproj through the facade; each deliverable is then
written by a fresh process (so its peak memory is its own) that loads the snapshot from the
file and writes the export, several times; the median time and the highest peak RSS are printed.
Target (issue 16): the workbook stays under 20 s; the report is measured beside it.

    .venv/bin/python bench/report_bench.py [--segments N] [--documents N] [--runs N] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from matrix_bench import generate_records, write_project

from collabcoder.core.project import Project
from collabcoder.synthesis.docx_report import write_report
from collabcoder.synthesis.filters import SegmentFilter
from collabcoder.synthesis.load import load_synthesis_data
from collabcoder.synthesis.report_content import ReportRequest
from collabcoder.synthesis.tables import ExportRequest
from collabcoder.synthesis.xlsx import write_workbook

# Each deliverable: a label, then how to write it from a snapshot to a path.
DELIVERABLES = {
    "workbook": "workbook, depth 2 (all sheets)",
    "report": "report by code, depth 1, 5 quotes per cell",
    "report-case": "report by case, depth 2, 5 quotes per cell",
    "report-all": "report by code, depth 1, every quote of one coder",
}


def _write(kind: str, location: Path, out: Path) -> dict[str, float]:
    """Load the snapshot and write one deliverable; the figures of this process."""
    began = time.perf_counter()
    with Project.open(location, coder="bench", read_only=True) as project:
        data = load_synthesis_data(project)
    loaded = time.perf_counter()
    cpu = _cpu_seconds()
    if kind == "workbook":
        write_workbook(out, data, ExportRequest(depth=2, generated_by="bench"))
    elif kind == "report":
        write_report(out, data, ReportRequest(generated_by="bench"))
    elif kind == "report-case":
        write_report(out, data, ReportRequest(by="case", depth=2, generated_by="bench"))
    else:
        request = ReportRequest(
            quotes_per_cell=None, filters=SegmentFilter(coders=("Ann",)), generated_by="bench"
        )
        write_report(out, data, request)
    done = time.perf_counter()
    return {
        "load": loaded - began,
        "write": done - loaded,
        "cpu": _cpu_seconds() - cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "size_mb": out.stat().st_size / 1e6,
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child(kind: str, location: Path, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(location), str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--codes", type=int, default=80)
    parser.add_argument("--segments", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=list(DELIVERABLES), action="append")
    parser.add_argument("--out", type=Path, default=None, help="keep the exports here")
    parser.add_argument(
        "--reuse", action="store_true", help="use the project already stored in --out"
    )
    parser.add_argument("--child", nargs=3, metavar=("KIND", "PROJECT", "OUT"), help="internal")
    args = parser.parse_args()
    if args.child:
        kind, location, out = args.child
        print(json.dumps(_write(kind, Path(location), Path(out))))
        return
    folder = args.out or Path(tempfile.mkdtemp(prefix="cc-bench-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    location = folder / "bench.ccproj"
    if not (args.reuse and location.exists()):
        records = generate_records(args.documents, args.cases, args.codes, args.segments)
        location.unlink(missing_ok=True)
        write_project(records, location).close()
    with Project.open(location, coder="bench", read_only=True) as project:
        counts = project.counts()
    print(
        f"{counts.documents} documents, {counts.cases} cases, {counts.codes} codes, "
        f"{counts.segments:,} segments (ready in {time.perf_counter() - began:.0f} s)"
    )
    print(
        f"{'deliverable':<48} {'load s':>7} {'write s':>8} {'cpu s':>6} {'peak RSS':>9} {'size':>8}"
    )
    for kind in args.only or list(DELIVERABLES):
        suffix = ".xlsx" if kind == "workbook" else ".docx"
        runs = [_child(kind, location, folder / f"{kind}{suffix}") for _ in range(args.runs)]
        print(
            f"{DELIVERABLES[kind]:<48} {statistics.median(r['load'] for r in runs):7.2f} "
            f"{statistics.median(r['write'] for r in runs):8.2f} "
            f"{statistics.median(r['cpu'] for r in runs):6.2f} "
            f"{max(r['peak_mb'] for r in runs):6.0f} MB {runs[-1]['size_mb']:5.1f} MB"
        )
    print(
        f"(median of {args.runs} runs, each in a fresh process; cpu: the writer's processor "
        f"time, which other work on the machine does not inflate; files in {folder})"
    )


if __name__ == "__main__":
    main()
