"""``collabcoder demo``: the headless pipeline on the sample project, start to finish.

Import (the sample documents), suggest (lexical and learned) for the uncoded document, a case x
code matrix grouped by model of collaboration, agreement between the sample's two coders, the
Excel workbook with CSV tables, and the Word coding report.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import ProgressBar, print_table


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg, unused-ignore]
    demo = sub.add_parser("demo", help="run the whole pipeline headless on the sample project")
    demo.add_argument("folder", type=Path, help="where to write the project and the exports")
    demo.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from collabcoder.core.project import Project
    from collabcoder.io.sample_project import build_sample_project, default_sample_folder
    from collabcoder.nlp.service import suggest
    from collabcoder.synthesis.agreement import agreement
    from collabcoder.synthesis.csv_export import write_csv_tables
    from collabcoder.synthesis.docx_report import write_report
    from collabcoder.synthesis.load import load_synthesis_data
    from collabcoder.synthesis.matrix import case_code_matrix
    from collabcoder.synthesis.report_content import ReportRequest
    from collabcoder.synthesis.tables import ExportRequest
    from collabcoder.synthesis.xlsx import write_workbook

    folder: Path = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    location = build_sample_project(default_sample_folder(), folder / "demo.ccproj", replace=True)
    with Project.open(location, coder="Demo") as project:
        counts = project.counts()
        print(
            f"1. Imported {counts.documents} documents into {location} "
            f"({counts.cases} cases, {counts.codes} codes, {counts.segments} segments)."
        )
        run = suggest(project, "both", progress=ProgressBar("Suggesting"))
        paths = project.codes.paths()
        texts = project.documents.texts()
        print(f"2. Suggested {run.stored} codes for the uncoded document(s); the best five:")
        best = project.suggestions.list()[:5]
        print_table(
            ("score", "method", "code", "text"),
            [
                (
                    f"{s.score:.2f}",
                    s.method,
                    paths[s.code_id].rsplit("/", 1)[-1],
                    texts[s.document_id][s.start : s.end][:50],
                )
                for s in best
            ],
        )
        data = load_synthesis_data(project)
    rows = "Model of collaboration"
    matrix = case_code_matrix(data, rows=rows, depth=1, measure="segments").labelled()
    print(f"3. Coded segments by {rows.lower()} (top-level themes):")
    print_table([rows, *matrix.columns], [[label, *values] for label, values in matrix.iterrows()])
    report = agreement(data, ["Researcher A", "Researcher B"], unit="sentence")
    overall = report.table().iloc[-1]
    print(
        f"4. Agreement between Researcher A and B by sentence: "
        f"{dict((k, round(float(v), 3)) for k, v in overall.items() if k != 'code')}"
    )
    workbook = folder / "synthesis.xlsx"
    request = ExportRequest(rows=rows, depth=1, measure="segments", generated_by="Demo")
    write_workbook(workbook, data, request)
    tables = write_csv_tables(folder / "csv", data, request)
    print(f"5. Wrote {workbook} and {len(tables)} CSV tables in {folder / 'csv'}.")
    report_path = folder / "report.docx"
    content = write_report(report_path, data, ReportRequest(generated_by="Demo"))
    quoted = sum(len(cell.quotes) for cell in content.cells.values())
    print(
        f"6. Wrote the coding report {report_path}: {len(content.sections)} themes, "
        f"{len(content.cases)} cases, {quoted} quotes."
    )
    return 0
