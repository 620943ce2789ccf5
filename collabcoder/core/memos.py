"""Memos: an analyst's notes on the project, a case, a document, a code or a segment."""

from __future__ import annotations

import builtins

from sqlalchemy import and_, or_, select

from .errors import Conflict, InvalidValue
from .manager import Manager
from .model import Coder, Memo, utcnow
from .records import MemoRecord

TARGET_KINDS = ("project", "case", "document", "code", "segment")


class MemoManager(Manager):
    def list(
        self, target_kind: str | None = None, target_id: int | None = None
    ) -> list[MemoRecord]:
        query = select(Memo).order_by(Memo.modified.desc(), Memo.id.desc())
        if target_kind is not None:
            query = query.where(Memo.target_kind == target_kind)
            if target_kind != "project":
                query = query.where(Memo.target_id == target_id)
        with self._p.read() as conn:
            return [MemoRecord(**r) for r in conn.execute(query).mappings()]

    def search(self, text: str) -> builtins.list[MemoRecord]:
        """Memos whose title or text contains ``text`` (case-insensitive)."""
        pattern = f"%{text.strip()}%"
        query = (
            select(Memo)
            .where(or_(Memo.title.ilike(pattern), Memo.text.ilike(pattern)))
            .order_by(Memo.modified.desc())
        )
        with self._p.read() as conn:
            return [MemoRecord(**r) for r in conn.execute(query).mappings()]

    def get(self, memo_id: int) -> MemoRecord:
        with self._p.read() as conn:
            return MemoRecord(**self._one(conn, Memo, memo_id, "memo"))

    def add(
        self,
        target_kind: str,
        target_id: int | None,
        text: str,
        title: str = "",
        guid: str | None = None,
    ) -> MemoRecord:
        if target_kind not in TARGET_KINDS:
            raise InvalidValue(f"A memo is written on one of: {', '.join(TARGET_KINDS)}.")
        if (target_kind == "project") != (target_id is None):
            raise InvalidValue("A project memo has no target; every other memo needs one.")
        row: dict[str, object] = {
            "target_kind": target_kind,
            "target_id": target_id,
            "coder_id": self._p.coder.id,
            "title": title.strip(),
            "text": text,
        }
        if guid:
            row["guid"] = guid
        with self._p.write(f"Write {target_kind} memo") as journal:
            (stored,) = journal.insert(Memo, [row])
        return MemoRecord(**stored)

    def update(
        self, memo_id: int, text: str, title: str | None = None, expected_version: int | None = None
    ) -> None:
        """Edit a memo; with ``expected_version``, refuse if someone else changed it meanwhile."""
        current = self.get(memo_id)
        version = current.version if expected_version is None else expected_version
        values: dict[str, object] = {
            "text": text,
            "modified": utcnow(),
            "version": version + 1,
            "modified_by": self._p.coder.id,
        }
        if title is not None:
            values["title"] = title.strip()
        with self._p.write("Edit memo") as journal:
            where = and_(Memo.id == memo_id, Memo.version == version)
            if not journal.update_where(Memo, where, values):
                latest = self.get(memo_id)
                who = journal.conn.scalar(
                    select(Coder.name).where(Coder.id == (latest.modified_by or latest.coder_id))
                )
                raise Conflict(
                    f"Memo {latest.title or memo_id!r} was changed by {who} at {latest.modified}; "
                    f"your edit was not saved. Theirs: {latest.text!r}; yours: {text!r}."
                )

    def delete(self, memo_id: int) -> None:
        with self._p.write("Delete memo") as journal:
            journal.delete_where(Memo, Memo.id == memo_id)
