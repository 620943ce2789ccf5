"""``collabcoder report``: the coding report as a Word document."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import (
    ProgressBar,
    add_set_option,
    add_where_option,
    coder_name,
    open_project,
    parse_conditions,
    split_names,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg, unused-ignore]
    report = sub.add_parser(
        "report",
        help="write a Word report: codebook, then summaries and quotes per code or per case",
    )
    report.add_argument("project")
    report.add_argument("out", type=Path, metavar="OUT.docx")
    report.add_argument(
        "--by", default="code", choices=("code", "case"), help="sections per code or per case"
    )
    report.add_argument(
        "--depth", type=int, default=1, help="codes down to this level are sections (default 1)"
    )
    report.add_argument(
        "--code",
        action="append",
        default=[],
        metavar="PATH",
        help="only this code (a path such as 'Key drivers/Systemic working') and its sub-codes "
        "(repeatable)",
    )
    report.add_argument(
        "--case", action="append", default=[], metavar="NAME", help="only this case (repeatable)"
    )
    report.add_argument("--coders", help="only these coders' segments (comma-separated names)")
    report.add_argument(
        "--kinds", help="only these document kinds (comma-separated: transcript,fieldnotes,...)"
    )
    add_where_option(report)
    add_set_option(report)
    report.add_argument(
        "--quotes",
        type=int,
        default=5,
        metavar="N",
        help="quotes per case and code (default 5; -1 for all)",
    )
    report.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    from collabcoder.core.errors import InvalidValue
    from collabcoder.synthesis.docx_report import write_report
    from collabcoder.synthesis.filters import SegmentFilter
    from collabcoder.synthesis.load import load_synthesis_data
    from collabcoder.synthesis.report_content import ReportRequest

    out: Path = args.out
    if out.suffix.lower() != ".docx":
        raise InvalidValue(f"{out}: a report is a Word document; name it with .docx.")
    if args.quotes < -1:
        raise InvalidValue(f"--quotes {args.quotes}: give 0 or more, or -1 for all.")
    request = ReportRequest(
        by=args.by,
        depth=args.depth,
        codes=tuple(args.code),
        cases=tuple(args.case),
        filters=SegmentFilter(
            document_kinds=split_names(args.kinds),
            case_attributes=parse_conditions(args.where),
            coders=split_names(args.coders),
            sets=tuple(args.sets),
        ),
        quotes_per_cell=None if args.quotes == -1 else args.quotes,
        generated_by=coder_name(args),
    )
    with open_project(args, read_only=True) as project:
        data = load_synthesis_data(project)
    content = write_report(out, data, request, ProgressBar("Writing the report"))
    quoted = sum(len(cell.quotes) for cell in content.cells.values())
    print(
        f"Wrote {out}: {len(content.sections)} sections, {len(content.cases)} cases, "
        f"{quoted} quotes."
    )
    return 0
