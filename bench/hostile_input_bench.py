"""Huge inputs: a table of 100,000 attribute columns, and a text of one 50 MB line.

Builds both in a temporary folder and times the real import paths (the CLI's ``import-table``
and ``import``), printing the median of several runs.
Run: .venv/bin/python bench/hostile_input_bench.py [--columns 100000] [--rows 5] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from collabcoder.cli import main as cli


def _wide_table(folder: Path, columns: int, rows: int) -> Path:
    path = folder / "wide.csv"
    header = ["id", "answer"] + [f"attribute {n}" for n in range(columns)]
    lines = [",".join(header)]
    for row in range(rows):
        cells = [f"respondent {row}", f"answer {row}"] + [
            str((row * n) % 7) for n in range(columns)
        ]
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _timed(argv: list[str]) -> float:
    started = time.perf_counter()
    if cli(argv) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--columns", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    wide, line = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        table = _wide_table(folder, args.columns, args.rows)
        text = folder / "one-line.txt"
        text.write_bytes(b"word " * 10_000_000)
        last = f"attribute {args.columns - 1}"
        for run in range(args.runs):
            project = folder / f"run{run}.ccproj"
            cli(["new", str(project), "--empty"])
            wide.append(
                _timed(
                    [
                        "import-table",
                        str(project),
                        str(table),
                        "--text",
                        "answer",
                        "--id",
                        "id",
                        "--attributes",
                        f"attribute 0..{last}",
                    ]
                )
            )
            line.append(_timed(["import", str(project), str(text)]))
    print(f"{args.columns:,} attribute columns x {args.rows} rows: "
          f"median {statistics.median(wide):.1f} s over {args.runs} runs")  # fmt: skip
    print(f"one 50 MB line: median {statistics.median(line):.1f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
