"""Team roles on a real PostgreSQL cluster: the server, not CollabCoder, decides who may do what.

Every refusal is checked twice: through the facade (a clear sentence, nothing changed) and with
hand-written SQL through the member's own connection (the database itself refuses).
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from collabcoder.core.project import Project
from collabcoder.core.team import init_team
from collabcoder.core.team_errors import NotAllowed, NotATeamProject
from tests.core.team_fixtures import Team, as_login, dsn, team

__all__ = ["team"]  # the fixture

Denied = psycopg.errors.InsufficientPrivilege


def _bob_segment(project: Project, team: Team) -> int:
    bob = next(c for c in project.coders.list() if c.login == team.bob)
    return next(s.id for s in project.segments.list() if s.coder_id == bob.id)


def test_attribution_is_the_database_login_not_the_typed_name(team: Team) -> None:
    """Ann typing "Bob" still codes as Ann; SQL attributing a row to Bob, or adding or renaming
    a coder, is refused by the server."""
    ann = team.open(team.ann, typed="Bob")
    doc = ann.documents.list()[0]
    segment = ann.segments.add(doc.id, ann.codes.list()[0].id, 40, 50)
    coder = next(c for c in ann.coders.list() if c.id == segment.coder_id)
    assert (coder.login, coder.name) == (team.ann, "Ann")
    assert ann.coder.login == team.ann
    bob_id = next(c.id for c in ann.coders.list() if c.login == team.bob)
    with pytest.raises(Denied, match="row-level security"):
        team.sql(team.ann, "INSERT INTO segment (guid, document_id, code_id, coder_id, start, "
                 '"end", origin, created) VALUES (%s, %s, %s, %s, 1, 5, %s, %s)',
                 "x-forged", doc.id, segment.code_id, bob_id, "manual", "2026")  # fmt: skip
    with pytest.raises(Denied, match="row-level security"):
        team.sql(team.ann, "INSERT INTO coder (guid, name, created, login) "
                 "VALUES ('g', 'Researcher A', 'now', %s)", team.bob)  # fmt: skip
    with pytest.raises(Denied):
        team.sql(team.ann, "UPDATE coder SET login = NULL WHERE login = %s", team.bob)
    names = [(c.name, c.login) for c in ann.coders.list()]
    assert ("Bob", team.bob) in names and ("Researcher A", team.bob) not in names


def test_a_coder_cannot_change_or_delete_another_coders_segment(team: Team) -> None:
    """Deleting, resizing, recoding or taking over Bob's segment is refused with a sentence;
    the same through hand-written SQL is refused by the server; Bob's segment is unchanged."""
    ann = team.open(team.ann)
    bobs = _bob_segment(ann, team)
    before = ann.segments.get(bobs)
    other_code = next(c.id for c in ann.codes.list() if c.id != before.code_id)
    for attempt in (
        lambda: ann.segments.delete([bobs]),
        lambda: ann.segments.resize(bobs, 13, 20),
        lambda: ann.segments.recode([bobs], other_code),
    ):
        with pytest.raises(NotAllowed, match="only a lead can change or delete another coder's"):
            attempt()
    me = ann.coder.id
    for statement in (
        f"DELETE FROM segment WHERE id = {bobs}",
        f'UPDATE segment SET "end" = 20 WHERE id = {bobs}',
        f"UPDATE segment SET coder_id = {me} WHERE id = {bobs}",
    ):
        with pytest.raises(Denied, match="another coder"):
            team.sql(team.ann, statement)
    own = ann.segments.add(before.document_id, before.code_id, 40, 50)
    with pytest.raises(Denied, match="to another coder"):  # nor give one's own away
        team.sql(team.ann, f"UPDATE segment SET coder_id = {before.coder_id} WHERE id = {own.id}")
    assert ann.segments.get(bobs) == before
    ann.segments.delete([own.id])  # one's own coding is one's own to change
    assert all(s.id != own.id for s in ann.segments.list())


def test_a_coder_cannot_change_the_codebook(team: Team) -> None:
    """Adding or editing a code is refused ("only a lead can change the codebook"), by the facade
    and by SQL; a refused first write leaves no coder row behind either."""
    ann = team.open(team.ann)
    trust = ann.codes.by_path("Trust")
    codes_before = ann.codes.list()
    coders_before = ann.coders.list()
    with pytest.raises(NotAllowed, match="only a lead can change the codebook"):
        ann.codes.add("My own code")
    with pytest.raises(NotAllowed, match="only a lead can change the codebook"):
        ann.codes.update(trust.id, definition="Ann's definition")
    with pytest.raises(Denied):
        team.sql(team.ann, "UPDATE code SET definition = 'hand-written' WHERE id = %s", trust.id)
    with pytest.raises(Denied):
        team.sql(team.ann, "INSERT INTO code (guid, name, position, colour, definition, inclusion,"
                 " exclusion, example, keywords, version, modified) "
                 "VALUES ('g', 'x', 0, '#000000', '', '', '', '', '', 1, 'now')")  # fmt: skip
    assert ann.codes.list() == codes_before
    assert ann.coders.list() == coders_before


def test_a_viewer_cannot_write_anything(team: Team) -> None:
    """A viewer's coding, memo or summary is refused as "a viewer can only read"; SQL writes to
    any table are refused by the server; the viewer reads everything and has their coder record
    without writing."""
    vera = team.open(team.vera)
    doc = vera.documents.list()[0]
    code = vera.codes.list()[0]
    case = vera.cases.list()[0]
    before = (vera.segments.list(), vera.memos.list(), vera.summaries.list())
    for attempt in (
        lambda: vera.segments.add(doc.id, code.id, 40, 50),
        lambda: vera.memos.add("project", None, "a viewer's memo"),
        lambda: vera.summaries.set(case.id, code.id, "a viewer's summary", "h"),
    ):
        with pytest.raises(NotAllowed, match="a viewer can only read"):
            attempt()
    for statement in (
        "DELETE FROM segment",
        "UPDATE code SET name = 'x'",
        "INSERT INTO project_info (key, value) VALUES ('team.blind', 'on')",
        "DELETE FROM memo",
    ):
        with pytest.raises(Denied):
            team.sql(team.vera, statement)
    assert (vera.segments.list(), vera.memos.list(), vera.summaries.list()) == before
    assert len(before[0]) == 2 and vera.team.role == "viewer"
    assert vera.coder.login == team.vera  # found, not registered: a viewer writes nothing


def test_the_operation_log_cannot_be_altered_by_anyone(team: Team) -> None:
    """UPDATE, DELETE and TRUNCATE of the log are refused for a coder, the lead who owns the
    tables and even the cluster's superuser; an entry in another coder's name is refused; the
    time of an entry is the server's, not the client's."""
    lead = team.open(team.lead)
    entries = lead.operations(limit=1000)
    # A coder holds no such privilege at all; the owner and the superuser meet the trigger.
    for login, reason in ((team.ann, "permission denied"), (team.lead, "append-only"),
                          ("cc", "append-only")):  # fmt: skip
        for statement in (
            "UPDATE operation SET label = 'nothing happened'",
            "DELETE FROM operation",
            "TRUNCATE operation",
        ):
            with pytest.raises(Denied, match=reason):
                team.sql(login, statement)
    bob_id = next(c.id for c in lead.coders.list() if c.login == team.bob)
    with pytest.raises(Denied, match="row-level security"):
        team.sql(team.ann, "INSERT INTO operation (coder_id, label, at, detail) "
                 "VALUES (%s, 'Bob deleted everything', '2026', '{}')", bob_id)  # fmt: skip
    ann = team.open(team.ann)
    ann.segments.add(lead.documents.list()[0].id, lead.codes.list()[0].id, 40, 50)
    ann_id = ann.coder.id
    team.sql(team.ann, "INSERT INTO operation (coder_id, label, at, detail) "
             "VALUES (%s, 'backdated', '1999-01-01T00:00:00+00:00', '{}')", ann_id)  # fmt: skip
    newest = lead.operations(limit=1)[0]
    assert newest.label == "backdated" and not newest.at.startswith("1999")
    assert lead.operations(limit=1000)[-len(entries) :] == entries  # the old entries, untouched


def test_a_lead_can_change_anything_and_manage_members(team: Team) -> None:
    """The lead deletes another coder's coding and edits the codebook; a second lead without
    CREATEROLE adds an existing login as a coder, whose role then shows in the roles list; a
    change of role keeps their name; a removed member can no longer open the project."""
    lead = team.open(team.lead)
    lead.segments.delete([_bob_segment(lead, team)])
    lead.codes.update(lead.codes.list()[0].id, definition="Trust between partners")
    assert lead.codes.list()[0].definition == "Trust between partners"
    second, carl = f"{team.lead}_2", f"carl_{team.lead[-6:]}"
    lead.team.add_member(second, "lead", name="Second lead")
    team.sql("cc", f'CREATE ROLE "{carl}" LOGIN')
    other_lead = team.open(second)
    other_lead.team.add_member(carl, "coder", name="Carl")
    roles = {m.login: (m.role, m.coder) for m in lead.team.members()}
    assert roles[carl] == ("coder", "Carl") and roles[second] == ("lead", "Second lead")
    assert roles[team.vera] == ("viewer", "Vera") and roles[team.lead] == ("lead", "Lena")
    lead.team.add_member(carl, "viewer")  # a new role replaces the old one, keeping the name
    assert {m.login: (m.role, m.coder) for m in lead.team.members()}[carl] == ("viewer", "Carl")
    lead.team.remove_member(carl)
    assert carl not in {m.login for m in lead.team.members()}
    with pytest.raises(NotAllowed, match="not a member of this team project"):
        Project.open(as_login(team.url, carl), coder="Carl")
    ann = team.open(team.ann)
    with pytest.raises(NotAllowed, match="only a lead can add team members"):
        ann.team.add_member(carl, "lead")


def test_a_new_members_password_reaches_the_server_only_as_a_verifier(team: Team) -> None:
    """add-member with a password creates a login whose stored password is a SCRAM verifier."""
    lead = team.open(team.lead)
    login = f"dana_{team.lead[-6:]}"
    lead.team.add_member(login, "coder", name="Dana", password="correct horse battery")
    (stored,) = team.sql("cc", "SELECT rolpassword FROM pg_authid WHERE rolname = %s", login)[0]
    assert str(stored).startswith("SCRAM-SHA-256$") and "correct horse" not in str(stored)


def test_connections_honour_sslmode_and_friends_in_the_url(team: Team) -> None:
    """libpq options in the URL reach the driver: application_name is set, and sslmode=require
    against this SSL-less server is refused with the driver's reason."""
    url = as_login(team.url, team.ann)
    with (
        Project.open(f"{url}?sslmode=disable&application_name=cc-test", coder="x") as ann,
        ann.read() as conn,
    ):
        assert conn.exec_driver_sql("SHOW application_name").scalar() == "cc-test"
    with pytest.raises(Exception, match=r"(?i)ssl"):
        Project.open(f"{url}?sslmode=require", coder="x")
    assert "password" not in dsn(url)


def test_a_project_file_keeps_typed_names_and_says_so(tmp_path: Path) -> None:
    """On a .ccproj file the coder is the typed name, and team roles are refused with why."""
    with Project.create(tmp_path / "p.ccproj", coder="Researcher A") as project:
        assert project.coder.name == "Researcher A" and project.coder.login is None
        assert not project.team.enabled and project.team.role is None
        with pytest.raises(NotATeamProject, match="one laptop, one person"):
            init_team(project)
        with pytest.raises(NotATeamProject, match="one laptop, one person"):
            project.team.members()


def test_a_login_outside_the_team_cannot_open_the_project(team: Team) -> None:
    """A login that is no member of the team reads nothing: opening says so in one sentence."""
    outsider = f"eve_{team.lead[-6:]}"
    team.sql("cc", f'CREATE ROLE "{outsider}" LOGIN')
    with pytest.raises(NotAllowed, match="not a member of this team project"):
        Project.open(as_login(team.url, outsider), coder="Eve")


def test_team_init_again_is_harmless_and_codes_with_proposals_can_be_deleted(team: Team) -> None:
    """Re-running init keeps every rule (a coder is still refused the codebook); a lead deletes a
    code that has proposals, which then point nowhere; only the owner may run init."""
    lead = team.open(team.lead)
    init_team(lead)
    ann = team.open(team.ann)
    trust = ann.codes.by_path("Trust")
    proposal = ann.proposals.propose_change(trust.id, definition="Trust between partners")
    with pytest.raises(NotAllowed, match="only a lead can change the codebook"):
        ann.codes.add("Mine")
    lead.codes.delete(trust.id)
    assert lead.proposals.get(proposal.id).code_id is None
    with pytest.raises(NotAllowed, match="only the project's owner"):
        init_team(ann)


def test_a_temporary_table_cannot_stand_in_for_the_coders(team: Team) -> None:
    """A coder's temporary ``coder`` table naming them as Bob does not fool the server: the
    attribution check reads the project's own coder table."""
    ann = team.open(team.ann)
    doc, code = ann.documents.list()[0], ann.codes.list()[0]
    bob_id = next(c.id for c in ann.coders.list() if c.login == team.bob)
    with pytest.raises(Denied, match="row-level security"):
        team.sql(
            team.ann,
            f"""
            CREATE TEMP TABLE coder (id integer, login text);
            INSERT INTO coder VALUES ({bob_id}, session_user);
            SET search_path = pg_temp, public;
            INSERT INTO public.segment (guid, document_id, code_id, coder_id, start, "end",
                                        origin, created)
            VALUES ('x-temp', {doc.id}, {code.id}, {bob_id}, 1, 5, 'manual', '2026')""",
        )
