"""Synthesis at scale: 1,000 documents, 100 cases, 80 codes, 200,000 segments.

Stores the generated project in a real .ccproj through the Project facade and loads the
synthesis snapshot from it (``--plain`` skips the file), then prints the time of the case x code
matrix (each measure), co-occurrence (each mode), the
framework matrix, agreement, the full Excel export and the CSV export, with peak memory.
Targets (issue 7): matrix < 1 s, co-occurrence < 3 s, Excel export < 20 s with peak RSS < 1.5 GB.

    .venv/bin/python bench/matrix_bench.py [--segments N] [--documents N] [--out DIR]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.project import Project
from collabcoder.core.records import (
    AttributeRecord,
    CaseRecord,
    CodeRecord,
    CoderRecord,
    DocumentRecord,
    SegmentRecord,
    SummaryRecord,
    TurnRecord,
)
from collabcoder.core.segments import NewSegment
from collabcoder.synthesis.agreement import agreement
from collabcoder.synthesis.cooccurrence import cooccurrence
from collabcoder.synthesis.csv_export import write_csv_tables
from collabcoder.synthesis.frames import build_synthesis_data
from collabcoder.synthesis.framework import framework_matrix
from collabcoder.synthesis.load import load_synthesis_data
from collabcoder.synthesis.matrix import case_code_matrix
from collabcoder.synthesis.tables import ExportRequest
from collabcoder.synthesis.xlsx import write_workbook

VOCABULARY = [
    "partnership",
    "council",
    "voluntary",
    "sector",
    "trust",
    "funding",
    "outcomes",
    "community",
    "we",
    "they",
    "local",
    "services",
    "shared",
    "data",
    "commissioning",
    "relationships",
    "leadership",
    "capacity",
    "the",
    "and",
    "of",
    "to",
    "in",
    "a",
    "was",
    "is",
    "it",
    "that",
    "for",
    "on",
    "with",
    "as",
    "but",
    "about",
    "really",
    "think",
    "people",
    "working",
    "together",
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_text(rng: np.random.Generator, words: int) -> str:
    chosen = rng.choice(VOCABULARY, size=words)
    # A full stop every ~15 words and a line break every ~60 give sentences and paragraphs.
    out = []
    for n, word in enumerate(chosen, 1):
        out.append(word)
        out.append(".\n" if n % 60 == 0 else ". " if n % 15 == 0 else " ")
    return "".join(out)


def generate_records(
    documents: int, cases: int, codes: int, segments: int, seed: int = 7
) -> dict[str, Any]:
    """Plain records of a project of the given size (the arguments of build_synthesis_data)."""
    rng = np.random.default_rng(seed)
    coders = [CoderRecord(i, f"k{i}", name, "") for i, name in enumerate(["Ann", "Ben", "Cat"], 1)]
    case_rows = [CaseRecord(i, f"c{i}", f"Organisation {i:03d}", "") for i in range(1, cases + 1)]
    models = ("Hub", "Network", "Alliance", "Compact")
    attributes = [AttributeRecord(1, "a1", "model", "choice", models, 0)]
    values = {(c.id, 1): models[c.id % len(models)] for c in case_rows}
    roots = max(codes // 10, 1)
    code_rows = []
    for r in range(roots):
        code_rows.append(
            CodeRecord(
                r + 1,
                f"g{r}",
                None,
                f"Theme {r}",
                r,
                "#4e79a7",
                "=def",
                "",
                "",
                "",
                ("kw",),
                1,
                None,
                "2024-01-01",
            )
        )
    for n in range(roots, codes):
        parent = n % roots + 1
        code_rows.append(
            CodeRecord(
                n + 1,
                f"g{n}",
                parent,
                f"Sub {n}",
                n,
                "#f28e2b",
                "",
                "",
                "",
                "",
                (),
                1,
                None,
                "2024-01-01",
            )
        )
    doc_rows, texts, turns = [], {}, []
    turn_id = 0
    for d in range(1, documents + 1):
        text = make_text(rng, int(rng.integers(2500, 4000)))
        texts[d] = text
        doc_rows.append(
            DocumentRecord(
                d,
                f"d{d}",
                f"Interview {d:04d}",
                "transcript",
                (d - 1) % cases + 1,
                {},
                "",
                "",
                0,
                "",
            )
        )
        for n, start in enumerate(range(0, len(text), 600)):
            turn_id += 1
            turns.append(
                TurnRecord(
                    turn_id,
                    d,
                    "Interviewer" if n % 2 else "Participant",
                    start,
                    min(start + 600, len(text)),
                    f"00:{n // 60:02d}:{n % 60:02d}",
                    float(n),
                )
            )
    doc_of = rng.integers(1, documents + 1, size=segments)
    lengths = np.array([len(texts[d]) for d in range(1, documents + 1)])
    span = rng.integers(40, 600, size=segments)
    start = (rng.random(segments) * (lengths[doc_of - 1] - span)).astype(int)
    code_of = rng.integers(1, codes + 1, size=segments)
    coder_of = rng.integers(1, 4, size=segments)
    origins = np.array(["manual", "suggestion", "autocode", "imported"])[
        rng.integers(0, 4, size=segments)
    ]
    segment_rows = [
        SegmentRecord(
            i + 1,
            f"s{i + 1}",
            int(doc_of[i]),
            int(code_of[i]),
            int(coder_of[i]),
            int(start[i]),
            int(start[i] + span[i]),
            str(origins[i]),
            "",
        )
        for i in range(segments)
    ]
    summaries = [
        SummaryRecord(n, f"m{n}", c.id, code.id, 1, "A summary.", "old", "", "", None, 1)
        for n, (c, code) in enumerate(
            ((c, code) for c in case_rows for code in code_rows[:roots]), 1
        )
    ]
    return dict(
        documents=doc_rows,
        texts=texts,
        cases=case_rows,
        codes=code_rows,
        coders=coders,
        segments=segment_rows,
        attributes=attributes,
        attribute_values=values,
        turns=turns,
        summaries=summaries,
        project="Benchmark",
    )


def write_project(records: dict[str, Any], path: Path) -> Project:
    """Store the records in a real project through the facade (bulk steps)."""
    project = Project.create(path, coder="Ann")
    coders = {c.id: project.coders.register(c.name).id for c in records["coders"]}
    with project.undo_group("Benchmark data"):
        cases = {c.id: project.cases.add(c.name).id for c in records["cases"]}
        (attribute,) = records["attributes"]
        model = project.attributes.add(attribute.name, attribute.kind, attribute.choices)
        for (case_id, _), value in records["attribute_values"].items():
            project.attributes.set_value(cases[case_id], model.id, value)
        codes: dict[int, int] = {}
        for code in records["codes"]:
            parent = codes.get(code.parent_id) if code.parent_id else None
            codes[code.id] = project.codes.add(code.name, parent).id
        turns_of: dict[int, list[NewTurn]] = {}
        for t in records["turns"]:
            turns_of.setdefault(t.document_id, []).append(
                NewTurn(t.speaker, t.start, t.end, t.timestamp, t.seconds)
            )
        documents = {}
        for d in records["documents"]:
            new = NewDocument(d.name, records["texts"][d.id], d.kind, turns_of.get(d.id, ()),
                              case_id=cases[d.case_id])  # fmt: skip
            documents[d.id] = project.documents.add(new).id
        project.segments.add_many(
            [
                NewSegment(
                    documents[s.document_id],
                    codes[s.code_id],
                    s.start,
                    s.end,
                    s.origin,
                    coders[s.coder_id],
                )
                for s in records["segments"]
            ]
        )
    return project


def timed(label: str, work: Callable[[], Any]) -> Any:
    began = time.perf_counter()
    result = work()
    print(f"{label:<44} {time.perf_counter() - began:7.2f} s   peak RSS {peak_rss_mb():7.0f} MB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--codes", type=int, default=80)
    parser.add_argument("--segments", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=None, help="keep the exports here")
    parser.add_argument(
        "--plain", action="store_true", help="skip the project file: time synthesis on records only"
    )
    args = parser.parse_args()
    records = timed(
        "generate project data (plain records)",
        lambda: generate_records(args.documents, args.cases, args.codes, args.segments),
    )
    if args.plain:
        data = build_synthesis_data(**records)
    else:
        scratch = Path(tempfile.mkdtemp(prefix="cc-bench-project-"))
        project = timed(
            "store it in a .ccproj through the facade",
            lambda: write_project(records, scratch / "b.ccproj"),
        )
        data = timed(
            "load the synthesis snapshot from the project", lambda: load_synthesis_data(project)
        )
        project.close()
    chars = int(data.documents["length"].sum())
    print(
        f"  {len(data.documents)} documents, {chars:,} characters, {len(data.cases)} cases, "
        f"{len(data.codes)} codes, {len(data.segments):,} segments"
    )
    for measure in ("segments", "documents", "coders", "coverage"):
        timed(
            f"matrix depth 2, {measure}",
            lambda m=measure: case_code_matrix(data, depth=2, measure=m),
        )
    timed(
        "matrix rows=model, depth 1, coverage",
        lambda: case_code_matrix(data, rows="model", measure="coverage"),
    )
    timed("word index (once per snapshot)", lambda: data.word_bounds)
    timed("matrix depth 2, words", lambda: case_code_matrix(data, depth=2, measure="words"))
    for mode in ("overlap", "turn", "document", "sentence"):
        timed(f"co-occurrence {mode} (all codes)", lambda m=mode: cooccurrence(data, mode=m))
    timed("framework matrix depth 1 (evidence + stale)", lambda: framework_matrix(data))
    report = timed("agreement Ann/Ben, char", lambda: agreement(data, ["Ann", "Ben"]))
    timed(
        "agreement Ann/Ben/Cat, sentence",
        lambda: agreement(data, ["Ann", "Ben", "Cat"], unit="sentence"),
    )
    folder = args.out or Path(tempfile.mkdtemp(prefix="cc-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    request = ExportRequest(depth=2, agreement=report, generated_by="bench")
    print(f"peak RSS before export: {peak_rss_mb():.0f} MB")
    timed("Excel export (all sheets)", lambda: write_workbook(folder / "bench.xlsx", data, request))
    size = (folder / "bench.xlsx").stat().st_size / 1e6
    print(f"  workbook {size:.1f} MB at {folder / 'bench.xlsx'}")
    timed("CSV export (all tables)", lambda: write_csv_tables(folder / "csv", data, request))


if __name__ == "__main__":
    main()
