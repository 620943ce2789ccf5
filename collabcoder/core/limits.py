"""Size limits every database enforces alike: checked before SQL runs, in one place.

PostgreSQL enforces ``VARCHAR(n)``; SQLite stores any length. A name SQLite accepted would then
fail mid-push to a team server, so every INSERT and UPDATE is checked here against the column
lengths of the model, and refused with the same sentence on both databases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import Engine, String, Table, event
from sqlalchemy.sql.dml import Insert, Update

from .errors import InvalidValue

# Text columns have no declared length; SQLite's own ceiling is 1e9 bytes. A document larger
# than this is refused by the readers long before (200 MB files).
MAX_TEXT_CHARACTERS = 500_000_000

# Readable names for the columns people type into.
_WHAT = {
    ("coder", "name"): "A coder's name",
    ("code", "name"): "A code name",
    ("case", "name"): "A case name",
    ("attribute", "name"): "An attribute name",
    ("document", "name"): "A document name",
    ("memo", "title"): "A memo title",
    ("turn", "speaker"): "A speaker's name",
}


@cache  # checked before every INSERT and UPDATE: the model's tables never change
def column_limits(table: Table) -> dict[str, int]:
    """Declared maximum lengths of the table's string columns, by column name."""
    return {
        c.name: c.type.length
        for c in table.c
        if isinstance(c.type, String) and c.type.length is not None
    }


def check_row(table: Table, row: Mapping[str, Any], limits: Mapping[str, int]) -> None:
    """Raise InvalidValue when a value in ``row`` is longer than its column allows."""
    for name, value in row.items():
        if not isinstance(value, str):
            continue
        limit = limits.get(name, MAX_TEXT_CHARACTERS)
        if len(value) > limit:
            what = _WHAT.get((table.name, name), f"The {table.name} {name.replace('_', ' ')}")
            raise InvalidValue(f"{what} is {len(value):,} characters long; the limit is {limit:,}.")


def _statement_rows(
    statement: Insert | Update, params: Iterable[Any]
) -> Iterable[Mapping[str, Any]]:
    values = getattr(statement, "_values", None) or {}
    if values:
        yield {
            getattr(key, "name", key): getattr(value, "value", None)
            for key, value in values.items()
        }
    for row in params:
        if isinstance(row, Mapping):
            yield row


def _before_execute(_conn: Any, clause: Any, multiparams: Any, params: Any, _options: Any) -> None:
    if not isinstance(clause, (Insert, Update)) or not isinstance(clause.table, Table):
        return
    limits = column_limits(clause.table)
    rows: list[Any] = []
    for item in multiparams or ():
        rows.extend(item if isinstance(item, list) else [item])
    if params:
        rows.append(params)
    for row in _statement_rows(clause, rows):
        check_row(clause.table, row, limits)


def install_limits(engine: Engine) -> None:
    """Check every INSERT and UPDATE on ``engine`` against the model's column lengths."""
    event.listen(engine, "before_execute", _before_execute)
