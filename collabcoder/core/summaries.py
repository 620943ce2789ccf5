"""Framework summaries: an analyst's text for one case x code cell, with its evidence hash."""

from __future__ import annotations

from sqlalchemy import and_, select

from .errors import Conflict
from .manager import Manager
from .model import Coder, Summary, utcnow
from .records import SummaryRecord


class SummaryManager(Manager):
    def list(self) -> list[SummaryRecord]:
        with self._p.read() as conn:
            return [SummaryRecord(**r) for r in conn.execute(select(Summary)).mappings()]

    def get(self, case_id: int, code_id: int) -> SummaryRecord | None:
        with self._p.read() as conn:
            row = (
                conn.execute(
                    select(Summary).where(
                        and_(Summary.case_id == case_id, Summary.code_id == code_id)
                    )
                )
                .mappings()
                .first()
            )
        return SummaryRecord(**row) if row else None

    def set(
        self,
        case_id: int,
        code_id: int,
        text: str,
        evidence_hash: str,
        expected_version: int | None = None,
    ) -> SummaryRecord:
        """Write or rewrite the summary of a cell.

        ``expected_version`` is the version the writer started from (0 for a new summary); if
        someone else saved the cell since, nothing is overwritten and :class:`Conflict` says who.
        """
        current = self.get(case_id, code_id)
        if expected_version is not None and (current.version if current else 0) != expected_version:
            assert current is not None
            with self._p.read() as conn:
                who = conn.scalar(
                    select(Coder.name).where(Coder.id == (current.modified_by or current.coder_id))
                )
            raise Conflict(
                f"This summary was changed by {who} at {current.modified}; yours was not saved. "
                f"Theirs: {current.text!r}"
            )
        with self._p.write("Write summary") as journal:
            if current is None:
                journal.insert(
                    Summary,
                    [
                        {
                            "case_id": case_id,
                            "code_id": code_id,
                            "coder_id": self._p.coder.id,
                            "modified_by": self._p.coder.id,
                            "text": text,
                            "evidence_hash": evidence_hash,
                        }
                    ],
                )
            else:
                journal.update_where(
                    Summary,
                    and_(Summary.id == current.id, Summary.version == current.version),
                    {
                        "text": text,
                        "evidence_hash": evidence_hash,
                        "modified": utcnow(),
                        "modified_by": self._p.coder.id,
                        "version": current.version + 1,
                    },
                )
        result = self.get(case_id, code_id)
        assert result is not None
        return result
