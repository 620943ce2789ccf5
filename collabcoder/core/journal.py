"""Row-level journal: every write with its before-image, so any step can be undone exactly.

All project mutations write through a ``Journal`` bound to one transaction. It records inserted
rows, deleted rows (whole) and updated rows (old and new values), which is all undo and redo need:
undo applies the inverse of each entry in reverse order, redo applies them again. Nothing about a
particular command has to be written twice, and "undo a merge" restores every segment exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import (
    Connection,
    Integer,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.sql.elements import ColumnElement

from . import search_index
from .changes import TABLE_KINDS, Changes, Delta, Kind, Source
from .errors import Conflict
from .model import Base

Row = dict[str, Any]
Op = Literal["insert", "delete", "update"]
_CHUNK = 500


@dataclass
class Entry:
    """One write: the table, the operation and the rows it touched.

    For ``update`` each row is ``{"pk": {...}, "old": {...}, "new": {...}}``.
    """

    table: str
    op: Op
    rows: list[Row]


def _table(model: type[Base] | Table) -> Table:
    return model if isinstance(model, Table) else model.__table__  # type: ignore[return-value]


def _pk_names(table: Table) -> list[str]:
    return [c.name for c in table.primary_key.columns]


def _integer_id(table: Table) -> bool:
    """The table's key is one integer ``id`` column that the database numbers."""
    names = _pk_names(table)
    return (
        names == ["id"]
        and table.c.id.autoincrement in (True, "auto")
        and isinstance(table.c.id.type, Integer)
    )


def _pk_clause(table: Table, prefix: str = "pk_") -> ColumnElement[bool]:
    return and_(*(table.c[n] == bindparam(prefix + n) for n in _pk_names(table)))


@dataclass
class Journal:
    """Writes through one connection, remembering how to reverse them."""

    conn: Connection
    entries: list[Entry] = field(default_factory=list)

    # -- writes -------------------------------------------------------------------------------
    def insert(self, model: type[Base] | Table, rows: Sequence[Row]) -> list[Row]:
        """Insert ``rows``; return them as stored (with ids and defaults), in the given order."""
        if not rows:
            return []
        table = _table(model)
        if self.conn.dialect.name == "sqlite" and _integer_id(table):
            stored = self._insert_numbered(table, rows)
        else:
            stored = []
            for start in range(0, len(rows), _CHUNK):
                chunk = list(rows[start : start + _CHUNK])
                result = self.conn.execute(
                    insert(table).returning(*table.c, sort_by_parameter_order=True), chunk
                )
                stored.extend(dict(r._mapping) for r in result)
        search_index.after_insert(self.conn, table.name, stored)
        self.entries.append(Entry(table.name, "insert", stored))
        return stored

    def _insert_numbered(self, table: Table, rows: Sequence[Row]) -> list[Row]:
        """Insert with ids assigned here, then read the stored rows back by id.

        SQLite cannot return RETURNING rows in parameter order from one batch, so SQLAlchemy
        would run one statement per row. The write transaction holds SQLite's write lock from
        its first statement, so nobody else can take the ids; they are the ones SQLite would
        pick itself (an ``INTEGER PRIMARY KEY`` without AUTOINCREMENT takes max + 1).
        """
        id_column = table.c.id
        given = [row["id"] for row in rows if row.get("id") is not None]
        top = self.conn.scalar(select(func.max(id_column))) or 0
        next_id = max(top, *given) + 1 if given else top + 1
        numbered: list[Row] = []
        for row in rows:
            if row.get("id") is None:
                row = {**row, "id": next_id}
                next_id += 1
            numbered.append(row)
        stored: list[Row] = []
        read_back = select(table).where(id_column.in_(bindparam("ids", expanding=True)))
        for start in range(0, len(numbered), _CHUNK):
            chunk = numbered[start : start + _CHUNK]
            self.conn.execute(insert(table), chunk)
            ids = [row["id"] for row in chunk]
            result = self.conn.execute(read_back, {"ids": ids})
            names = list(result.keys())
            found = {row.id: dict(zip(names, row, strict=True)) for row in result.all()}
            stored.extend(found[i] for i in ids)
        return stored

    def delete_where(self, model: type[Base] | Table, where: ColumnElement[bool]) -> list[Row]:
        """Delete the rows matching ``where``; return them (whole, as they were)."""
        table = _table(model)
        rows = self._locked_rows(table, where)
        if rows:
            self._delete_rows(table, rows)
            self.entries.append(Entry(table.name, "delete", rows))
        return rows

    def update_where(
        self, model: type[Base] | Table, where: ColumnElement[bool], values: Row
    ) -> list[Row]:
        """Set ``values`` on the rows matching ``where``; return their old images."""
        table = _table(model)
        old_rows = self._locked_rows(table, where)
        changes = []
        for old in old_rows:
            before = {k: old[k] for k in values if old[k] != values[k]}
            if before:
                pk = {n: old[n] for n in _pk_names(table)}
                changes.append({"pk": pk, "old": before, "new": {k: values[k] for k in before}})
        if changes:
            self._apply_updates(table, [(c["pk"], c["new"]) for c in changes])
            self.entries.append(Entry(table.name, "update", changes))
        return old_rows

    def update_row(self, model: type[Base] | Table, pk: int, values: Row) -> Row:
        """Update the row with primary key ``id == pk``; return its old image."""
        table = _table(model)
        rows = self.update_where(table, table.c.id == pk, values)
        return rows[0] if rows else {}

    def _locked_rows(self, table: Table, where: ColumnElement[bool]) -> list[Row]:
        """Rows about to change, locked (on PostgreSQL) so a concurrent writer waits for us and
        then re-checks its own conditions, instead of overwriting our change unseen."""
        query = select(table).where(where).with_for_update()
        return [dict(r._mapping) for r in self.conn.execute(query)]

    # -- replay -------------------------------------------------------------------------------
    def undo_entries(self, entries: Sequence[Entry]) -> None:
        """Apply the inverse of ``entries``, newest first."""
        for entry in reversed(entries):
            table = Base.metadata.tables[entry.table]
            if entry.op == "insert":
                self._delete_rows(table, entry.rows)
            elif entry.op == "delete":
                self._insert_rows(table, entry.rows)
            else:
                self._check_unchanged(table, entry.rows, "new")
                self._apply_updates(table, [(r["pk"], r["old"]) for r in entry.rows])

    def redo_entries(self, entries: Sequence[Entry]) -> None:
        """Apply ``entries`` again, oldest first."""
        for entry in entries:
            table = Base.metadata.tables[entry.table]
            if entry.op == "insert":
                self._insert_rows(table, entry.rows)
            elif entry.op == "delete":
                self._delete_rows(table, entry.rows)
            else:
                self._check_unchanged(table, entry.rows, "old")
                self._apply_updates(table, [(r["pk"], r["new"]) for r in entry.rows])

    def _check_unchanged(self, table: Table, rows: Sequence[Row], side: str) -> None:
        """Refuse to replay an update over values someone else has changed since."""
        names = _pk_names(table)
        single = len(names) == 1
        key = table.c[names[0]] if single else tuple_(*(table.c[n] for n in names))
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            wanted = [tuple(row["pk"][n] for n in names) for row in chunk]
            where = key.in_([pk[0] for pk in wanted] if single else wanted)
            current = {tuple(now[n] for n in names): now for now in self._locked_rows(table, where)}
            for pk, row in zip(wanted, chunk, strict=True):
                now = current.get(pk)
                if now is None or any(now[k] != v for k, v in row[side].items()):
                    raise Conflict(
                        "Another coder has changed the same data since; "
                        "nothing was undone or redone."
                    )

    # -- helpers ------------------------------------------------------------------------------
    def _insert_rows(self, table: Table, rows: Sequence[Row]) -> None:
        for start in range(0, len(rows), _CHUNK):
            self.conn.execute(insert(table), list(rows[start : start + _CHUNK]))
        search_index.after_insert(self.conn, table.name, rows)

    def _delete_rows(self, table: Table, rows: Sequence[Row]) -> None:
        # Derived rows (the search index) go first: they refer to the rows being deleted.
        search_index.before_delete(self.conn, table.name, rows)
        names = _pk_names(table)
        params = [{"pk_" + n: r[n] for n in names} for r in rows]
        self.conn.execute(delete(table).where(_pk_clause(table)), params)

    def _apply_updates(self, table: Table, updates: Iterable[tuple[Row, Row]]) -> None:
        # executemany needs the same columns in every parameter set: group by column set.
        groups: dict[tuple[str, ...], list[Row]] = defaultdict(list)
        for pk, values in updates:
            keys = tuple(sorted(values))
            groups[keys].append(
                {**{"pk_" + k: v for k, v in pk.items()}, **{"v_" + k: values[k] for k in keys}}
            )
        for keys, params in groups.items():
            stmt = (
                update(table)
                .where(_pk_clause(table))
                .values({k: bindparam("v_" + k) for k in keys})
            )
            self.conn.execute(stmt, params)


# The references a view may want to recount by: a segment's code (Codebook counts) and document.
REFERENCED = {"segment": ("code_id", "document_id")}


def changes_of(entries: Sequence[Entry], label: str) -> Changes:
    """Summarise journal entries as a ``Changes`` record: rows inserted, removed, updated per kind.

    A row both inserted and removed within one step (or removed and put back) is reported as
    updated, which a view handles by looking the row up again.
    """
    rows: dict[Kind, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    refs: dict[Kind, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for entry in entries:
        kind = TABLE_KINDS[entry.table]
        for row in entry.rows:
            key = row["pk"] if entry.op == "update" else row
            if entry.table in REFERENCED:
                sides = (row["old"], row["new"]) if entry.op == "update" else (row,)
                for column in REFERENCED[entry.table]:
                    for side in sides:
                        if isinstance(side.get(column), int):
                            refs[kind][column].add(side[column])
            # Turns and attribute values change the document / case they belong to.
            if entry.table == "turn":
                rows[kind]["update"].add(int(key["document_id"]))
            elif entry.table == "attribute_value":
                rows[kind]["update"].add(int(key["case_id"]))
            elif entry.table == "document_set_member":
                rows[kind]["update"].add(int(key["set_id"]))
            elif entry.table in ("speaker_alias", "speaker_attribute"):
                # An alias or attribute changes the speaker(s) it belongs to.
                sides = (row["old"], row["new"]) if entry.op == "update" else (row,)
                for side in sides:
                    if isinstance(side.get("speaker_id"), int):
                        rows[kind]["update"].add(side["speaker_id"])
                if entry.op == "update" and "speaker_id" in key:  # an attribute's new value
                    rows[kind]["update"].add(int(key["speaker_id"]))
            else:
                rows[kind][entry.op].add(int(key.get("id") or 0))  # project_info: by key
    kinds: dict[Kind, Delta] = {}
    for kind, ops in rows.items():
        inserted, removed = ops["insert"], ops["delete"]
        both = inserted & removed
        inserted, removed = inserted - both, removed - both
        updated = (ops["update"] | both) - inserted - removed
        found = {column: frozenset(ids) for column, ids in refs[kind].items()}
        kinds[kind] = Delta(frozenset(inserted), frozenset(removed), frozenset(updated), refs=found)
    return Changes(label, Source.DO, kinds)
