"""The full-text index: SQLite FTS5 on ``.ccproj`` files, PostgreSQL ``tsvector`` on a server.

One row of ``text_unit`` per run of a paragraph's sentences, with the index keys of its words (see
``core.search_text``). The journal calls :func:`after_insert` and :func:`before_delete` for the
document rows it writes, so the index changes in the very transaction that adds, deletes, undoes
or redoes a document, on both databases. A document the index does not know at its current
version (a copy pulled from a server, an older project) is indexed on the next search; read-only,
it is searched from its text instead, with the same results.

The index only narrows the search to rows that may hold a word; hits are always found by
reading the stored text, so their positions are exact whatever the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text

from .manager import chunks
from .model import Document
from .search_schema import FTS_TABLE, INDEX_VERSION, text_index_state, text_unit
from .search_text import indexed_units, unit_keys

_BATCH = 2000


@dataclass(frozen=True, slots=True)
class UnitRow:
    """An index row returned: where it is and where its words start counting."""

    id: int
    document_id: int
    start: int
    end: int
    paragraph: int
    word_offset: int


@dataclass(frozen=True)
class KeyQuery:
    """Index keys to look up: any of ``exact`` or any key starting with one of ``prefixes``."""

    exact: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.exact or self.prefixes)


# -- keeping the index in step (called by the journal) ------------------------------------------
def after_insert(conn: Connection, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Index documents just inserted (a new document, or an undone delete)."""
    if table == "document" and rows:
        index_documents(conn, [(row["id"], row["text"]) for row in rows])


def before_delete(conn: Connection, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Take documents about to be deleted out of the index (their rows still carry the text)."""
    if table == "document" and rows:
        unindex_documents(conn, {row["id"]: row["text"] for row in rows})


def index_documents(conn: Connection, documents: Iterable[tuple[int, str]]) -> None:
    """Add documents to the index (each must not be in it yet)."""
    sqlite = conn.dialect.name == "sqlite"
    for document_id, body in documents:
        indexed = indexed_units(body)
        units = [unit for unit, _ in indexed]
        keys = [key for _, key in indexed]
        rows = [
            {
                "document_id": document_id,
                "start": u.start,
                "end": u.end,
                "paragraph": u.paragraph,
                "word_offset": u.word_offset,
            }
            for u in units
        ]
        for first in range(0, len(rows), _BATCH):
            batch, batch_keys = rows[first : first + _BATCH], keys[first : first + _BATCH]
            if sqlite:
                ids = conn.execute(
                    insert(text_unit).returning(text_unit.c.id, sort_by_parameter_order=True),
                    batch,
                ).scalars()
                conn.execute(
                    text(f"INSERT INTO {FTS_TABLE} (rowid, words) VALUES (:id, :words)"),
                    [{"id": i, "words": w} for i, w in zip(ids, batch_keys, strict=True)],
                )
            else:
                conn.execute(
                    text(
                        'INSERT INTO text_unit (document_id, start, "end", paragraph, word_offset,'
                        " words) VALUES (:document_id, :start, :end, :paragraph, :word_offset,"
                        " array_to_tsvector(string_to_array(:words, ' ')))"
                    ),
                    [{**r, "words": w} for r, w in zip(batch, batch_keys, strict=True)],
                )
        conn.execute(
            insert(text_index_state), {"document_id": document_id, "version": INDEX_VERSION}
        )


def unindex_documents(conn: Connection, texts: dict[int, str]) -> None:
    """Remove documents from the index; ``texts`` are their texts as indexed."""
    ids = list(texts)
    for batch in chunks(ids):
        if conn.dialect.name == "sqlite":
            units = conn.execute(
                select(
                    text_unit.c.id, text_unit.c.document_id, text_unit.c.start, text_unit.c.end
                ).where(text_unit.c.document_id.in_(batch))
            ).all()
            if units:
                # A contentless FTS5 table forgets a row only when told the words it was given.
                conn.execute(
                    text(
                        f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, words) "
                        "VALUES ('delete', :id, :words)"
                    ),
                    [
                        {
                            "id": u.id,
                            "words": unit_keys(texts[u.document_id][u.start : u.end]),
                        }
                        for u in units
                    ],
                )
        conn.execute(delete(text_unit).where(text_unit.c.document_id.in_(batch)))
        conn.execute(delete(text_index_state).where(text_index_state.c.document_id.in_(batch)))


# -- completeness ------------------------------------------------------------------------------
def stale_documents(conn: Connection, document_ids: Sequence[int] | None = None) -> list[int]:
    """Documents the index does not hold at the current version."""
    current = select(text_index_state.c.document_id).where(
        text_index_state.c.version == INDEX_VERSION
    )
    query = select(Document.id).where(Document.id.not_in(current)).order_by(Document.id)
    if document_ids is not None:
        query = query.where(Document.id.in_(list(document_ids)))
    return list(conn.execute(query).scalars())


def reindex(
    conn: Connection, document_ids: Sequence[int], check: Callable[[], None] = lambda: None
) -> None:
    """(Re)build the index of ``document_ids`` from their text, in the caller's transaction.

    ``check`` is called before each document; raising there rolls back the caller's
    transaction, so no index is left half-built. Entries written by an older rule cannot be
    told apart word by word (a contentless FTS5 table forgets a row only when given its exact
    words), so when any exist the whole index is emptied and every document indexed again.
    """
    old = conn.execute(
        select(text_index_state.c.document_id)
        .where(text_index_state.c.version != INDEX_VERSION)
        .limit(1)
    ).first()
    if old is not None:
        clear_index(conn)
        document_ids = list(conn.execute(select(Document.id)).scalars())
    for batch in chunks(document_ids):
        rows = conn.execute(select(Document.id, Document.text).where(Document.id.in_(batch)))
        texts: dict[int, str] = {r.id: r.text for r in rows}
        indexed = conn.execute(
            select(text_index_state.c.document_id).where(text_index_state.c.document_id.in_(batch))
        ).scalars()
        unindex_documents(conn, {i: texts[i] for i in indexed})
        for document in texts.items():
            check()
            index_documents(conn, [document])


def clear_index(conn: Connection) -> None:
    """Empty the whole index (every document is then stale)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('delete-all')")
    conn.execute(delete(text_unit))
    conn.execute(delete(text_index_state))


# -- lookup ------------------------------------------------------------------------------------
def _fts5_expression(groups: Sequence[KeyQuery]) -> str:
    # Keys are letters and digits only, so quoting them is safe.
    return " AND ".join(
        "(" + " OR ".join([f'"{k}"' for k in sorted(g.exact)]
                          + [f'"{p}"*' for p in sorted(g.prefixes)]) + ")"
        for g in groups
    )  # fmt: skip


def _tsquery(groups: Sequence[KeyQuery]) -> str:
    return " & ".join(
        "(" + " | ".join([f"'{k}'" for k in sorted(g.exact)]
                         + [f"'{p}':*" for p in sorted(g.prefixes)]) + ")"
        for g in groups
    )  # fmt: skip


def candidate_units(
    conn: Connection, keys: Sequence[KeyQuery], document_ids: Sequence[int] | None = None
) -> list[UnitRow]:
    """Index rows holding, for each of ``keys``, a word with one of its keys (a superset of the
    rows that answer: their words are checked against the text)."""
    columns = [text_unit.c[n] for n in UnitRow.__slots__]
    if conn.dialect.name == "sqlite":
        where = text(
            f"text_unit.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q)"
        ).bindparams(q=_fts5_expression(keys))
    else:
        where = text("text_unit.words @@ CAST(:q AS tsquery)").bindparams(q=_tsquery(keys))
    query = select(*columns).where(where)
    if document_ids is None:
        return [UnitRow(*r) for r in conn.execute(query)]
    found: list[UnitRow] = []
    for batch in chunks(document_ids):
        found += [
            UnitRow(*r) for r in conn.execute(query.where(text_unit.c.document_id.in_(batch)))
        ]
    return found


def all_units(conn: Connection, document_ids: Sequence[int] | None = None) -> list[UnitRow]:
    """Every index row (of ``document_ids``): for words the index cannot narrow."""
    columns = [text_unit.c[n] for n in UnitRow.__slots__]
    query = select(*columns)
    if document_ids is None:
        return [UnitRow(*r) for r in conn.execute(query)]
    return [
        UnitRow(*r)
        for batch in chunks(document_ids)
        for r in conn.execute(query.where(text_unit.c.document_id.in_(batch)))
    ]
