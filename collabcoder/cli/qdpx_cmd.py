"""REFI-QDA project exchange: ``collabcoder qdpx export|import``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .common import ProgressBar, coder_name, open_project, print_json

if TYPE_CHECKING:
    from collabcoder.io.refi.fidelity import FidelityReport


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    qdpx = sub.add_parser("qdpx", help="exchange whole projects with other tools (REFI-QDA)")
    actions = qdpx.add_subparsers(dest="qdpx_command", metavar="ACTION", required=True)

    export = actions.add_parser("export", help="write a project as a .qdpx file")
    export.add_argument("project", help="the project (.ccproj or database URL)")
    export.add_argument("out", type=Path, help="the .qdpx file to write")
    export.add_argument("--json", action="store_true", help="print the fidelity report as JSON")
    export.set_defaults(func=run_export)

    imp = actions.add_parser("import", help="read a .qdpx (or .qde) into a new or existing project")
    imp.add_argument("file", type=Path, help="the .qdpx or .qde file")
    imp.add_argument("project", help="new project to create, or with --merge an existing one")
    imp.add_argument(
        "--merge",
        action="store_true",
        help="add to an existing project, matching codes, documents, cases and coders by GUID",
    )
    imp.add_argument(
        "--positions",
        metavar="MODEL",
        help="how the file counts selection positions, when its origin and text leave it "
        "ambiguous (the refusal lists the models with a preview), e.g. utf16-crlf2-nobom",
    )
    imp.add_argument("--json", action="store_true", help="print the fidelity report as JSON")
    imp.set_defaults(func=run_import)


def _print(report: FidelityReport, as_json: bool) -> None:
    if as_json:
        print_json(report.to_dict())
    else:
        print("\n".join(report.lines()))


def run_export(args: argparse.Namespace) -> int:
    from collabcoder.io.refi.project_export import export_qdpx

    with open_project(args, read_only=True) as project:
        report = export_qdpx(project, args.out, progress=ProgressBar("Exporting"))
    _print(report, args.json)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from collabcoder.io.refi.position_rules import AmbiguousPositions, preview_text
    from collabcoder.io.refi.project_import import import_qdpx

    try:
        if args.merge:
            with open_project(args) as project:
                report = import_qdpx(
                    args.file,
                    project,
                    merge=True,
                    positions=args.positions,
                    progress=ProgressBar("Importing"),
                )
        else:
            from collabcoder.core.storage import building

            # Built under a temporary name: a failure leaves nothing that would block a retry.
            with building(args.project) as location:
                report = import_qdpx(
                    args.file,
                    location,
                    coder=coder_name(args),
                    positions=args.positions,
                    progress=ProgressBar("Importing"),
                )
    except AmbiguousPositions as ambiguous:
        print(preview_text(ambiguous))
        print(f"collabcoder: {ambiguous}", file=sys.stderr)
        return 2
    _print(report, args.json)
    return 0
