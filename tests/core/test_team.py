"""Team projects on PostgreSQL: push and pull, merge back, seeing others' work, own undo only."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabcoder.core.documents import NewDocument
from collabcoder.core.errors import Conflict
from collabcoder.core.project import Project
from collabcoder.core.transfer import copy_project, merge_project
from tests.core.snapshots import snapshot
from tests.postgres import create_database

TEXT = "Participant: We built trust slowly, one meeting at a time. Funding was short."


@pytest.fixture
def team_url(postgres_cluster: str) -> str:
    """An empty database on the throwaway cluster."""
    return create_database(postgres_cluster)


def _local_project(path: Path) -> Project:
    project = Project.create(path, coder="Ann")
    doc = project.documents.add(NewDocument("i1", TEXT, "transcript"))
    trust = project.codes.add("Trust", definition="Trust between partners")
    project.segments.add(doc.id, trust.id, 13, 31)
    case = project.cases.add("Wigan Council")
    project.documents.assign_case([doc.id], case.id)
    project.memos.add("code", trust.id, "Trust recurs")
    return project


def test_push_then_pull_gives_an_identical_project(tmp_path: Path, team_url: str) -> None:
    """A project pushed to PostgreSQL and pulled back has the same rows, ids and GUIDs."""
    local = _local_project(tmp_path / "local.ccproj")
    copy_project(local, team_url)
    with Project.open(team_url, coder="Bob") as team:
        assert team.guid == local.guid
        copy_project(team, tmp_path / "copy.ccproj")
    with Project.open(tmp_path / "copy.ccproj", coder="Ann") as copy:
        assert snapshot(copy) == snapshot(local)
    with Project.open(team_url, coder="Bob") as team:
        team.codes.add("New after push")  # sequences moved past the copied ids
        assert len(team.codes.list()) == 2
    local.close()


def test_offline_work_merges_back_by_guid(tmp_path: Path, team_url: str) -> None:
    """Work done on a pulled copy merges into the team project; edits on both sides are reported."""
    local = _local_project(tmp_path / "local.ccproj")
    copy_project(local, team_url)
    local.close()
    team = Project.open(team_url, coder="Bob")
    copy_project(team, tmp_path / "offline.ccproj")
    offline = Project.open(tmp_path / "offline.ccproj", coder="Ann")
    doc_id = offline.documents.list()[0].id
    funding = offline.codes.add("Funding")
    start = TEXT.index("Funding was short")
    offline.segments.add(doc_id, funding.id, start, start + len("Funding was short"))
    offline.memos.add("code", funding.id, "New code from the field")
    trust = offline.codes.by_path("Trust")
    offline.codes.update(trust.id, definition="Offline definition")
    team.codes.update(team.codes.by_path("Trust").id, definition="Team definition")

    report = merge_project(offline, team)

    assert report.added == {"codes": 1, "segments": 1, "memos": 1}
    assert any("definition" in c for c in report.conflicts)
    assert team.codes.by_path("Trust").definition == "Team definition"
    funding_team = team.codes.by_path("Funding")
    assert [team.segments.quotes([s])[0] for s in team.segments.list()
            if s.code_id == funding_team.id] == ["Funding was short"]  # fmt: skip
    memo = next(m for m in team.memos.list() if m.text == "New code from the field")
    assert memo.target_id == funding_team.id
    team.undo()  # the merge is one undoable step
    assert len(team.codes.list()) == 1
    offline.close()
    team.close()


def test_other_coders_changes_are_noticed(team_url: str) -> None:
    """A coder's window learns within one poll that another coder coded a segment."""
    ann = Project.create(team_url, coder="Ann")
    doc = ann.documents.add(NewDocument("i1", TEXT))
    code = ann.codes.add("Trust")
    bob = Project.open(team_url, coder="Bob")
    assert bob.poll_remote() is None
    ann.segments.add(doc.id, code.id, 0, 11)
    changes = bob.poll_remote()
    assert changes is not None and changes.source == "remote"
    assert changes.touched("segments") and "Ann" in changes.label
    bob.codes.add("Bob's code")
    assert bob.poll_remote() is None  # one's own steps are not news
    ann.close()
    bob.close()


def test_undo_only_undoes_own_steps_and_never_breaks_others_work(team_url: str) -> None:
    """Undo is per coder; undoing a step others have built on is refused, changing nothing."""
    ann = Project.create(team_url, coder="Ann")
    doc = ann.documents.add(NewDocument("i1", TEXT))
    code = ann.codes.add("Trust")
    bob = Project.open(team_url, coder="Bob")
    bob.segments.add(doc.id, code.id, 13, 31)
    with pytest.raises(Conflict, match="built on it"):
        ann.undo()  # would delete the code Bob has just used
    assert len(bob.segments.list()) == 1
    ann.codes.update(code.id, definition="Ann's")
    bob.codes.update(code.id, definition="Bob's")
    with pytest.raises(Conflict, match="changed the same data"):
        ann.undo()  # would silently revert Bob's definition
    assert ann.codes.get(code.id).definition == "Bob's"
    bob.undo()
    assert ann.codes.get(code.id).definition == "Ann's"
    ann.close()
    bob.close()


def test_push_killed_midway_leaves_the_database_empty_for_a_retry(
    tmp_path: Path, team_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The schema and the rows go in one transaction: when the copy fails half-way (the server
    dies while segments are sent), no empty tables are left behind, and a second push works.
    (Before, 15 empty tables stayed and every retry said the database held another project.)"""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import OperationalError

    import collabcoder.core.transfer as transfer

    local = _local_project(tmp_path / "local.ccproj")
    real_rows = transfer._rows

    def dying(conn: object, table: object) -> object:
        if getattr(table, "name", "") == "segment":
            raise OperationalError("COPY", {}, Exception("server closed the connection"))
        return real_rows(conn, table)  # type: ignore[arg-type]

    monkeypatch.setattr(transfer, "_rows", dying)
    with pytest.raises(OperationalError):
        copy_project(local, team_url)
    engine = create_engine(team_url)
    assert inspect(engine).get_table_names() == []
    engine.dispose()
    monkeypatch.undo()
    copy_project(local, team_url)
    with Project.open(team_url, coder="Bob") as team:
        assert snapshot(team) == snapshot(local)
    local.close()


def test_failed_pull_leaves_no_file(
    tmp_path: Path, team_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull that fails half-way leaves no half-copied project file to block a retry."""
    import collabcoder.core.transfer as transfer

    local = _local_project(tmp_path / "local.ccproj")
    copy_project(local, team_url)
    local.close()

    def dying(conn: object, table: object) -> object:
        raise ConnectionError("the network went away")

    with Project.open(team_url, coder="Bob") as team:
        monkeypatch.setattr(transfer, "_rows", dying)
        with pytest.raises(ConnectionError):
            copy_project(team, tmp_path / "offline.ccproj")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["local.ccproj"]
