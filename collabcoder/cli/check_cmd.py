"""``collabcoder check PROJECT``: is the project sound?"""

from __future__ import annotations

import argparse

from .common import open_project, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    check = sub.add_parser(
        "check",
        help="check a project: SQLite's integrity check, segments inside their text, "
        "turns in order, references that resolve",
    )
    check.add_argument("project")
    check.add_argument("--json", action="store_true", help="print the problems as JSON")
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    with open_project(args, read_only=True) as project:
        report = project.check()
    if args.json:
        print_json(
            {"location": report.location, "sound": report.sound, "problems": report.problems}
        )
    elif report.sound:
        print(f"{report.location}: no problems found.")
    else:
        print(f"{report.location}: {len(report.problems)} problem(s):")
        for problem in report.problems:
            print(f"  {problem}")
    return 0 if report.sound else 1
