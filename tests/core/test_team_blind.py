"""Blind rounds and codebook proposals on a real PostgreSQL cluster, enforced by the server."""

from __future__ import annotations

import psycopg
import pytest

from collabcoder.core.errors import Conflict
from collabcoder.core.team_errors import NotAllowed
from tests.core.team_fixtures import Team, team

__all__ = ["team"]  # the fixture

Denied = psycopg.errors.InsufficientPrivilege


def test_blind_coders_cannot_read_each_others_coding(team: Team) -> None:
    """While a blind round is open a coder's queries, the facade's and hand-written SQL alike,
    return only their own segments, memos and summaries; the lead sees everyone's; stopping the
    round shows everything again."""
    lead = team.open(team.lead)
    lead.team.start_blind()
    ann = team.open(team.ann)
    doc, code = ann.documents.list()[0], ann.codes.list()[0]
    case = ann.cases.list()[0]
    mine = ann.segments.add(doc.id, code.id, 40, 50)
    ann.memos.add("segment", mine.id, "Ann's memo")
    ann.summaries.set(case.id, code.id, "Ann's summary", "h")
    assert ann.team.blind
    assert [s.id for s in ann.segments.list()] == [mine.id]
    assert [m.text for m in ann.memos.list()] == ["Ann's memo"]
    assert [s.text for s in ann.summaries.list()] == ["Ann's summary"]
    rows = team.sql(team.ann, "SELECT DISTINCT coder_id FROM segment UNION "
                    "SELECT coder_id FROM memo UNION SELECT coder_id FROM summary")  # fmt: skip
    assert rows == [(ann.coder.id,)]
    vera = team.open(team.vera)
    assert vera.segments.list() == [] and vera.memos.list() == []
    assert len(lead.segments.list()) == 3 and len(lead.memos.list()) == 2
    lead.team.stop_blind()
    assert len(ann.segments.list()) == 3 and len(ann.memos.list()) == 2


def test_only_a_lead_opens_or_closes_a_round_and_sees_the_agreement_report(team: Team) -> None:
    """A coder starting or stopping a round is refused (facade and SQL); during a round the
    agreement report is refused to coders and allowed to the lead."""
    ann = team.open(team.ann)
    with pytest.raises(NotAllowed, match="only a lead can start or stop a blind round"):
        ann.team.start_blind()
    with pytest.raises(Denied):
        team.sql(team.ann, "INSERT INTO project_info (key, value) VALUES ('team.blind', 'on')")
    ann.team.require_report()  # no round open: the report is anyone's
    lead = team.open(team.lead)
    lead.team.start_blind()
    with pytest.raises(NotAllowed, match="the agreement report is for the lead"):
        ann.team.require_report()
    with pytest.raises(Denied):
        team.sql(team.bob, "UPDATE project_info SET value = 'off' WHERE key = 'team.blind'")
    assert ann.team.blind
    lead.team.require_report()


def test_a_coder_proposes_and_a_lead_accepts(team: Team) -> None:
    """A coder's proposed code is one the lead can accept (it is then in the codebook, one
    undoable step) or reject; a coder can neither accept nor decide proposals by SQL, nor
    propose in another coder's name."""
    ann = team.open(team.ann)
    trust = ann.codes.by_path("Trust")
    new = ann.proposals.propose_code("Shared risk", parent_id=trust.id, definition="Risk pooled")
    change = ann.proposals.propose_change(trust.id, definition="Trust between partners")
    assert (
        ann.proposals.describe(new)
        == "add code 'Shared risk' under Trust (definition: Risk pooled)"
    )
    with pytest.raises(NotAllowed, match="only a lead can accept"):
        ann.proposals.accept(new.id)
    with pytest.raises(Denied):
        team.sql(team.ann, f"UPDATE proposal SET status = 'accepted' WHERE id = {new.id}")
    bob_id = next(c.id for c in ann.coders.list() if c.login == team.bob)
    with pytest.raises(Denied, match="row-level security"):
        team.sql(team.ann, "INSERT INTO proposal (guid, coder_id, kind, fields, reason, status, "
                 "created, decided) VALUES ('g', %s, 'add', '{}', '', 'open', 'now', '')",
                 bob_id)  # fmt: skip
    lead = team.open(team.lead)
    code = lead.proposals.accept(new.id)
    assert (code.name, code.parent_id, code.definition) == ("Shared risk", trust.id, "Risk pooled")
    decided = lead.proposals.get(new.id)
    assert decided.status == "accepted" and decided.decided_by == lead.coder.id
    with pytest.raises(Conflict, match="already decided"):
        lead.proposals.accept(new.id)
    lead.proposals.reject(change.id)
    assert lead.codes.by_path("Trust").definition == ""
    assert [p.status for p in ann.proposals.list(status=None)] == ["accepted", "rejected"]
    lead.undo()  # the rejection
    lead.undo()  # the acceptance: the code goes again and the proposal is open
    assert [p.id for p in lead.proposals.list()] == [new.id, change.id]
    assert "Shared risk" not in [c.name for c in lead.codes.list()]


def test_a_coder_undoes_their_own_proposal(team: Team) -> None:
    """Undoing "Propose" withdraws one's own open proposal (the server lets them delete it)."""
    ann = team.open(team.ann)
    ann.proposals.propose_code("Tension")
    ann.undo()
    assert ann.proposals.list() == []
