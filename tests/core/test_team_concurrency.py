"""Eight coders on one PostgreSQL project at once: nothing lost, every conflict reported."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest
from sqlalchemy import create_engine, text

from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from tests.core.team_worker import code_and_edit
from tests.postgres import create_database

CODERS = 8
SEGMENTS = 500
SECONDS = float(os.environ.get("COLLABCODER_TEAM_TEST_SECONDS", "30"))
THINK = 0.02  # at most this long between reading a version and saving, as a person pauses

# Every foreign key of the schema, as (child table, column, parent table).
FOREIGN_KEYS = [
    ("segment", "document_id", "document"), ("segment", "code_id", "code"),
    ("segment", "coder_id", "coder"), ("summary", "case_id", "case_"),
    ("summary", "code_id", "code"), ("summary", "coder_id", "coder"),
    ("code", "parent_id", "code"), ("turn", "document_id", "document"),
    ("memo", "coder_id", "coder"),
]  # fmt: skip


@pytest.mark.slow
def test_eight_coders_at_once(postgres_cluster: str) -> None:
    """8 processes each add 500 segments and edit shared codes and summaries for 30 s, starting
    together, editing at least every fifth step and pausing up to 20 ms between reading and
    saving an edit (so edits overlap and conflict however loaded the machine is, rather than by
    luck of timing: under load the segments alone used to fill the time, and no edit was made).

    Afterwards every segment is present exactly once; every code's and summary's version equals
    one plus the number of edits reported as saved (so no edit was silently overwritten; every
    other attempt was reported as a Conflict); the final texts are ones a writer was told were
    saved; and the database has no dangling references.
    """
    url = create_database(postgres_cluster)
    with Project.create(url, coder="Lead") as lead:
        lead.documents.add(NewDocument("deep dive", "word " * 4000))
        for name in ("Trust", "Leadership", "Funding"):
            lead.codes.add(name)
        for name in ("Wirral Council", "Golden Key"):
            lead.cases.add(name)
    context = get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(CODERS, mp_context=context) as pool:
        start = manager.Barrier(CODERS)  # all coders begin together, however loaded the machine
        futures = [pool.submit(code_and_edit, url, i, SEGMENTS, SECONDS, start, THINK)
                   for i in range(CODERS)]  # fmt: skip
        results = [f.result() for f in futures]

    with Project.open(url, coder="Lead") as lead:
        segments = lead.segments.list()
        codes = {c.id: c for c in lead.codes.list()}
        summaries = {(s.case_id, s.code_id): s for s in lead.summaries.list()}
    guids = [g for r in results for g in r["added"]]
    assert len(guids) == CODERS * SEGMENTS == len(set(guids))
    assert sorted(s.guid for s in segments) == sorted(guids)

    code_writes = [w for r in results for w in r["code_writes"]]
    for code_id, code in codes.items():
        saved = [w for w in code_writes if w[0] == code_id]
        assert code.version == 1 + len(saved)
        if saved:
            assert (code.version, code.definition) in {(v, t) for _, v, t in saved}
    summary_writes = [w for r in results for w in r["summary_writes"]]
    for key, summary in summaries.items():
        saved = [w for w in summary_writes if (w[0], w[1]) == key]
        assert summary.version == len(saved)
        assert (summary.version, summary.text) in {(v, t) for _, _, v, t in saved}
    assert sum(r["conflicts"] for r in results) > 0, "the test never produced a conflict"

    engine = create_engine(url)
    with engine.connect() as conn:
        for child, column, parent in FOREIGN_KEYS:
            dangling = conn.scalar(text(
                f"SELECT count(*) FROM {child} c LEFT JOIN {parent} p ON p.id = c.{column} "
                f"WHERE c.{column} IS NOT NULL AND p.id IS NULL"
            ))  # fmt: skip
            assert dangling == 0, f"{child}.{column} points at missing {parent} rows"
        assert conn.scalar(text('SELECT count(*) FROM segment WHERE start >= "end"')) == 0
    engine.dispose()
