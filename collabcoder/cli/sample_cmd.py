"""``collabcoder sample``: build the bundled sample project."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    cmd = sub.add_parser("sample", help="build the sample project (collaborative working study)")
    cmd.add_argument("project", type=Path, help="the .ccproj file to write")
    cmd.add_argument("--source", type=Path, help="the sample folder (default: the bundled one)")
    cmd.add_argument("--replace", action="store_true", help="rebuild it if it exists")
    cmd.set_defaults(func=run_sample)


def run_sample(args: argparse.Namespace) -> int:
    from collabcoder.io.sample_project import build_sample_project, default_sample_folder

    folder = args.source or default_sample_folder()
    target = build_sample_project(folder, args.project, replace=args.replace)
    print(f"Built the sample project at {target}")
    return 0
