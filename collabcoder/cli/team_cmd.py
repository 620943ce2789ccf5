"""Team commands: push a local project to a shared database, pull an offline copy."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import ProgressBar, coder_name, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    push = sub.add_parser(
        "push",
        help="copy a local project into a team database (or merge it into the team project)",
    )
    push.add_argument("project", help="the local .ccproj file")
    push.add_argument("url", help="postgresql+psycopg://user@host/dbname")
    push.add_argument("--json", action="store_true", help="print what was added as JSON")
    push.set_defaults(func=run_push)

    pull = sub.add_parser(
        "pull", help="make an offline copy of a team project (or merge team changes into one)"
    )
    pull.add_argument("url", help="postgresql+psycopg://user@host/dbname")
    pull.add_argument("project", help="the local .ccproj file")
    pull.add_argument("--json", action="store_true", help="print what was added as JSON")
    pull.set_defaults(func=run_pull)


def _transfer(source: str, target: str, args: argparse.Namespace) -> int:
    """Copy when the target holds no project; merge by GUID when it holds the same project."""
    from collabcoder.core.errors import NotAProject, ProjectNotFound
    from collabcoder.core.project import Project
    from collabcoder.core.storage import is_url
    from collabcoder.core.transfer import copy_project, merge_project

    from .common import open_location

    coder = coder_name(args)
    with open_location(source, coder, read_only=True) as origin:
        try:
            destination = Project.open(target, coder=coder)
        except (ProjectNotFound, NotAProject):
            if not is_url(target) and Path(target).exists():
                raise
            copy_project(origin, target, progress=ProgressBar("Copying"))
            print(f"Copied {origin.location} to {target}.")
            return 0
        with destination:
            if destination.guid != origin.guid:
                raise NotAProject(
                    f"{destination.location}: holds a different project "
                    f"({destination.name!r}); nothing was changed"
                )
            report = merge_project(origin, destination, progress=ProgressBar("Merging"))
    if args.json:
        print_json({"added": report.added, "conflicts": report.conflicts})
    else:
        added = ", ".join(f"{n} {kind}" for kind, n in report.added.items()) or "nothing new"
        print(f"Merged into {target}: {added}.")
        for conflict in report.conflicts:
            print(f"  kept the existing version: {conflict}")
    return 0


def run_push(args: argparse.Namespace) -> int:
    return _transfer(args.project, args.url, args)


def run_pull(args: argparse.Namespace) -> int:
    return _transfer(args.url, args.project, args)
