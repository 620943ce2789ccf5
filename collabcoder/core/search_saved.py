"""Saved queries: a text search or a coding query kept in the project under a name.

The definition is plain JSON (the query, its options and scope as typed), so anyone on the team
can re-run it; saving under an existing name replaces it, as one undoable step.
:func:`run_saved` runs one as saved (the matrix's query columns, ``collabcoder matrix --query``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, select

from .errors import InvalidValue, NotFound
from .model import utcnow
from .progress import CancelToken
from .search_coding import Passage
from .search_eval import Scope, SearchOptions
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


# -- running a definition -------------------------------------------------------------------------
def _names(value: Any) -> tuple[str, ...]:
    """A definition's list of names: comma-separated text (as typed) or a list."""
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(n.strip() for n in str(value or "").split(",") if n.strip())


def _conditions(items: Any) -> dict[str, tuple[str, ...]]:
    """``["Funding=Grant,None"]`` (the CLI's ``--where``) as ``{"Funding": ("Grant", "None")}``."""
    out: dict[str, tuple[str, ...]] = {}
    for item in items or []:
        name, sep, values = str(item).partition("=")
        if not sep or not name.strip():
            raise InvalidValue(f"The condition {item!r} is not ATTRIBUTE=VALUE.")
        out[name.strip()] = _names(values)
    return out


def definition_scope(project: Project, definition: dict[str, Any]) -> Scope:
    """The scope a definition names (the keys the CLI and the Search dock save)."""
    return project.search.scope(
        documents=_names(definition.get("documents")),
        cases=_names(definition.get("cases")),
        kinds=_names(definition.get("kinds")),
        attributes=_conditions(definition.get("where")),
        speakers=_names(definition.get("speakers")),
        exclude_speakers=_names(definition.get("exclude_speakers")),
        coders=_names(definition.get("coders")),
        codes=_names(definition.get("coded_with")),
        sets=_names(definition.get("sets")),
        roles=_names(definition.get("role")),
        exclude_roles=_names(definition.get("exclude_role")),
    )


def definition_options(definition: dict[str, Any]) -> SearchOptions:
    return SearchOptions(
        lemmas=not definition.get("exact"),
        context=definition.get("within") or "paragraph",
        regex=bool(definition.get("regex")),
    )


def run_definition(
    project: Project,
    kind: str,
    definition: dict[str, Any],
    cancel: CancelToken | None = None,
    *,
    index: bool = True,
) -> list[Passage]:
    """Run a saved (or typed) definition; every result as a passage (a hit is its own span).

    ``index`` as for ``SearchManager.run`` (False on a thread that must not write)."""
    query = str(definition.get("query") or "")
    scope = definition_scope(project, definition)
    if kind == "coding":
        return project.search.coding_query(query, scope, cancel)
    options = definition_options(definition)
    hits = project.search.run(query, options, scope, cancel, index=index).hits
    return [Passage(h.document_id, h.document, h.start, h.end, h.text, h.speaker) for h in hits]


def find_saved(project: Project, name: str) -> SavedQueryRecord:
    """The saved query called ``name``: a coding query first, else a text search."""
    try:
        return get_query(project, name, "coding")
    except NotFound:
        pass
    try:
        return get_query(project, name, "text")
    except NotFound:
        names = ", ".join(repr(q.name) for q in saved_queries(project)) or "none"
        raise NotFound(
            f"No saved query called {name!r} in this project (saved: {names})."
        ) from None


def run_saved(
    project: Project, name: str, cancel: CancelToken | None = None, *, index: bool = True
) -> tuple[SavedQueryRecord, list[Passage]]:
    """Run the saved query ``name`` (see :func:`find_saved`) as it was saved."""
    record = find_saved(project, name)
    return record, run_definition(project, record.kind, record.definition, cancel, index=index)
