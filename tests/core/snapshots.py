"""Whole-database snapshots, to prove that undo restores every row exactly."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from collabcoder.core.model import Base
from collabcoder.core.project import Project

# The log of operations grows on undo too (it is history, not state).
_NOT_STATE = {"operation"}


def snapshot(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every state table, sorted, keyed by table name."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with project.read() as conn:
        for name, table in Base.metadata.tables.items():
            if name in _NOT_STATE:
                continue
            rows = conn.execute(select(table)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out
