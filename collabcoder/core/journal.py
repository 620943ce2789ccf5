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

from sqlalchemy import Connection, Table, and_, bindparam, delete, insert, select, tuple_, update
from sqlalchemy.sql.elements import ColumnElement

from . import search_index
from .changes import TABLE_KINDS, Changes
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
        stored: list[Row] = []
        for start in range(0, len(rows), _CHUNK):
            chunk = list(rows[start : start + _CHUNK])
            result = self.conn.execute(
                insert(table).returning(*table.c, sort_by_parameter_order=True), chunk
            )
            stored.extend(dict(r._mapping) for r in result)
        search_index.after_insert(self.conn, table.name, stored)
        self.entries.append(Entry(table.name, "insert", stored))
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


def changes_of(entries: Sequence[Entry], label: str, initiator: str) -> Changes:
    """Summarise journal entries as a ``Changes`` record."""
    ids: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        kind = TABLE_KINDS.get(entry.table, entry.table)
        for row in entry.rows:
            key = row["pk"] if entry.op == "update" else row
            # Turns, attribute values: report the document / case they belong to.
            ident = key.get("document_id") if entry.table == "turn" else None
            ident = ident if ident is not None else key.get("id", key.get("case_id"))
            ids[kind].add(ident if isinstance(ident, int) else 0)
    return Changes(label, initiator, {k: frozenset(v) for k, v in ids.items()})
