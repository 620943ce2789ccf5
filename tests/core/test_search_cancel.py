"""Cancelling a search or a coding query: it stops with ``Cancelled``, returns nothing partial
and changes nothing (not even the index it was building)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from collabcoder.core.documents import NewDocument
from collabcoder.core.errors import Cancelled
from collabcoder.core.progress import CancelToken
from collabcoder.core.project import Project
from collabcoder.core.search_eval import SearchOptions
from collabcoder.core.search_schema import FTS_TABLE, text_index_state, text_unit

BODY = "\n".join(f"Line {n}: we trust the council, funding was short." for n in range(2000))


class CancelAfter(CancelToken):
    """A token that reads as set from its ``n``-th look on, as a Cancel pressed mid-run."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.looks = 0
        self.n = n

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks >= self.n


def _rows(project: Project) -> tuple[int, int]:
    with project.read() as conn:
        units = conn.scalar(select(func.count()).select_from(text_unit))
        state = conn.scalar(select(func.count()).select_from(text_index_state))
    return int(units or 0), int(state or 0)


@pytest.fixture
def large(project: Project) -> Project:
    """Three documents of 2,000 lines each (enough units to be checked several times)."""
    for n in range(3):
        project.documents.add(NewDocument(f"doc {n}", BODY))
    return project


@pytest.mark.parametrize("looks", [2, 3, 4, 6])
def test_a_cancelled_search_returns_nothing_and_changes_nothing(large: Project, looks: int) -> None:
    """Cancelled at any of its checks (after the index lookup, mid-way through the units, while
    deciding), the search raises Cancelled; the undo stack and the index are as before, and the
    next search finds every hit."""
    expected = large.search.run("trust AND funding").hits
    assert len(expected) == 2 * 6000
    label, before = large.undo_label, _rows(large)
    token = CancelAfter(looks)
    with pytest.raises(Cancelled, match="cancelled"):
        large.search.run("trust AND funding", cancel=token)
    assert token.looks == looks  # it stopped at the look that saw the cancel
    assert large.undo_label == label and _rows(large) == before
    assert large.search.run("trust AND funding").hits == expected


def test_cancel_while_building_the_index_rolls_it_back(large: Project) -> None:
    """A search of a project without an index builds it first; cancelled during the build,
    no index row is left behind (one transaction), and nothing became an undo step."""
    if large._store.engine.dialect.name == "sqlite":
        with large._store.engine.begin() as conn:
            conn.execute(text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('delete-all')"))
            conn.execute(text_unit.delete())
            conn.execute(text_index_state.delete())
    else:
        with large._store.engine.begin() as conn:
            conn.execute(text_unit.delete())
            conn.execute(text_index_state.delete())
    label = large.undo_label
    with pytest.raises(Cancelled):
        large.search.run("trust", cancel=CancelAfter(2))  # the second document's turn
    assert _rows(large) == (0, 0) and large.undo_label == label
    assert len(large.search.run("trust").hits) == 6000
    assert _rows(large)[1] == 3


def test_a_cancelled_regex_search_and_coding_query_stop(large: Project) -> None:
    """Regex mode checks per document; a coding query checks between its steps: both raise
    Cancelled and return nothing."""
    with pytest.raises(Cancelled):
        large.search.run(r"fund\w+", SearchOptions(regex=True), cancel=CancelAfter(2))
    trust, funding = large.codes.add("Trust"), large.codes.add("Funding")
    document = large.documents.list()[0]
    large.segments.add(document.id, trust.id, 0, 40)
    large.segments.add(document.id, funding.id, 20, 60)
    assert len(large.search.coding_query("Trust AND Funding")) == 1
    label = large.undo_label
    for looks in (1, 2, 3):
        with pytest.raises(Cancelled):
            large.search.coding_query("Trust AND Funding", cancel=CancelAfter(looks))
    assert large.undo_label == label
