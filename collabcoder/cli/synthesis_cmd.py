"""Synthesis commands: the case x code matrix (with Excel/CSV export) and coder agreement."""

from __future__ import annotations

import argparse
import math

from collabcoder.synthesis.measures import MEASURES, is_share

from .common import (
    ProgressBar,
    add_role_options,
    add_set_option,
    add_where_option,
    coder_name,
    open_project,
    parse_conditions,
    print_json,
    print_table,
    roles_of,
    split_names,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg, unused-ignore]
    matrix = sub.add_parser("matrix", help="the case x code matrix; export it to Excel or CSV")
    matrix.add_argument("project")
    matrix.add_argument(
        "--rows",
        default="case",
        help="'case', 'speaker' (one row per speaker) or a case attribute to group cases by",
    )
    matrix.add_argument("--depth", type=int, default=1, help="code depth shown (default 1)")
    matrix.add_argument(
        "--measure",
        default="segments",
        choices=MEASURES,
    )
    matrix.add_argument("--coders", help="only these coders (comma-separated names)")
    matrix.add_argument(
        "--kinds",
        help="only these document kinds (comma-separated: transcript,fieldnotes,document)",
    )
    matrix.add_argument(
        "--origins", help="only these segment origins (comma-separated: manual,suggestion,...)"
    )
    add_where_option(matrix)
    add_set_option(matrix)
    add_role_options(matrix)
    matrix.add_argument(
        "--query",
        action="append",
        default=[],
        metavar="NAME",
        help="add a saved query as a column: its passages per row (repeatable)",
    )
    matrix.add_argument("--xlsx", metavar="OUT.xlsx", help="write the full synthesis workbook")
    matrix.add_argument("--csv", metavar="OUT.csv", help="write the matrix as CSV")
    matrix.add_argument("--json", action="store_true", help="print JSON")
    matrix.set_defaults(func=run_matrix)

    co = sub.add_parser("cooccurrence", help="code x code co-occurrence: counts and Jaccard")
    co.add_argument("project")
    co.add_argument(
        "--mode", default="overlap", choices=("overlap", "sentence", "turn", "document"),
        help="segments that overlap, or fall in the same sentence / turn / document",
    )  # fmt: skip
    co.add_argument("--depth", type=int, help="fold deeper codes into their ancestor at depth N")
    co.add_argument("--jaccard", action="store_true", help="show Jaccard instead of counts")
    co.add_argument("--coders", help="only these coders (comma-separated names)")
    add_set_option(co)
    co.add_argument("--csv", metavar="OUT.csv", help="write the table as CSV")
    co.add_argument("--json", action="store_true", help="print counts and Jaccard as JSON")
    co.set_defaults(func=run_cooccurrence)

    agree = sub.add_parser("agreement", help="agreement between coders, per code and overall")
    agree.add_argument("project")
    agree.add_argument("--coders", required=True, help="two or more names, comma-separated")
    agree.add_argument("--unit", default="char", choices=("char", "sentence", "turn", "document"))
    agree.add_argument("--json", action="store_true", help="print JSON")
    agree.set_defaults(func=run_agreement)


def _plain(value: object) -> object:
    """JSON-friendly value: numpy numbers to Python, NaN to null."""
    if hasattr(value, "item"):
        value = value.item()
    return None if isinstance(value, float) and math.isnan(value) else value


def run_matrix(args: argparse.Namespace) -> int:
    from collabcoder.core.search_saved import run_saved
    from collabcoder.synthesis.csv_export import write_table_csv
    from collabcoder.synthesis.filters import SegmentFilter
    from collabcoder.synthesis.load import load_synthesis_data
    from collabcoder.synthesis.matrix import case_code_matrix, query_column, with_query_columns
    from collabcoder.synthesis.tables import ExportRequest
    from collabcoder.synthesis.xlsx import write_workbook

    with open_project(args, read_only=True) as project:
        data = load_synthesis_data(project)
        found = [run_saved(project, name) for name in args.query]
    filters = SegmentFilter(
        document_kinds=split_names(args.kinds),
        case_attributes=parse_conditions(args.where),
        coders=split_names(args.coders),
        origins=split_names(args.origins),
        sets=tuple(args.sets),
        roles=roles_of(args)[0],
        exclude_roles=roles_of(args)[1],
    )
    matrix = case_code_matrix(
        data, rows=args.rows, depth=args.depth, measure=args.measure, filters=filters
    )
    queries = [
        query_column(data, record.name, passages, rows=args.rows, filters=filters)
        for record, passages in found
    ]
    table = with_query_columns(matrix.labelled(), queries)
    if args.xlsx:
        request = ExportRequest(
            rows=args.rows,
            depth=args.depth,
            measure=args.measure,
            filters=filters,
            generated_by=coder_name(args),
        )
        write_workbook(args.xlsx, data, request, ProgressBar("Exporting"))
    if args.csv:
        write_table_csv(table, args.csv, index=True)
    if args.json:
        print_json(
            {
                "rows": args.rows,
                "measure": args.measure,
                "columns": list(table.columns),
                "cells": {
                    str(label): {c: _plain(v) for c, v in row.items()}
                    for label, row in table.to_dict(orient="index").items()
                },
            }
        )
    elif not (args.xlsx or args.csv):
        shown = table.round(3) if is_share(args.measure) else table
        header = [table.index.name or "", *table.columns]
        print_table(header, [[label, *values] for label, values in shown.iterrows()])
    return 0


def run_cooccurrence(args: argparse.Namespace) -> int:
    from collabcoder.synthesis.cooccurrence import cooccurrence
    from collabcoder.synthesis.csv_export import write_table_csv
    from collabcoder.synthesis.filters import SegmentFilter
    from collabcoder.synthesis.load import load_synthesis_data

    with open_project(args, read_only=True) as project:
        data = load_synthesis_data(project)
    result = cooccurrence(
        data,
        mode=args.mode,
        depth=args.depth,
        filters=SegmentFilter(coders=split_names(args.coders), sets=tuple(args.sets)),
    )
    paths = [str(p) for p in result.codes["path"]]
    table = (result.jaccard.round(3) if args.jaccard else result.counts).copy()
    table.index, table.columns = paths, paths
    if args.csv:
        write_table_csv(table, args.csv, index=True)
    if args.json:
        print_json(
            {
                "mode": result.mode,
                "codes": paths,
                "counts": result.counts.to_numpy().tolist(),
                "jaccard": [[round(float(v), 4) for v in row] for row in result.jaccard.to_numpy()],
            }
        )
    elif not args.csv:
        short = [p.rsplit("/", 1)[-1][:24] for p in paths]
        print_table(["", *short], [[name, *row] for name, row in zip(short, table.values.tolist(),
                                                                    strict=True)])  # fmt: skip
    return 0


def run_agreement(args: argparse.Namespace) -> int:
    from collabcoder.synthesis.agreement import agreement
    from collabcoder.synthesis.load import load_synthesis_data

    with open_project(args, read_only=True) as project:
        project.team.require_report()
        data = load_synthesis_data(project)
    report = agreement(data, list(split_names(args.coders)), unit=args.unit)
    table = report.table()
    if args.json:
        disagreements = report.disagreements
        print_json(
            {
                "coders": list(report.coders),
                "unit": report.unit,
                "documents": list(report.document_ids),
                "scores": [
                    {k: _plain(v) for k, v in row.items()}
                    for row in table.to_dict(orient="records")
                ],
                "disagreements": []
                if disagreements is None
                else [
                    {k: _plain(v) for k, v in row.items()}
                    for row in disagreements.to_dict(orient="records")
                ],
            }
        )
        return 0
    shown = table.round(3).astype(object).where(table.notna(), "-")
    print_table(list(table.columns), shown.values.tolist())
    count = 0 if report.disagreements is None else len(report.disagreements)
    print(
        f"\n{count} disagreement(s) at {report.unit} level in {len(report.document_ids)} documents."
    )
    return 0
