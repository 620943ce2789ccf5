"""Docks apply a step's inserted, removed and updated ids instead of rebuilding every row."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from collabcoder.core.changes import Changes, Kind, Source
from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow
from tests.gui.waiting import poll, settle


def _quotes(window: MainWindow) -> list[tuple[int, str]]:
    return [(r.segment.id, r.quote) for r in window.segments_dock.model.rows]


def test_coding_step_inserts_one_row_without_resetting_the_segments_table(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Coding, undo and redo move exactly one row; the table is never reset meanwhile."""
    dock = window.segments_dock
    trust = project.codes.by_path("Drivers/Trust").id
    document = project.documents.list()[0].id
    project.segments.add(document, trust, 0, 10)
    resets: list[None] = []
    dock.model.modelReset.connect(lambda: resets.append(None))
    window.panel.view.select_range(40, 60)
    window.coding.code_selection(trust)
    settle(qtbot, window)
    assert [i for i, _q in _quotes(window)] == [s.id for s in project.segments.list()]
    window.undo()
    settle(qtbot, window)
    assert [i for i, _q in _quotes(window)] == [s.id for s in project.segments.list()]
    window.redo()
    settle(qtbot, window)
    shown = _quotes(window)
    dock.refresh()  # a full rebuild shows the same rows in the same order
    assert shown == _quotes(window) and len(shown) == 2
    assert len(resets) == 1  # only the explicit refresh


def test_recode_updates_the_row_in_place(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Recoding changes the row's code column; the row stays where it was."""
    document = project.documents.list()[0].id
    trust, funding = (project.codes.by_path(p).id for p in ("Drivers/Trust", "Drivers/Funding"))
    segment = project.segments.add(document, trust, 5, 30)
    window.coding.recode([segment.id], funding)
    settle(qtbot, window)
    (row,) = window.segments_dock.model.rows
    assert row.code == "Drivers/Funding"


def test_an_unknown_kind_is_refused() -> None:
    """A misspelt kind raises instead of quietly answering that nothing changed."""
    changes = Changes("Code", Source.DO, {})
    with pytest.raises(ValueError):
        changes.touched("segmnts")
    assert not changes.touched(Kind.SEGMENTS)


def test_another_coders_step_moves_only_its_rows(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """A step polled from the operation log names its rows: the dock inserts one, no reset."""
    document = project.documents.list()[0].id
    trust = project.codes.by_path("Drivers/Trust").id
    project.segments.add(document, trust, 0, 10)
    with Project.open(project.location, coder="Bob") as bob:
        bob.segments.add(document, trust, 50, 60)  # a new coder: the filters fill again
        assert poll(qtbot, window)
        settle(qtbot, window)
        resets: list[None] = []
        window.segments_dock.model.modelReset.connect(lambda: resets.append(None))
        theirs = bob.segments.add(document, trust, 20, 40)
    assert poll(qtbot, window)
    settle(qtbot, window)
    assert theirs.id in [r.segment.id for r in window.segments_dock.model.rows]
    assert theirs.id in window.coding.segments and resets == []


def test_codebook_counts_follow_coding_recode_and_undo(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Counts recounted for just the step's codes match a full recount after each step."""
    model = window.codebook_dock.model
    trust, funding = (project.codes.by_path(p).id for p in ("Drivers/Trust", "Drivers/Funding"))
    window.panel.view.select_range(40, 60)
    window.coding.code_selection(trust)
    settle(qtbot, window)
    assert (model.counts[trust], model.documents[trust]) == (1, 1)
    (segment,) = project.segments.list()
    window.coding.recode([segment.id], funding)
    settle(qtbot, window)
    assert (model.counts[trust], model.counts[funding], model.documents[trust]) == (0, 1, 0)
    window.undo()
    settle(qtbot, window)
    full = project.codes.counts()
    assert {i: n for i, n in model.counts.items() if n} == {i: n for i, (n, _d) in full.items()}


def test_an_added_document_reaches_every_dock_with_one_read_of_the_documents(
    qtbot: QtBot, window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Importing a document is one step every dock reacts to (the cases tree, the Segments
    dock's filters and rows, memos, the open document): they share the bridge's one list of
    documents, read once for the step on the GUI thread rather than once per dock."""
    from collabcoder.core.documents import NewDocument

    reads: list[None] = []
    listed = project.documents.list
    monkeypatch.setattr(project.documents, "list", lambda: reads.append(None) or listed())
    window.segments_dock.show()
    window.memos_dock.show()
    window.bridge.ops.run_op(
        "Import", lambda p: p.documents.add(NewDocument("New notes", "Trust grew.", "fieldnotes"))
    )
    settle(qtbot, window)
    assert len(reads) == 1
    tree = window.cases_dock.documents
    names = [
        tree.topLevelItem(i).child(j).text(0)
        for i in range(tree.topLevelItemCount())
        for j in range(tree.topLevelItem(i).childCount())
    ]
    assert "New notes" in names
    choices = window.segments_dock.filters["document"]
    assert "New notes" in [choices.itemText(i) for i in range(choices.count())]
