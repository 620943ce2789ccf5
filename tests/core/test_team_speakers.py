"""Speakers on a team project: everyone reads them, only a lead changes them (the server
decides, through the grants ``team init`` installs)."""

from __future__ import annotations

import psycopg
import pytest

from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.team_errors import NotAllowed
from tests.core.team_fixtures import Team, team

__all__ = ["team"]  # the fixture


def test_coders_read_speakers_and_only_a_lead_changes_them(team: Team) -> None:
    """A lead's import gives its labels speakers; a coder lists and filters by them but renaming
    or setting a role is refused with a sentence (and by the server for hand-written SQL);
    the lead's own edit goes through."""
    lead = team.open(team.lead)
    text = "Interviewer: Why trust?\nPat: Trust grew."
    turns = [NewTurn("Interviewer", 0, 23), NewTurn("Pat", 24, len(text))]
    lead.documents.add(NewDocument("call", text, "transcript", turns=turns))
    ann = team.open(team.ann)
    assert [(s.name, s.role) for s in ann.speakers.records()] == [
        ("Interviewer", "interviewer"),
        ("Pat", "participant"),
    ]
    scope = ann.search.scope(documents=["call"], exclude_roles=["interviewer"])
    assert [h.speaker for h in ann.search.run("trust", scope=scope).hits] == ["Pat"]
    pat = ann.speakers.by_name("Pat")
    with pytest.raises(NotAllowed, match="only a lead can change the project's speakers"):
        ann.speakers.rename(pat.id, "Pat Jones")
    with pytest.raises(NotAllowed, match="only a lead can change the project's speakers"):
        ann.speakers.set_role([pat.id], "interviewer")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.sql(team.ann, "UPDATE speaker SET role = 'other' WHERE id = %s", pat.id)
    assert ann.speakers.get(pat.id).name == "Pat"
    lead.speakers.set_role([pat.id], "facilitator")
    assert ann.speakers.get(pat.id).role == "facilitator"


def test_upgrading_a_team_project_grants_the_speaker_tables(team: Team) -> None:
    """A team project written before speakers existed is upgraded by its lead (the owner); its
    coders read the new speaker list at once, without another `team init`."""
    from pathlib import Path

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from collabcoder.core import storage
    from tests.core.team_fixtures import as_login

    config = Config()
    config.set_main_option("script_location", str(Path(storage.__file__).parent / "migrations"))
    engine = create_engine(as_login(team.url, team.lead))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0003_team")
    engine.dispose()
    team.open(team.lead)  # the owner opens it: upgraded
    ann = team.open(team.ann)
    assert ann.speakers.records() == []  # readable (the fixture's document has no turns)
    assert ann.speakers.map().speakers == {}
