"""``collabcoder sets ...``: document sets, static (chosen documents) and smart (a query).

A smart set is defined with the same words as a search's or a matrix's filters
(``--where ATTRIBUTE=VALUE[,VALUE]``, ``--kinds``), and ``--set NAME`` then scopes search, query,
matrix, cooccurrence, report and suggest to it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .common import (
    add_where_option,
    open_project,
    parse_conditions,
    print_json,
    print_table,
    split_names,
)

if TYPE_CHECKING:
    from collabcoder.core.project import Project
    from collabcoder.core.sets import SetRecord, SmartQuery


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    sets = sub.add_parser(
        "sets",
        help="document sets: list, show, create, add, remove, smart, rename, delete",
        description="A static set holds the documents you put in it; a smart set holds the "
        "documents whose case attributes and kind match its query, worked out afresh each time. "
        "Use a set as scope with --set NAME on search, query, matrix, cooccurrence, report and "
        "suggest.",
    )
    actions = sets.add_subparsers(dest="sets_action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="every set with its size and query")
    listing.add_argument("project")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=run_list)

    show = actions.add_parser("show", help="a set's documents, description and query")
    show.add_argument("project")
    show.add_argument("name")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(func=run_show)

    create = actions.add_parser("create", help="a static set of the documents named")
    create.add_argument("project")
    create.add_argument("name")
    create.add_argument("documents", nargs="*", metavar="DOCUMENT", help="document names")
    create.add_argument("--description", default="", help="what the set is for")
    create.set_defaults(func=run_create)

    for verb, run, what in (
        ("add", run_add, "put documents into"),
        ("remove", run_remove, "take documents out of"),
    ):
        action = actions.add_parser(verb, help=f"{what} a static set")
        action.add_argument("project")
        action.add_argument("name")
        action.add_argument("documents", nargs="+", metavar="DOCUMENT", help="document names")
        action.set_defaults(func=run)

    smart = actions.add_parser(
        "smart", help="create a smart set, or change the query of an existing one"
    )
    smart.add_argument("project")
    smart.add_argument("name")
    add_where_option(smart)
    smart.add_argument("--kinds", help="only these kinds: transcript,fieldnotes,document")
    smart.add_argument("--description", help="what the set is for")
    smart.set_defaults(func=run_smart)

    rename = actions.add_parser("rename", help="give a set a new name")
    rename.add_argument("project")
    rename.add_argument("name")
    rename.add_argument("new_name")
    rename.set_defaults(func=run_rename)

    delete = actions.add_parser("delete", help="delete a set (its documents stay)")
    delete.add_argument("project")
    delete.add_argument("name")
    delete.set_defaults(func=run_delete)


def _kind(record: SetRecord) -> str:
    return "smart" if record.smart else "static"


def _plain(project: Project, record: SetRecord) -> dict[str, Any]:
    names = {d.id: d.name for d in project.documents.list()}
    return {
        "name": record.name,
        "kind": _kind(record),
        "description": record.description,
        "query": record.query.describe() if record.query else None,
        "documents": sorted(names[i] for i in project.sets.members(record.id)),
    }


def run_list(args: argparse.Namespace) -> int:
    with open_project(args, read_only=True) as project:
        listed = [_plain(project, record) for record in project.sets.list()]
    if args.json:
        print_json(listed)
        return 0
    print_table(
        ["set", "kind", "documents", "query or description"],
        [
            [s["name"], s["kind"], len(s["documents"]), s["query"] or s["description"]]
            for s in listed
        ],
    )
    return 0


def run_show(args: argparse.Namespace) -> int:
    with open_project(args, read_only=True) as project:
        shown = _plain(project, project.sets.by_name(args.name))
    if args.json:
        print_json(shown)
        return 0
    print(f"{shown['name']} ({shown['kind']} set, {len(shown['documents'])} documents)")
    if shown["query"]:
        print(f"Query: {shown['query']}")
    if shown["description"]:
        print(f"Description: {shown['description']}")
    for name in shown["documents"]:
        print(f"  {name}")
    return 0


def _document_ids(project: Project, names: list[str]) -> list[int]:
    return [project.documents.by_name(name).id for name in names]


def run_create(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        record = project.sets.create(
            args.name, _document_ids(project, args.documents), args.description
        )
        count = len(project.sets.members(record.id))
    print(f"Created the set {record.name!r} with {count} document(s).")
    return 0


def run_add(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        record = project.sets.by_name(args.name)
        added = project.sets.add(record.id, _document_ids(project, args.documents))
    print(f"Added {added} document(s) to {record.name!r}.")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        record = project.sets.by_name(args.name)
        removed = project.sets.remove(record.id, _document_ids(project, args.documents))
    print(f"Removed {removed} document(s) from {record.name!r}.")
    return 0


def _query(args: argparse.Namespace) -> SmartQuery:
    from collabcoder.core.sets import SmartQuery

    return SmartQuery(parse_conditions(args.where), split_names(args.kinds))


def run_smart(args: argparse.Namespace) -> int:
    from collabcoder.core.errors import NotFound

    query = _query(args)
    with open_project(args) as project:
        try:
            existing: SetRecord | None = project.sets.by_name(args.name)
        except NotFound:
            existing = None
        with project.undo_group(f"Smart set {args.name.strip()}"):
            if existing is None:
                record = project.sets.create_smart(args.name, query, args.description or "")
                verb = "Created"
            else:
                project.sets.edit_smart(existing.id, query)
                if args.description is not None:
                    project.sets.describe(existing.id, args.description)
                record, verb = project.sets.get(existing.id), "Changed"
        count = len(project.sets.members(record.id))
    described = record.query.describe() if record.query else ""
    print(f"{verb} the smart set {record.name!r} ({described}): {count} document(s) now.")
    return 0


def run_rename(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        record = project.sets.by_name(args.name)
        project.sets.rename(record.id, args.new_name)
    print(f"Renamed {record.name!r} to {args.new_name.strip()!r}.")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        record = project.sets.by_name(args.name)
        project.sets.delete(record.id)
    print(f"Deleted the set {record.name!r}; its documents stay in the project.")
    return 0
