"""Saved queries: a text search or a coding query kept in the project under a name.

The definition is plain JSON (the query, its options and scope as typed), so anyone on the team
can re-run it; saving under an existing name replaces it, as one undoable step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, select

from .errors import InvalidValue, NotFound
from .model import utcnow
from .search_schema import SavedQuery

if TYPE_CHECKING:
    from .project import Project

KINDS = ("text", "coding")


@dataclass(frozen=True)
class SavedQueryRecord:
    id: int
    name: str
    kind: str
    definition: dict[str, Any]
    coder_id: int
    modified: str


def _record(row: Any) -> SavedQueryRecord:
    return SavedQueryRecord(
        row.id, row.name, row.kind, json.loads(row.definition), row.coder_id, row.modified
    )


def save_query(
    project: Project, name: str, kind: str, definition: dict[str, Any]
) -> SavedQueryRecord:
    """Keep ``definition`` under ``name`` (replacing a saved query of that name and kind)."""
    clean = name.strip()
    if not clean:
        raise InvalidValue("A saved query needs a name.")
    if kind not in KINDS:
        raise InvalidValue(f"A saved query is one of: {', '.join(KINDS)}.")
    values = {
        "definition": json.dumps(definition, ensure_ascii=False, sort_keys=True),
        "coder_id": project.coder.id,
        "modified": utcnow(),
    }
    where = and_(SavedQuery.name == clean, SavedQuery.kind == kind)
    with project.write(f"Save query {clean}") as journal:
        if not journal.update_where(SavedQuery, where, values):
            journal.insert(SavedQuery, [{"name": clean, "kind": kind, **values}])
    return get_query(project, clean, kind)


def saved_queries(project: Project, kind: str | None = None) -> list[SavedQueryRecord]:
    query = select(SavedQuery).order_by(SavedQuery.kind, SavedQuery.name)
    if kind is not None:
        query = query.where(SavedQuery.kind == kind)
    with project.read() as conn:
        return [_record(r) for r in conn.execute(query)]


def get_query(project: Project, name: str, kind: str) -> SavedQueryRecord:
    for record in saved_queries(project, kind):
        if record.name.casefold() == name.strip().casefold():
            return record
    raise NotFound(f"No saved {kind} query called {name!r} in this project.")


def delete_query(project: Project, name: str, kind: str) -> None:
    record = get_query(project, name, kind)
    with project.write(f"Delete query {record.name}") as journal:
        journal.delete_where(SavedQuery, SavedQuery.id == record.id)
