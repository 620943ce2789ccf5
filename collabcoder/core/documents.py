"""Documents (transcripts, field notes, other texts) and their speaker turns."""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, select

from .errors import InvalidValue, NotFound
from .manager import Manager
from .model import Document, DocumentSetMember, Memo, Segment, SpeakerAlias, Suggestion, Turn
from .records import DocumentRecord, TurnRecord
from .speakers import add_for_labels
from .text import canonical_text, count_words
from .vocabulary import DOCUMENT_KINDS


@dataclass(frozen=True)
class NewTurn:
    speaker: str
    start: int
    end: int
    timestamp: str | None = None
    seconds: float | None = None


@dataclass
class NewDocument:
    """A document about to be added; ``text`` is made canonical on the way in."""

    name: str
    text: str
    kind: str = "document"
    turns: Sequence[NewTurn] = ()
    meta: dict[str, str] = field(default_factory=dict)
    case_id: int | None = None
    source_name: str = ""
    sha256: str = ""
    guid: str | None = None


def _record(row: dict[str, Any]) -> DocumentRecord:
    row = dict(row)
    row.pop("text", None)
    row["meta"] = json.loads(row["meta"] or "{}")
    return DocumentRecord(**row)


_LISTED = [c for c in Document.__table__.c if c.name != "text"]


class DocumentManager(Manager):
    def list(self) -> list[DocumentRecord]:
        with self._p.read() as conn:
            rows = conn.execute(select(*_LISTED).order_by(Document.name, Document.id)).mappings()
            return [_record(dict(r)) for r in rows]

    def get(self, document_id: int) -> DocumentRecord:
        with self._p.read() as conn:
            row = (
                conn.execute(select(*_LISTED).where(Document.id == document_id)).mappings().first()
            )
        if row is None:
            raise NotFound(f"No document with id {document_id} in this project.")
        return _record(dict(row))

    def by_name(self, name: str) -> DocumentRecord:
        with self._p.read() as conn:
            row = conn.execute(select(*_LISTED).where(Document.name == name)).mappings().first()
        if row is None:
            raise NotFound(f"No document called {name!r} in this project.")
        return _record(dict(row))

    def by_sha256(self, sha256: str) -> DocumentRecord | None:
        with self._p.read() as conn:
            row = conn.execute(select(*_LISTED).where(Document.sha256 == sha256)).mappings().first()
        return _record(dict(row)) if row else None

    def text(self, document_id: int) -> str:
        with self._p.read() as conn:
            value = conn.scalar(select(Document.text).where(Document.id == document_id))
        if value is None:
            raise NotFound(f"No document with id {document_id} in this project.")
        return value

    def texts(self, document_ids: Sequence[int] | None = None) -> dict[int, str]:
        """Texts of many documents at once (all when ``document_ids`` is None)."""
        query = select(Document.id, Document.text)
        if document_ids is not None:
            query = query.where(Document.id.in_(list(document_ids)))
        with self._p.read() as conn:
            return {r.id: r.text for r in conn.execute(query)}

    def lengths(self) -> dict[int, int]:
        """Length in characters of every document's text."""
        with self._p.read() as conn:
            rows = conn.execute(select(Document.id, func.length(Document.text)))
            return {r[0]: int(r[1]) for r in rows}

    def turns(
        self, document_id: int | None = None, document_ids: Sequence[int] | None = None
    ) -> builtins.list[TurnRecord]:
        """Turns of one document, of ``document_ids``, or of all documents, in text order."""
        query = select(Turn).order_by(Turn.document_id, Turn.start)
        if document_id is not None:
            query = query.where(Turn.document_id == document_id)
        if document_ids is not None:
            query = query.where(Turn.document_id.in_(list(document_ids)))
        with self._p.read() as conn:
            return [TurnRecord(**r) for r in conn.execute(query).mappings()]

    def add(self, new: NewDocument) -> DocumentRecord:
        """Add one document and its turns as one step."""
        if new.kind not in DOCUMENT_KINDS:
            raise InvalidValue(f"{new.name}: kind must be one of {', '.join(DOCUMENT_KINDS)}.")
        text = canonical_text(new.text)
        for turn in new.turns:
            if not 0 <= turn.start <= turn.end <= len(text):
                raise InvalidValue(f"{new.name}: a turn of {turn.speaker} lies outside the text.")
        row: dict[str, Any] = {
            "name": new.name,
            "kind": new.kind,
            "text": text,
            "case_id": new.case_id,
            "meta": json.dumps(new.meta, ensure_ascii=False),
            "source_name": new.source_name,
            "sha256": new.sha256,
            "word_count": count_words(text),
        }
        if new.guid:
            row["guid"] = new.guid
        with self._p.write(f"Import {new.name}") as journal:
            (stored,) = journal.insert(Document, [row])
            journal.insert(
                Turn,
                [
                    {
                        "document_id": stored["id"],
                        "speaker": t.speaker,
                        "start": t.start,
                        "end": t.end,
                        "timestamp": t.timestamp,
                        "seconds": t.seconds,
                    }
                    for t in new.turns
                ],
            )
            # Each new label means a speaker of the project from the start.
            add_for_labels(journal, (t.speaker for t in new.turns), new.meta)
        return _record(stored)

    def rename(self, document_id: int, name: str) -> None:
        if not name.strip():
            raise InvalidValue("A document needs a name.")
        with self._p.write(f"Rename document to {name.strip()}") as journal:
            journal.update_row(Document, document_id, {"name": name.strip()})

    def assign_case(self, document_ids: Sequence[int], case_id: int | None) -> None:
        """Assign documents to a case (``None`` unassigns them)."""
        label = "Assign documents to case" if case_id is not None else "Unassign documents"
        with self._p.write(label) as journal:
            journal.update_where(
                Document, Document.id.in_(list(document_ids)), {"case_id": case_id}
            )

    def delete(self, document_id: int) -> None:
        """Delete a document with its turns, segments, suggestions, memos and set memberships."""
        doc = self.get(document_id)
        with self._p.write(f"Delete document {doc.name}") as journal:
            segment_ids = select(Segment.id).where(Segment.document_id == document_id)
            journal.delete_where(
                Memo, and_(Memo.target_kind == "segment", Memo.target_id.in_(segment_ids))
            )
            journal.delete_where(
                Memo, and_(Memo.target_kind == "document", Memo.target_id == document_id)
            )
            journal.delete_where(Segment, Segment.document_id == document_id)
            journal.delete_where(Suggestion, Suggestion.document_id == document_id)
            journal.delete_where(Turn, Turn.document_id == document_id)
            journal.delete_where(DocumentSetMember, DocumentSetMember.document_id == document_id)
            journal.delete_where(SpeakerAlias, SpeakerAlias.document_id == document_id)
            journal.delete_where(Document, Document.id == document_id)
