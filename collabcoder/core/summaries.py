"""Framework summaries: an analyst's text for one case x code cell, with its evidence hash."""

from __future__ import annotations

from sqlalchemy import Connection, and_, func, select
from sqlalchemy.exc import IntegrityError

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

    def _raise_conflict(self, conn: Connection, case_id: int, code_id: int, yours: str) -> None:
        row = (
            conn.execute(
                select(Summary, Coder.name.label("who"))
                .join(Coder, Coder.id == func.coalesce(Summary.modified_by, Summary.coder_id))
                .where(and_(Summary.case_id == case_id, Summary.code_id == code_id))
            )
            .mappings()
            .first()
        )
        if row is None:
            raise Conflict("This summary was deleted by another coder; yours was not saved.")
        raise Conflict(
            f"This summary was changed by {row['who']} at {row['modified']}; yours was not saved. "
            f"Theirs: {row['text']!r}; yours: {yours!r}."
        )

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
        version = (
            (current.version if current else 0) if expected_version is None else expected_version
        )
        try:
            self._write(case_id, code_id, text, evidence_hash, current, version)
        except IntegrityError:  # another coder created this cell's summary at the same moment
            self._raise_conflict_now(case_id, code_id, text)
        result = self.get(case_id, code_id)
        assert result is not None
        return result

    def _raise_conflict_now(self, case_id: int, code_id: int, yours: str) -> None:
        with self._p.read() as conn:
            self._raise_conflict(conn, case_id, code_id, yours)

    def _write(
        self,
        case_id: int,
        code_id: int,
        text: str,
        evidence_hash: str,
        current: SummaryRecord | None,
        version: int,
    ) -> None:
        with self._p.write("Write summary") as journal:
            if current is None and version == 0:
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
                where = and_(
                    Summary.case_id == case_id,
                    Summary.code_id == code_id,
                    Summary.version == version,
                )
                values = {
                    "text": text,
                    "evidence_hash": evidence_hash,
                    "modified": utcnow(),
                    "modified_by": self._p.coder.id,
                    "version": version + 1,
                }
                if not journal.update_where(Summary, where, values):
                    self._raise_conflict(journal.conn, case_id, code_id, text)
