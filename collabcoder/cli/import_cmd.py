"""Import commands: ``import`` (files, folders), ``import-table`` (coded tables), ``documents``."""

from __future__ import annotations

import argparse
import signal
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collabcoder.core.vocabulary import DOCUMENT_KINDS

from .common import ProgressBar, coder_name, open_project, print_json, print_table

if TYPE_CHECKING:
    from collabcoder.core.project import Project
    from collabcoder.io.batch import BatchResult

KINDS = DOCUMENT_KINDS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    files = sub.add_parser(
        "import", help="import transcripts, field notes and documents (files or folders)"
    )
    files.add_argument("project")
    files.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files or folders")
    files.add_argument("--kind", choices=KINDS, help="override the detected kind")
    files.add_argument("--case", help="assign every document to this case (created if new)")
    files.add_argument(
        "--case-rule",
        metavar="REGEX",
        help="take the case from the file name: the (?P<case>...) group, first group or match",
    )
    files.add_argument("--json", action="store_true", help="print what was imported as JSON")
    files.set_defaults(func=run_import)

    table = sub.add_parser(
        "import-table", help="import a coded table (.csv/.xlsx): one document per row"
    )
    table.add_argument("project")
    table.add_argument("file", type=Path)
    table.add_argument(
        "--text",
        required=True,
        metavar="COL,...",
        help="the column of text; several columns give one document per answer",
    )
    table.add_argument("--id", metavar="COLUMN", help="names each row's document and case")
    table.add_argument("--attributes", metavar="COL,...", help="columns that become attributes")
    codes = table.add_mutually_exclusive_group()
    codes.add_argument("--codes", metavar="COL,...", help="0/1 columns, one per code (A..B: range)")
    codes.add_argument("--codes-from", metavar="COLUMN", help="a column of code names (; or |)")
    table.add_argument(
        "--coder", dest="table_coder", metavar="NAME", help="who coded the table (default: you)"
    )
    table.add_argument("--sheet", help="the Excel sheet to read (default: the first)")
    table.add_argument("--json", action="store_true", help="print what was imported as JSON")
    table.set_defaults(func=run_import_table)

    listing = sub.add_parser("documents", help="the documents of a project, with their speakers")
    listing.add_argument("project")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=run_documents)


def expand(paths: list[Path]) -> list[Path]:
    """Files as given, and the supported files inside any folder (recursively, sorted)."""
    from collabcoder.io.formats import supported_suffixes

    suffixes = set(supported_suffixes())
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
            )
        else:
            found.append(path)
    return found


def run_import(args: argparse.Namespace) -> int:
    from collabcoder.io.batch import import_files

    paths = expand(args.files)
    # `kill` (SIGTERM) stops the batch like Ctrl-C, so it still reports what went in.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with open_project(args) as project:
            result = import_files(
                project,
                paths,
                kind=args.kind,
                case=args.case,
                case_rule=args.case_rule,
                progress=ProgressBar("Importing"),
            )
    finally:
        signal.signal(signal.SIGTERM, previous)
    if args.json:
        print_json(result.to_json())
    else:
        print(_summary(result))
        for item in result.skipped:
            print(f"skipped {item.reason}")
    for warning in (w for imported in result.imported for w in imported.warnings):
        print(f"collabcoder: warning: {warning}", file=sys.stderr)
    for item in result.failed:
        print(f"collabcoder: {item.reason}", file=sys.stderr)
    if result.stopped or result.not_imported:
        _report_stop(result)
    if result.stopped == "interrupted":
        return 130
    return 1 if result.failed or result.stopped else 0


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _report_stop(result: BatchResult) -> None:
    """Which files are in the project and which are not, once a batch stopped early."""
    why = f"stopped: {result.stopped}" if result.stopped else "cancelled"
    print(f"collabcoder: {why}", file=sys.stderr)
    went_in = ", ".join(Path(item.path).name for item in result.imported) or "none"
    left = ", ".join(Path(path).name for path in result.not_imported) or "none"
    print(f"collabcoder: imported before the stop: {went_in}", file=sys.stderr)
    print(f"collabcoder: not imported: {left}", file=sys.stderr)


def _summary(result: BatchResult) -> str:
    kinds = Counter(item.kind for item in result.imported)
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    turns = sum(item.turns for item in result.imported)
    line = f"Imported {len(result.imported)} files"
    if detail:
        line += f" ({detail}; {turns} turns)"
    return f"{line}; skipped {len(result.skipped)}; failed {len(result.failed)}."


def run_import_table(args: argparse.Namespace) -> int:
    from collabcoder.io.batch import import_table
    from collabcoder.io.tables import read_table, select_columns

    table = read_table(args.file, sheet=args.sheet)
    attributes = select_columns(table, args.attributes) if args.attributes else []
    code_columns = select_columns(table, args.codes) if args.codes else []
    with open_project(args) as project:
        result = import_table(
            project,
            args.file,
            text_column=select_columns(table, args.text),
            id_column=args.id,
            attribute_columns=attributes,
            code_columns=code_columns,
            codes_from=args.codes_from,
            coder=args.table_coder or coder_name(args),
            sheet=args.sheet,
            progress=ProgressBar("Importing rows"),
        )
    if args.json:
        print_json(result.to_json())
    elif result.skipped:
        print(f"skipped {result.skipped}")
    else:
        print(
            f"Imported {result.documents} documents, {result.cases} new cases, "
            f"{result.segments} segments ({len(result.codes_created)} new codes)."
        )
    for warning in result.warnings:
        print(f"collabcoder: warning: {warning}", file=sys.stderr)
    return 0


def run_documents(args: argparse.Namespace) -> int:
    with open_project(args, read_only=True) as project:
        rows = document_rows(project)
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["document", "kind", "case", "words", "speakers (turns)", "metadata"],
        [
            [
                row["name"],
                row["kind"],
                row["case"] or "",
                row["words"],
                ", ".join(f"{s['speaker']} {s['turns']}" for s in row["speakers"]),
                "; ".join(f"{k}={v}" for k, v in row["meta"].items()),
            ]
            for row in rows
        ],
    )
    return 0


def document_rows(project: Project) -> list[dict[str, Any]]:
    """Each document with its kind, case, metadata, word count and speakers' turn counts."""
    cases = {case.id: case.name for case in project.cases.list()}
    speakers: dict[int, Counter[str]] = {}
    for turn in project.documents.turns():
        speakers.setdefault(turn.document_id, Counter())[turn.speaker] += 1
    return [
        {
            "id": document.id,
            "name": document.name,
            "kind": document.kind,
            "case": cases.get(document.case_id) if document.case_id else None,
            "words": document.word_count,
            "source": document.source_name,
            "meta": document.meta,
            "speakers": [
                {"speaker": speaker, "turns": count}
                for speaker, count in speakers.get(document.id, Counter()).most_common()
            ],
        }
        for document in project.documents.list()
    ]
