"""The journal inserts many rows in batches, returns them as stored, and undoes them exactly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import NewDocument
from collabcoder.core.model import Segment
from collabcoder.core.project import Project
from tests.core.snapshots import snapshot

ROWS = 1_234  # more than two chunks of 500


def _segment_rows(project: Project) -> list[dict[str, Any]]:
    code = project.codes.import_specs([CodeSpec("Trust")])[0].id
    document = project.documents.add(NewDocument("talk", "We trusted each other. " * 100)).id
    coder = project.coder.id
    return [
        {"document_id": document, "code_id": code, "coder_id": coder, "start": n, "end": n + 5}
        for n in range(ROWS)
    ]


@contextmanager
def _inserts(project: Project) -> Iterator[list[str]]:
    """Every INSERT INTO segment sent to the database while the block runs."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO SEGMENT"):
            seen.append(statement)

    engine = project._store.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_insert_returns_rows_as_stored_in_given_order(project: Project) -> None:
    """Each returned row is the stored row (id, GUID, defaults) of the row given at its place."""
    rows = _segment_rows(project)
    with project.write("Add segments") as journal:
        stored = journal.insert(Segment, rows)
    assert [(r["start"], r["end"]) for r in stored] == [(r["start"], r["end"]) for r in rows]
    assert len({r["id"] for r in stored}) == ROWS
    assert all(r["guid"] and r["origin"] == "manual" and r["created"] for r in stored)
    with project.read() as conn:
        in_database = {r.id: dict(r._mapping) for r in conn.execute(select(Segment))}
    assert all(in_database[r["id"]] == r for r in stored)


def test_undo_of_a_batched_insert_restores_exactly(project: Project) -> None:
    """Undo removes exactly the inserted rows; redo brings back the same rows, same ids."""
    rows = _segment_rows(project)
    before = snapshot(project)
    with project.write("Add segments") as journal:
        journal.insert(Segment, rows)
    after = snapshot(project)
    assert len(after["segment"]) == ROWS
    project.undo()
    assert snapshot(project) == before
    project.redo()
    assert snapshot(project) == after


def test_rows_given_with_ids_keep_them(project: Project) -> None:
    """Rows that come with their ids (a copy between projects, say) are stored under those ids."""
    rows = [{**row, "id": 900 + n} for n, row in enumerate(_segment_rows(project)[:4])]
    with project.write("Add segments") as journal:
        stored = journal.insert(Segment, rows)
    assert [r["id"] for r in stored] == [900, 901, 902, 903]
    assert [r["start"] for r in stored] == [r["start"] for r in rows]


def test_sqlite_insert_is_a_few_statements_not_one_per_row(tmp_path: Any) -> None:
    """On SQLite 1,234 rows go in as three batched INSERTs (SQLite cannot order RETURNING rows
    of a batch, which used to mean one statement per row)."""
    with Project.create(tmp_path / "p.ccproj", coder="Ann") as project:
        rows = _segment_rows(project)
        with _inserts(project) as seen, project.write("Add segments") as journal:
            stored = journal.insert(Segment, rows)
        assert len(stored) == ROWS
        assert len(seen) == 3
