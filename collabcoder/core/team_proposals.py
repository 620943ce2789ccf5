"""Codebook proposals (``project.proposals``): coders propose, a lead accepts or rejects.

On a team project only leads may write the codebook; a coder who needs a new code, or a better
definition, records a proposal instead. Accepting applies it through the ordinary codebook
commands, so the change and the decision are one undoable step in the log.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import and_, select

from .codes import EDITABLE_FIELDS
from .errors import Conflict, InvalidValue
from .manager import Manager
from .model import Proposal, utcnow
from .records import CodeRecord, ProposalRecord


def _record(row: Any) -> ProposalRecord:
    values = dict(row)
    values["fields"] = json.loads(values["fields"] or "{}")
    return ProposalRecord(**values)


def _clean(fields: dict[str, Any]) -> dict[str, str]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidValue(f"Codes have no field {', '.join(sorted(unknown))}.")
    out = {}
    for key, value in fields.items():
        if key == "keywords" and not isinstance(value, str):
            value = "\n".join(str(k).strip() for k in value if str(k).strip())
        out[key] = str(value)
    return out


class ProposalManager(Manager):
    def list(self, status: str | None = "open") -> list[ProposalRecord]:
        """Proposals, oldest first (only those with ``status`` unless it is None)."""
        query = select(Proposal).order_by(Proposal.id)
        if status is not None:
            query = query.where(Proposal.status == status)
        with self._p.read() as conn:
            return [_record(r) for r in conn.execute(query).mappings()]

    def get(self, proposal_id: int) -> ProposalRecord:
        with self._p.read() as conn:
            return _record(self._one(conn, Proposal, proposal_id, "proposal"))

    def propose_code(
        self, name: str, parent_id: int | None = None, reason: str = "", **fields: Any
    ) -> ProposalRecord:
        """Propose a new code (under ``parent_id``) with its definition and the rest."""
        if not name.strip():
            raise InvalidValue("A code needs a name.")
        if parent_id is not None:
            self._p.codes.get(parent_id)
        values = _clean({"name": name.strip(), **fields})
        return self._add("add", None, parent_id, values, reason, f"Propose code {name.strip()}")

    def propose_change(self, code_id: int, reason: str = "", **fields: Any) -> ProposalRecord:
        """Propose changing a code's fields (name, definition, criteria, example, keywords...)."""
        if not fields:
            raise InvalidValue("Say what should change (a name, a definition...).")
        code = self._p.codes.get(code_id)
        values = _clean(fields)
        return self._add("change", code_id, None, values, reason, f"Propose change to {code.name}")

    def _add(
        self,
        kind: str,
        code_id: int | None,
        parent_id: int | None,
        fields: dict[str, str],
        reason: str,
        label: str,
    ) -> ProposalRecord:
        row = {
            "coder_id": self._p.coder.id,
            "kind": kind,
            "code_id": code_id,
            "parent_id": parent_id,
            "fields": json.dumps(fields, ensure_ascii=False),
            "reason": reason.strip(),
        }
        with self._p.write(label) as journal:
            (stored,) = journal.insert(Proposal, [row])
        return _record(stored)

    def describe(self, proposal: ProposalRecord) -> str:
        """One line for lists: what would change."""
        fields = dict(proposal.fields)
        if proposal.kind == "add":
            name = fields.pop("name", "?")
            where = f" under {self._p.codes.path(proposal.parent_id)}" if proposal.parent_id else ""
            text = f"add code {name!r}{where}"
        else:
            path = self._p.codes.path(proposal.code_id) if proposal.code_id else "?"
            text = f"change {path}"
        details = "; ".join(f"{k}: {v}" for k, v in fields.items())
        return f"{text} ({details})" if details else text

    def accept(self, proposal_id: int) -> CodeRecord:
        """Apply an open proposal to the codebook (leads only); returns the code."""
        self._p.team.require_lead("accept a codebook proposal")
        proposal = self.get(proposal_id)
        with self._p.undo_group(f"Accept proposal {proposal_id}"):
            self._decide(proposal, "accepted")
            fields: dict[str, Any] = dict(proposal.fields)
            if proposal.kind == "add":
                return self._p.codes.add(fields.pop("name"), proposal.parent_id, **fields)
            assert proposal.code_id is not None
            self._p.codes.update(proposal.code_id, **fields)
            return self._p.codes.get(proposal.code_id)

    def reject(self, proposal_id: int) -> None:
        """Close an open proposal without changing the codebook (leads only)."""
        self._p.team.require_lead("reject a codebook proposal")
        self._decide(self.get(proposal_id), "rejected")

    def _decide(self, proposal: ProposalRecord, status: str) -> None:
        values = {"status": status, "decided_by": self._p.coder.id, "decided": utcnow()}
        with self._p.write(f"{status.capitalize()} proposal {proposal.id}") as journal:
            where = and_(Proposal.id == proposal.id, Proposal.status == "open")
            if not journal.update_where(Proposal, where, values):
                raise Conflict(f"Proposal {proposal.id} was already decided; nothing was changed.")
