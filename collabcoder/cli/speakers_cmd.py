"""``collabcoder speakers``: the project's speakers, one person across documents.

speakers list PROJECT                       speakers, roles, documents, turns, words
speakers rename PROJECT NAME NEW
speakers merge PROJECT FROM INTO            every label meaning FROM means INTO
speakers role PROJECT ROLE NAME [NAME ...]
speakers attribute PROJECT NAME KEY [VALUE] (no VALUE clears it)
speakers alias PROJECT LABEL NAME [--document DOC]
"""

from __future__ import annotations

import argparse

from .common import open_project, print_json, print_table


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg, unused-ignore]
    from collabcoder.core.vocabulary import SPEAKER_ROLES

    parser = sub.add_parser(
        "speakers",
        help="the project's speakers: list, rename, merge, roles, attributes, aliases",
        description=(
            "Speakers are people across documents: a turn keeps the label its document wrote "
            "('MD'), and aliases say which speaker it means ('Michelle Drumm')."
        ),
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="speakers with their documents, turns and words")
    listing.add_argument("project")
    listing.add_argument("--documents", action="store_true", help="a line per speaker per document")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=run_list)

    rename = actions.add_parser("rename", help="rename a speaker (its labels keep meaning it)")
    rename.add_argument("project")
    rename.add_argument("name")
    rename.add_argument("new_name")
    rename.set_defaults(func=run_rename)

    merge = actions.add_parser("merge", help="merge one speaker into another")
    merge.add_argument("project")
    merge.add_argument("source", metavar="FROM")
    merge.add_argument("target", metavar="INTO")
    merge.set_defaults(func=run_merge)

    role = actions.add_parser("role", help="set speakers' role")
    role.add_argument("project")
    role.add_argument("role", choices=SPEAKER_ROLES)
    role.add_argument("names", nargs="+", metavar="NAME")
    role.set_defaults(func=run_role)

    attribute = actions.add_parser("attribute", help="set (or clear) an attribute of a speaker")
    attribute.add_argument("project")
    attribute.add_argument("name")
    attribute.add_argument("key", metavar="ATTRIBUTE")
    attribute.add_argument("value", nargs="?", help="the value (leave out to clear it)")
    attribute.set_defaults(func=run_attribute)

    alias = actions.add_parser("alias", help="make a turn label mean a speaker")
    alias.add_argument("project")
    alias.add_argument("label")
    alias.add_argument("name", help="the speaker it means")
    alias.add_argument("--document", help="only in this document (default: in every document)")
    alias.set_defaults(func=run_alias)


def run_list(args: argparse.Namespace) -> int:
    with open_project(args, read_only=True) as project:
        listings = project.speakers.list()
    if args.json:
        print_json(
            [
                {
                    "name": item.speaker.name,
                    "guid": item.speaker.guid,
                    "role": item.speaker.role,
                    "memo": item.speaker.memo,
                    "aliases": [
                        {"label": a.label, "document_id": a.document_id} for a in item.aliases
                    ],
                    "attributes": item.attributes,
                    "documents": [
                        {
                            "document": u.document,
                            "labels": list(u.labels),
                            "turns": u.turns,
                            "words": u.words,
                        }
                        for u in item.uses
                    ],
                    "turns": item.turns,
                    "words": item.words,
                }
                for item in listings
            ]
        )
    elif args.documents:
        print_table(
            ["speaker", "role", "document", "labels", "turns", "words"],
            [
                [item.speaker.name, item.speaker.role, u.document, ", ".join(u.labels), u.turns,
                 u.words]
                for item in listings
                for u in item.uses
            ],
        )  # fmt: skip
    else:
        print_table(
            ["speaker", "role", "documents", "turns", "words", "aliases", "attributes"],
            [
                [
                    item.speaker.name,
                    item.speaker.role,
                    item.documents,
                    item.turns,
                    item.words,
                    ", ".join(sorted({a.label for a in item.aliases})),
                    "; ".join(f"{k}={v}" for k, v in item.attributes.items()),
                ]
                for item in listings
            ],
        )
    return 0


def run_rename(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        speaker = project.speakers.by_name(args.name)
        project.speakers.rename(speaker.id, args.new_name)
    print(f"Renamed speaker {speaker.name!r} to {args.new_name.strip()!r}.")
    return 0


def run_merge(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        source = project.speakers.by_name(args.source)
        target = project.speakers.by_name(args.target)
        project.speakers.merge(source.id, target.id)
    print(f"Merged speaker {source.name!r} into {target.name!r}.")
    return 0


def run_role(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        speakers = [project.speakers.by_name(name) for name in args.names]
        project.speakers.set_role([s.id for s in speakers], args.role)
    print(f"{', '.join(s.name for s in speakers)}: {args.role}.")
    return 0


def run_attribute(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        speaker = project.speakers.by_name(args.name)
        project.speakers.set_attribute(speaker.id, args.key, args.value)
    shown = f"{args.key} = {args.value}" if args.value else f"{args.key} cleared"
    print(f"{speaker.name}: {shown}.")
    return 0


def run_alias(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        speaker = project.speakers.by_name(args.name)
        document = project.documents.by_name(args.document) if args.document else None
        project.speakers.alias(args.label, speaker.id, document.id if document else None)
    where = f"in {document.name}" if document else "in every document"
    print(f"{args.label.strip()!r} means {speaker.name} {where}.")
    return 0
