"""Retrieval commands: ``search`` (text), ``query`` (coding), ``code-turns``, ``code-headings``,
``queries``.

``--code-as CODE`` shows what would be coded first; ``--yes`` codes it, as one undo step.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .common import (
    add_role_options,
    add_set_option,
    add_where_option,
    open_project,
    parse_conditions,
    print_json,
    print_table,
    roles_of,
    split_names,
)

if TYPE_CHECKING:
    from collabcoder.core.project import Project
    from collabcoder.core.search_autocode import Span
    from collabcoder.core.search_eval import Scope


def _add_scope(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("scope (comma-separated names)")
    group.add_argument("--documents", help="only these documents")
    group.add_argument("--cases", help="only documents of these cases")
    group.add_argument("--kinds", help="only these kinds: transcript,fieldnotes,document")
    add_where_option(group)
    add_set_option(group)
    group.add_argument("--speakers", help="only these speakers' turns")
    group.add_argument("--exclude-speakers", help="leave out these speakers' turns")
    add_role_options(group)
    group.add_argument("--coders", help="only coding by these coders")


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--out", metavar="FILE", help="write the results to .csv or .xlsx")
    parser.add_argument("--save", metavar="NAME", help="save the query in the project")
    coding = parser.add_mutually_exclusive_group()
    coding.add_argument("--code-as", metavar="CODE", help="code the results with this code")
    coding.add_argument(
        "--new-code", metavar="PATH", help="code the results with a new code (Parent/Name)"
    )
    parser.add_argument("--yes", action="store_true", help="with --code-as: code, not preview")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg, unused-ignore]
    search = sub.add_parser("search", help="search every document's text (KWIC results)")
    search.add_argument("project")
    search.add_argument("query", nargs="?", help='words, "phrases", AND OR NOT NEAR/n, wild*')
    search.add_argument("--saved", metavar="NAME", help="run a saved search")
    search.add_argument("--exact", action="store_true", help="match words exactly, not lemmas")
    search.add_argument("--regex", action="store_true", help="the query is a regular expression")
    search.add_argument(
        "--within",
        default="paragraph",
        choices=("sentence", "paragraph", "turn", "document"),
        help="where AND, NOT and NEAR look for the other words (default: paragraph)",
    )
    search.add_argument("--coded-with", help="only text coded with these codes")
    search.add_argument(
        "--as",
        dest="unit",
        default="hit",
        choices=("hit", "sentence", "paragraph", "turn"),
        help="with --code-as: code each hit, its sentence, paragraph or turn",
    )
    _add_scope(search)
    _add_output(search)
    search.set_defaults(func=run_search)

    query = sub.add_parser("query", help="coding query: codes with AND OR NOT and relations")
    query.add_argument("project")
    query.add_argument("query", nargs="?", help='e.g. "Trust" NEAR/20 Funding')
    query.add_argument("--saved", metavar="NAME", help="run a saved coding query")
    _add_scope(query)
    _add_output(query)
    query.set_defaults(func=run_query)

    turns = sub.add_parser("code-turns", help="code every turn of a speaker")
    turns.add_argument("project")
    turns.add_argument("speaker")
    turns.add_argument("--code-as", metavar="CODE", required=True)
    turns.add_argument("--documents", help="only these documents (comma-separated)")
    turns.add_argument("--yes", action="store_true", help="code, not preview")
    turns.add_argument("--json", action="store_true", help="print JSON")
    turns.set_defaults(func=run_code_turns)

    headings = sub.add_parser(
        "code-headings", help="code the section under each heading that holds some words"
    )
    headings.add_argument("project")
    headings.add_argument("text", help="words of the headings (or a regex with --regex)")
    headings.add_argument("--regex", action="store_true", help="TEXT is a regular expression")
    headings.add_argument("--level", type=int, help="only headings of this level (1 = top)")
    headings.add_argument("--documents", help="only these documents (comma-separated)")
    headings_code = headings.add_mutually_exclusive_group()
    headings_code.add_argument("--code-as", metavar="CODE", help="code the sections with it")
    headings_code.add_argument("--new-code", metavar="PATH", help="code them with a new code")
    headings.add_argument("--yes", action="store_true", help="code, not preview")
    headings.add_argument("--json", action="store_true", help="print JSON")
    headings.set_defaults(func=run_code_headings)

    saved = sub.add_parser("queries", help="list (or delete) the project's saved queries")
    saved.add_argument("project")
    saved.add_argument("--delete", metavar="NAME", help="delete this saved query")
    saved.add_argument("--kind", default="text", choices=("text", "coding"))
    saved.add_argument("--json", action="store_true", help="print JSON")
    saved.set_defaults(func=run_queries)


def _scope(project: Project, args: argparse.Namespace, *, codes: bool = False) -> Scope:
    roles, exclude_roles = roles_of(args)
    return project.search.scope(
        documents=split_names(args.documents),
        cases=split_names(getattr(args, "cases", None)),
        kinds=split_names(getattr(args, "kinds", None)),
        attributes=parse_conditions(getattr(args, "where", [])),
        speakers=split_names(getattr(args, "speakers", None)),
        exclude_speakers=split_names(getattr(args, "exclude_speakers", None)),
        coders=split_names(getattr(args, "coders", None)),
        codes=split_names(getattr(args, "coded_with", None)) if codes else (),
        sets=tuple(getattr(args, "sets", None) or ()),
        roles=roles,
        exclude_roles=exclude_roles,
    )


def _definition(project: Project, args: argparse.Namespace, kind: str) -> dict[str, Any]:
    """The query and options as typed, or those of the saved query named by ``--saved``."""
    from collabcoder.core.errors import InvalidValue
    from collabcoder.core.search_saved import get_query

    if args.saved:
        saved = get_query(project, args.saved, kind).definition
        for key, value in saved.items():
            setattr(args, key, value)
    if not args.query:
        raise InvalidValue("Give a query to run (or --saved NAME).")
    keys = [
        "query",
        "documents",
        "cases",
        "kinds",
        "where",
        "sets",
        "speakers",
        "exclude_speakers",
        "role",
        "exclude_role",
        "coders",
    ] + (["exact", "regex", "within", "coded_with"] if kind == "text" else [])
    return {key: getattr(args, key) for key in keys}


def _code(project: Project, args: argparse.Namespace, spans: list[Span], provenance: str) -> int:
    """Preview (or, with --yes, apply) coding ``spans`` with ``--code-as`` or ``--new-code``."""
    new = getattr(args, "new_code", None)
    path = new.strip() if new else project.codes.path(project.codes.by_path(args.code_as).id)
    if not args.yes:
        if not args.json:
            print_table(
                ["document", "start", "end", "passage"],
                [[s.document, s.start, s.end, s.text.replace("\n", " ")] for s in spans],
            )
            print(
                f"\n{len(spans)} passage(s) would be coded as {'new code ' if new else ''}"
                f"{path}; add --yes to code them."
            )
        else:
            print_json({"preview": [asdict(s) for s in spans]})
        return 0
    if new:
        result = project.search.autocode_new(spans, path, provenance)
    else:
        result = project.search.autocode(spans, project.codes.by_path(path).id, provenance)
    summary = {
        "coded": len(result.segments),
        "already_coded": result.already_coded,
        "code": path,
        "provenance": provenance,
    }
    if args.json:
        print_json(summary)
    else:
        print(
            f"Coded {summary['coded']} passage(s) as {summary['code']} "
            f"({result.already_coded} already coded); Edit > Undo takes it back."
        )
    return 0


def run_search(args: argparse.Namespace) -> int:
    from collabcoder.core.search_eval import SearchOptions
    from collabcoder.core.search_saved import save_query
    from collabcoder.io.search_export import HIT_COLUMNS, hit_rows, write_rows

    writes = bool(args.save or ((args.code_as or args.new_code) and args.yes))
    with open_project(args, read_only=not writes) as project:
        definition = _definition(project, args, "text")
        options = SearchOptions(lemmas=not args.exact, context=args.within, regex=args.regex)
        result = project.search.run(args.query, options, _scope(project, args, codes=True))
        if args.save:
            save_query(project, args.save, "text", definition)
        if args.code_as or args.new_code:
            spans = project.search.preview_autocode(result.hits, args.unit)
            return _code(project, args, spans, result.provenance())
    if args.out:
        write_rows(args.out, HIT_COLUMNS, hit_rows(result.hits))
    if args.json:
        print_json(
            {
                "query": result.query,
                "documents": result.documents,
                "hits": [asdict(h) for h in result.hits],
            }
        )
    elif not args.out:
        rows = [
            [
                h.document,
                h.speaker,
                h.start,
                f"{h.before[-40:]}[{h.text}]{h.after[:40]}".replace("\n", " "),
            ]
            for h in result.hits
        ]
        print_table(["document", "speaker", "at", "in context"], rows)
        print(
            f"\n{len(result.hits)} hit(s) in {result.documents} document(s), "
            f"{result.seconds * 1000:.0f} ms."
        )
    return 0


def run_query(args: argparse.Namespace) -> int:
    from collabcoder.core.search_autocode import Span
    from collabcoder.core.search_saved import save_query
    from collabcoder.io.search_export import PASSAGE_COLUMNS, passage_rows, write_rows

    writes = bool(args.save or ((args.code_as or args.new_code) and args.yes))
    with open_project(args, read_only=not writes) as project:
        definition = _definition(project, args, "coding")
        passages = project.search.coding_query(args.query, _scope(project, args))
        if args.save:
            save_query(project, args.save, "coding", definition)
        if args.code_as or args.new_code:
            spans = [Span(p.document_id, p.document, p.start, p.end, p.text) for p in passages]
            return _code(project, args, spans, f"coding query {args.query!r}")
    if args.out:
        write_rows(args.out, PASSAGE_COLUMNS, passage_rows(passages))
    if args.json:
        print_json([asdict(p) for p in passages])
    elif not args.out:
        rows = [[p.document, p.speaker, p.start, p.text.replace("\n", " ")] for p in passages]
        print_table(["document", "speaker", "at", "passage"], rows)
        print(f"\n{len(passages)} passage(s).")
    return 0


def run_code_turns(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        scope = project.search.scope(documents=split_names(args.documents))
        spans = project.search.preview_speaker(args.speaker, scope)
        return _code(project, args, spans, f"every turn of {args.speaker}")


def run_code_headings(args: argparse.Namespace) -> int:
    """Without a code: list the matching sections. With one: preview, or code with --yes."""
    from collabcoder.core.search_headings import preview_headings, provenance

    writes = bool((args.code_as or args.new_code) and args.yes)
    with open_project(args, read_only=not writes) as project:
        scope = project.search.scope(documents=split_names(args.documents))
        spans = preview_headings(
            project, args.text, regex=args.regex, level=args.level, document_ids=scope.document_ids
        )
        if args.code_as or args.new_code:
            return _code(project, args, spans, provenance(args.text, args.regex, args.level))
    if args.json:
        print_json([asdict(s) for s in spans])
    else:
        print_table(
            ["document", "start", "end", "section"],
            [[s.document, s.start, s.end, s.text.split("\n", 1)[0]] for s in spans],
        )
        print(f"\n{len(spans)} section(s); add --code-as CODE (or --new-code PATH) to code them.")
    return 0


def run_queries(args: argparse.Namespace) -> int:
    from collabcoder.core.search_saved import delete_query, saved_queries

    with open_project(args, read_only=not args.delete) as project:
        if args.delete:
            delete_query(project, args.delete, args.kind)
            print(f"Deleted the saved {args.kind} query {args.delete!r}.")
            return 0
        saved = saved_queries(project)
    if args.json:
        print_json([{"name": q.name, "kind": q.kind, **q.definition} for q in saved])
    else:
        print_table(
            ["name", "kind", "query"], [[q.name, q.kind, q.definition["query"]] for q in saved]
        )
    return 0
