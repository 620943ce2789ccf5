"""Project commands: new, info, segments, log."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from .common import coder_name, open_project, print_csv, print_json, print_table

if TYPE_CHECKING:
    from collabcoder.core.codebook_spec import CodeSpec


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    new = sub.add_parser("new", help="create a project (a .ccproj file or a database URL)")
    new.add_argument(
        "project", help="path of the new .ccproj file, or postgresql+psycopg://... URL"
    )
    new.add_argument("--codebook", type=Path, help="start from this REFI-QDA codebook (.qdc)")
    new.add_argument("--empty", action="store_true", help="start with no codes at all")
    new.set_defaults(func=run_new)

    info = sub.add_parser("info", help="what a project holds")
    info.add_argument("project")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=run_info)

    seg = sub.add_parser("segments", help="every coded segment with the text under it")
    seg.add_argument("project")
    seg.add_argument("--code", help="code path (Parent/Child); includes the codes below it")
    seg.add_argument("--case", help="case name")
    seg.add_argument("--coder", dest="segment_coder", metavar="NAME", help="coder name")
    fmt = seg.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV")
    seg.set_defaults(func=run_segments)

    log = sub.add_parser("log", help="the operation log: who did what, when")
    log.add_argument("project")
    log.add_argument("--limit", type=int, default=50)
    log.add_argument("--json", action="store_true")
    log.set_defaults(func=run_log)


def _starting_codebook(args: argparse.Namespace) -> list[CodeSpec] | None:
    if args.empty:
        return None
    from collabcoder.io.refi.qdc import read_qdc

    if args.codebook:
        return read_qdc(args.codebook)
    from collabcoder.io.refi.default_codebook import load_default_codebook

    return load_default_codebook()


def run_new(args: argparse.Namespace) -> int:
    from collabcoder.core.project import Project
    from collabcoder.core.storage import building, is_url

    codebook = _starting_codebook(args)
    name = None if is_url(args.project) else Path(args.project).stem
    # Built under a temporary name: a failure leaves nothing that would block a retry.
    with (
        building(args.project) as location,
        Project.create(location, coder_name(args), codebook=codebook, name=name) as project,
    ):
        counts = project.counts()
    print(f"Created {args.project} with {counts.codes} codes.")
    return 0


def run_info(args: argparse.Namespace) -> int:
    with open_project(args, read_only=True) as project:
        data = {"name": project.name, "location": project.location, **asdict(project.counts())}
    if args.json:
        print_json(data)
    else:
        width = max(len(k) for k in data)
        for key, value in data.items():
            print(f"{key:<{width}}  {value}")
    return 0


SEGMENT_COLUMNS = ("document", "case", "code", "coder", "origin", "start", "end", "text")


def run_segments(args: argparse.Namespace) -> int:
    from collabcoder.core.segments import SegmentFilter

    with open_project(args, read_only=True) as project:
        code_ids = None
        if args.code:
            code_ids = project.codes.descendants(project.codes.by_path(args.code).id)
        coder_ids = [project.coders.by_name(args.segment_coder).id] if args.segment_coder else None
        docs = {d.id: d for d in project.documents.list()}
        document_ids = None
        if args.case:
            case_id = project.cases.by_name(args.case).id
            document_ids = [d.id for d in docs.values() if d.case_id == case_id]
        segments = project.segments.list(SegmentFilter(code_ids, document_ids, coder_ids))
        quotes = project.segments.quotes(segments)
        paths = project.codes.paths()
        cases = {c.id: c.name for c in project.cases.list()}
        coders = {c.id: c.name for c in project.coders.list()}
    rows = [
        (
            docs[s.document_id].name,
            cases.get(docs[s.document_id].case_id or -1, ""),
            paths[s.code_id],
            coders[s.coder_id],
            s.origin,
            s.start,
            s.end,
            quote,
        )
        for s, quote in zip(segments, quotes, strict=True)
    ]
    if args.json:
        print_json([dict(zip(SEGMENT_COLUMNS, row, strict=True)) for row in rows])
    elif args.csv:
        print_csv(SEGMENT_COLUMNS, rows)
    else:
        print_table(SEGMENT_COLUMNS, [(*r[:7], r[7].replace("\n", " ")) for r in rows])
    return 0


def run_log(args: argparse.Namespace) -> int:
    with open_project(args, read_only=True) as project:
        coders = {c.id: c.name for c in project.coders.list()}
        ops = project.operations(args.limit)
    rows = [(o.at, coders.get(o.coder_id or -1, ""), o.label) for o in ops]
    if args.json:
        print_json([{"at": a, "coder": c, "label": lbl} for a, c, lbl in rows])
    else:
        print_table(("when", "who", "what"), rows)
    return 0
