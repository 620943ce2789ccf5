"""Moving a whole project between locations (push to a team database, pull an offline copy),
and merging a copy back by GUID.

A copy keeps every id and GUID (the project's own GUID too), so a pulled copy can later be merged
into the team project: rows are matched by GUID (coders by name), new ones are added with their
references re-pointed, and rows changed on both sides are reported, never overwritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, insert, select, text

from .codes import EDITABLE_FIELDS
from .copy_merge import merge_headings_and_provenance, merge_saved_queries, merge_speakers
from .model import (
    Attribute,
    AttributeValue,
    Base,
    Case,
    Code,
    Coder,
    Document,
    Memo,
    Segment,
    Summary,
    Turn,
)
from .progress import Progress
from .sets_merge import merge_copied_sets
from .speakers import add_for_labels
from .storage import building, create_store, empty_url_store, is_url, upgrade_in

if TYPE_CHECKING:
    from .project import Project

_BATCH = 2000


def _rows(conn: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    result = conn.execution_options(yield_per=_BATCH).execute(select(table))
    for partition in result.mappings().partitions(_BATCH):
        yield [dict(r) for r in partition]


def ids_by_guid(conn: Connection, model: type[Base]) -> dict[str, int]:
    """GUID -> id of every row of ``model``: how a merge recognises what a project already has."""
    return {r.guid: r.id for r in conn.execute(select(model.guid, model.id))}  # type: ignore[attr-defined]


def _parents_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order code rows so every parent precedes its children (foreign keys are checked at once)."""
    by_parent: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        by_parent.setdefault(row["parent_id"], []).append(row)
    ordered, todo = [], list(by_parent.get(None, []))
    while todo:
        row = todo.pop()
        ordered.append(row)
        todo.extend(by_parent.get(row["id"], []))
    return ordered


def copy_project(source: Project, target: str | Path, progress: Progress | None = None) -> None:
    """Copy every row of ``source`` into a new project at ``target`` (which must not exist).

    Whole or nothing: on a database server the schema and the rows arrive in one transaction
    (PostgreSQL's DDL is transactional), so a server killed mid-push leaves the database empty
    for a retry; a file is built under a temporary name and renamed into place.
    """
    if is_url(target):
        store = empty_url_store(str(target))
        try:
            with store.engine.begin() as dst:
                upgrade_in(dst)
                _copy_rows(source, dst, store.is_sqlite, progress)
        finally:
            store.dispose()
        return
    with building(target) as temporary:
        store = create_store(temporary)
        try:
            with store.engine.begin() as dst:
                _copy_rows(source, dst, store.is_sqlite, progress)
        finally:
            store.dispose()


def _copy_rows(
    source: Project, dst: Connection, is_sqlite: bool, progress: Progress | None
) -> None:
    tables = list(Base.metadata.sorted_tables)
    tell = progress or (lambda _d, _t, _m: None)
    with source.read() as src:
        for n, table in enumerate(tables, start=1):
            tell(n - 1, len(tables), table.name)
            if table.name == "code":
                rows = [r for batch in _rows(src, table) for r in batch]
                if rows:
                    dst.execute(insert(table), _parents_first(rows))
                continue
            for batch in _rows(src, table):
                dst.execute(insert(table), batch)
        if not is_sqlite:
            _reset_sequences(dst, tables)
        tell(len(tables), len(tables), "done")


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Rows were inserted with explicit ids: move PostgreSQL's sequences past them."""
    for table in tables:
        if "id" in table.c and table.c.id.primary_key:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


@dataclass
class MergeReport:
    """What a merge added per kind, and what it left alone because both sides changed it."""

    added: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    def count(self, kind: str, n: int = 1) -> None:
        self.added[kind] = self.added.get(kind, 0) + n


# Fields compared to detect an edit on both sides (for rows present in both projects).
_COMPARED = {
    "code": EDITABLE_FIELDS,
    "memo": ("title", "text"),
    "summary": ("text",),
    "segment": ("start", "end"),
}


def merge_project(
    source: Project, target: Project, progress: Progress | None = None
) -> MergeReport:
    """Add to ``target`` everything of ``source`` it lacks (matched by GUID), as one undo step."""
    report = MergeReport()
    tell = progress or (lambda _d, _t, _m: None)
    with source.read() as src, target.write("Merge project copy") as journal:
        ids: dict[str, dict[int, int]] = {}
        steps: list[tuple[type[Base], str, dict[str, str]]] = [
                (Coder, "coders", {}),
                (Case, "cases", {}),
                (Attribute, "attributes", {}),
                (Document, "documents", {"case_id": "cases"}),
                (Code, "codes", {"parent_id": "codes", "modified_by": "coders"}),
                (Segment, "segments",
                 {"document_id": "documents", "code_id": "codes", "coder_id": "coders"}),
                (Summary, "summaries",
                 {"case_id": "cases", "code_id": "codes", "coder_id": "coders",
                  "modified_by": "coders"}),
                (Memo, "memos", {"coder_id": "coders", "modified_by": "coders"}),
            ]  # fmt: skip
        for n, (model, kind, refs) in enumerate(steps):
            tell(n, len(steps) + 2, kind)
            ids[kind] = _merge_table(src, journal, model, kind, refs, ids, report)
        conflict = report.conflicts.append
        if added := merge_speakers(src, journal, ids["documents"], conflict):
            report.count("speakers", added)
        _merge_turns(src, journal, ids["documents"], report)
        _merge_attribute_values(src, journal, ids, report)
        _remap_memo_targets(journal, ids, report)
        if added := merge_copied_sets(src, journal):
            report.count("sets", added)
        if added := merge_saved_queries(src, journal, ids["coders"], conflict):
            report.count("saved queries", added)
        headings, provenance = merge_headings_and_provenance(src, journal)
        for kind, n in (("headings", headings), ("autocode provenance", provenance)):
            if n:
                report.count(kind, n)
    tell(1, 1, "done")
    return report


def _key(model: type[Base]) -> str:
    return "name" if model is Coder else "guid"


def _merge_table(
    src: Connection,
    journal: Any,
    model: type[Base],
    kind: str,
    refs: dict[str, str],
    ids: dict[str, dict[int, int]],
    report: MergeReport,
) -> dict[int, int]:
    table: Table = model.__table__  # type: ignore[assignment]
    key = _key(model)
    # Coders match by name (each project registers its own coder); all else by GUID.
    existing = {r[key]: dict(r) for r in journal.conn.execute(select(table)).mappings()}
    mapping: dict[int, int] = {}
    rows = [r for batch in _rows(src, table) for r in batch]
    if model is Code:
        rows = _parents_first(rows)
    new_rows = []
    for row in rows:
        match = existing.get(row[key])
        if match is not None:
            mapping[row["id"]] = match["id"]
            changed = [f for f in _COMPARED.get(table.name, ()) if match[f] != row[f]]
            if changed:
                report.conflicts.append(
                    f"{table.name} {row.get('name') or row[key]}: differs in "
                    f"{', '.join(changed)}; the team project's version was kept"
                )
            continue
        new = {k: v for k, v in row.items() if k != "id"}
        for column, ref_kind in refs.items():
            if new.get(column) is not None:
                new[column] = ids[ref_kind].get(new[column], mapping.get(new[column]))
        if model is Code:
            # Children must point at parents inserted in this same pass.
            (stored,) = journal.insert(table, [new])
            mapping[row["id"]] = stored["id"]
            report.count(kind)
            continue
        new_rows.append((row["id"], new))
    stored_rows = journal.insert(table, [n for _, n in new_rows])
    for (old_id, _), stored in zip(new_rows, stored_rows, strict=True):
        mapping[old_id] = stored["id"]
    if stored_rows:
        report.count(kind, len(stored_rows))
    return mapping


def _merge_turns(
    src: Connection, journal: Any, documents: dict[int, int], report: MergeReport
) -> None:
    """Turns come with documents new to the target (existing documents keep theirs)."""
    have = set(journal.conn.scalars(select(Turn.document_id).distinct()))
    rows = []
    for batch in _rows(src, Turn.__table__):  # type: ignore[arg-type]
        for row in batch:
            target_doc = documents[row["document_id"]]
            if target_doc not in have:
                rows.append({**{k: v for k, v in row.items() if k != "id"},
                             "document_id": target_doc})  # fmt: skip
    journal.insert(Turn, rows)
    # A label new to the team project means a speaker there too (as on import).
    add_for_labels(journal, (row["speaker"] for row in rows))
    if rows:
        report.count("turns", len(rows))


def _merge_attribute_values(
    src: Connection, journal: Any, ids: dict[str, dict[int, int]], report: MergeReport
) -> None:
    dst = journal.conn
    have = {(r.case_id, r.attribute_id): r.value for r in dst.execute(select(AttributeValue))}
    rows = []
    for row in src.execute(select(AttributeValue)).mappings():
        key = (ids["cases"][row["case_id"]], ids["attributes"][row["attribute_id"]])
        if key not in have:
            rows.append({"case_id": key[0], "attribute_id": key[1], "value": row["value"]})
        elif have[key] != row["value"]:
            report.conflicts.append(
                f"attribute value for case {key[0]}: {row['value']!r} vs {have[key]!r}; "
                "the team project's value was kept"
            )
    journal.insert(AttributeValue, rows)


def _remap_memo_targets(journal: Any, ids: dict[str, dict[int, int]], report: MergeReport) -> None:
    """Memos just added still point at the source's ids of their targets: re-point them."""
    kinds = {"case": "cases", "document": "documents", "code": "codes", "segment": "segments"}
    added = [e for e in journal.entries if e.table == "memo" and e.op == "insert"]
    for entry in added:
        for row in entry.rows:
            target_kind = kinds.get(row["target_kind"])
            if target_kind and row["target_id"] is not None:
                new_target = ids[target_kind].get(row["target_id"])
                journal.update_row(Memo, row["id"], {"target_id": new_target})
