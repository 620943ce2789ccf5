"""Document sets on a team project: coders share them, viewers cannot write them, and sets made
on an offline copy merge back by GUID."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from collabcoder.core.project import Project
from collabcoder.core.sets import SmartQuery
from collabcoder.core.team_errors import NotAllowed
from collabcoder.core.transfer import copy_project, merge_project
from tests.core.team_fixtures import Team, team

__all__ = ["team"]  # the fixture


def test_coders_write_sets_and_viewers_cannot(team: Team) -> None:
    """A coder makes, fills, renames and deletes a set (sets are shared, like saved queries);
    a viewer's attempt is refused with a sentence and by the server itself."""
    ann = team.open(team.ann)
    doc = ann.documents.list()[0]
    made = ann.sets.create("Pilot", [doc.id])
    smart = ann.sets.create_smart("Transcripts", SmartQuery(kinds=("transcript",)))
    ann.sets.rename(made.id, "Pilot wave")
    ann.sets.remove(made.id, [doc.id])
    ann.sets.delete(smart.id)
    vera = team.open(team.vera)
    with pytest.raises(NotAllowed):
        vera.sets.create("Mine")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.sql(team.vera, "DELETE FROM document_set")
    assert [s.name for s in vera.sets.list()] == ["Pilot wave"]


def test_sets_made_offline_merge_back_by_guid(team: Team, tmp_path: Path) -> None:
    """A set made on a pulled copy, and a member added there to a team set, reach the team
    project when the copy is merged back; merging again adds nothing."""
    lead = team.open(team.lead)
    doc = lead.documents.list()[0]
    shared = lead.sets.create("Shared")
    copy_project(lead, tmp_path / "offline.ccproj")
    with Project.open(tmp_path / "offline.ccproj", coder="Ann") as offline:
        offline.sets.add(shared.id, [doc.id])
        offline.sets.create("Field", [doc.id], "made on the train")
        report = merge_project(offline, lead)
        assert report.added.get("sets") == 1
        assert merge_project(offline, lead).added.get("sets") is None
    assert lead.sets.all_members() == {"Shared": {doc.id}, "Field": {doc.id}}
    assert lead.sets.by_name("Field").description == "made on the train"
