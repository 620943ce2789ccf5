"""Codebook commands: export, import (optionally merging) and diff, for projects and .qdc files."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collabcoder.core.codebook_spec import CodeSpec, walk_codebook

from .common import coder_name, open_location, open_project, print_json

if TYPE_CHECKING:
    from collabcoder.core.codebook_diff import CodebookDiff
    from collabcoder.core.codebook_merge import MergePlan


def register(sub: argparse._SubParsersAction) -> None:
    codebook = sub.add_parser("codebook", help="export, import, merge and compare codebooks")
    commands = codebook.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)

    export = commands.add_parser(
        "export", help="write the project's codebook (.qdc, or a readable .docx / .xlsx)"
    )
    export.add_argument("project")
    export.add_argument("out", type=Path, help="file to write: .qdc, .docx or .xlsx")
    export.set_defaults(func=run_export)

    imp = commands.add_parser("import", help="add a .qdc codebook to a project, or merge it in")
    imp.add_argument("project")
    imp.add_argument("codebook", type=Path, help="the REFI-QDA codebook to read (.qdc)")
    imp.add_argument("--merge", action="store_true", help="merge into the existing codes")
    imp.add_argument(
        "--base",
        type=Path,
        help="with --merge: the codebook both sides started from, so one-sided changes are taken",
    )
    imp.add_argument(
        "--take-incoming",
        action="store_true",
        help="with --merge: settle conflicting fields and moves in favour of the file",
    )
    imp.add_argument("--dry-run", action="store_true", help="with --merge: show the plan only")
    imp.add_argument("--json", action="store_true", help="print the merge plan as JSON")
    imp.set_defaults(func=run_import)

    diff = commands.add_parser("diff", help="compare two codebooks (projects or .qdc files)")
    diff.add_argument("a", help="the local side: a project or a .qdc file")
    diff.add_argument("b", help="the incoming side: a project or a .qdc file")
    diff.add_argument("--json", action="store_true", help="print JSON")
    diff.set_defaults(func=run_diff)


def _load(location: str, args: argparse.Namespace) -> list[CodeSpec]:
    if Path(location).suffix.lower() == ".qdc":
        from collabcoder.io.refi.qdc import read_qdc

        return read_qdc(location)
    with open_location(location, coder_name(args), read_only=True) as project:
        return project.codes.to_specs()


def run_export(args: argparse.Namespace) -> int:
    project = open_project(args, read_only=True)
    try:
        specs = project.codes.to_specs()
        counts = project.codes.counts()
        by_guid = {c.guid.lower(): counts.get(c.id, (0, 0)) for c in project.codes.list()}
    finally:
        project.close()
    if args.out.suffix.lower() in (".docx", ".xlsx"):
        from collabcoder.io.codebook_document import write_codebook_document

        write_codebook_document(specs, args.out, by_guid)
    else:
        from collabcoder.io.refi.qdc import write_qdc

        write_qdc(specs, args.out)
    print(f"Wrote {sum(1 for _ in walk_codebook(specs))} codes to {args.out}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from collabcoder.core.errors import InvalidValue
    from collabcoder.io.refi.qdc import read_qdc

    incoming = read_qdc(args.codebook)
    ancestor = read_qdc(args.base) if args.base else None
    project = open_project(args)
    try:
        if args.merge:
            return _merge(project, incoming, ancestor, args)
        existing = {code.guid.lower() for code in project.codes.list()}
        clashes = [path for path, code in walk_codebook(incoming) if code.guid in existing]
        if clashes:
            raise InvalidValue(
                f"{args.codebook}: {len(clashes)} of its codes are already in this project "
                f"(e.g. {'/'.join(clashes[0])!r}); use --merge"
            )
        created = project.codes.import_specs(
            incoming, label=f"Import codebook {args.codebook.name}"
        )
        print(f"Imported {len(created)} codes from {args.codebook}")
        return 0
    finally:
        project.close()


def _merge(project: Any, incoming: list[CodeSpec], ancestor: Any, args: argparse.Namespace) -> int:
    from collabcoder.core.codebook_merge import (
        apply_merge_plan,
        plan_merge,
        segment_counts,
        take_incoming,
    )

    plan = plan_merge(
        project.codes.to_specs(),
        incoming,
        ancestor=ancestor,
        segment_counts=segment_counts(project),
    )
    if args.take_incoming:
        plan = take_incoming(plan)
    if args.json:
        print_json(_plan_json(plan))
    else:
        print("\n".join(describe_plan(plan)))
    if args.dry_run or plan.is_empty:
        return 0
    result = apply_merge_plan(project, plan, label=f"Merge codebook {args.codebook.name}")
    if not args.json:
        print(
            f"Merged: {result.added} added, {result.updated} updated, {result.moved} moved, "
            f"{result.removed} removed; {len(plan.conflicts)} conflicts left for you to decide."
        )
        for path in result.kept:
            print(f"  kept {'/'.join(path)}: it changed since the plan was made")
    return 0


def run_diff(args: argparse.Namespace) -> int:
    from collabcoder.core.codebook_diff import diff_codebooks

    diff = diff_codebooks(_load(args.a, args), _load(args.b, args))
    if args.json:
        print_json({"matched": diff.matched, "differences": [asdict(d) for d in diff.differences]})
    else:
        print("\n".join(describe_diff(diff)))
    return 0


def describe_diff(diff: CodebookDiff) -> list[str]:
    """One line per difference (with indented field changes), for people at a terminal."""
    if diff.is_empty:
        return [f"No differences ({diff.matched} codes match)."]
    count = len(diff.differences)
    lines = [f"{diff.matched} codes match; {count} difference{'' if count == 1 else 's'}:"]
    for item in diff.differences:
        path = "/".join(item.local_path or item.incoming_path or ())
        lines.append(f"  {item.kind:<10} {path}")
        for change in item.fields:
            lines.append(
                f"      {change.field}: {_short(change.local)} -> {_short(change.incoming)}"
            )
    return lines


def describe_plan(plan: MergePlan) -> list[str]:
    """The merge plan as readable lines: what will change, then the conflicts left open."""
    lines = [
        *(f"  add      {'/'.join(a.path)}" for a in plan.additions),
        *(f"  update   {'/'.join(u.path)}: {', '.join(u.fields)}" for u in plan.updates),
        *(f"  move     {'/'.join(m.path)} -> {m.parent_label}" for m in plan.moves),
        *(f"  remove   {'/'.join(r.path)}" for r in plan.removals),
    ]
    head = ["Merge plan:" if lines else "Nothing to take from the incoming codebook."]
    conflicts = [
        f"  conflict {'/'.join(c.local_path or c.incoming_path or ())} [{c.field}]: {c.reason}"
        + (f" (here {_short(c.local)!r}, incoming {_short(c.incoming)!r})" if c.local else "")
        for c in plan.conflicts
    ]
    if conflicts:
        conflicts.insert(0, f"{len(conflicts)} conflicts left for the lead to decide:")
    kept = [f"  only here (kept) {'/'.join(p)}" for p in plan.local_only]
    return [*head, *lines, *conflicts, *kept]


def _plan_json(plan: MergePlan) -> dict[str, Any]:
    data = asdict(plan)
    for conflict in data["conflicts"]:
        conflict.pop("resolution", None)
    return data


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
