"""Segments: coded spans ``(document, start, end)`` in code points of the canonical text."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Select, and_, func, select

from .errors import InvalidValue, NotFound
from .manager import Manager, chunks
from .model import Document, Memo, Segment
from .records import SegmentRecord

ORIGINS = ("manual", "suggestion", "autocode", "imported")
# Spans from another tool are kept exactly as that tool stored them; every other origin is trimmed.
_KEPT_AS_GIVEN = frozenset({"imported"})


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` without the whitespace (spaces, tabs, newlines) at either end.

    Raises :class:`InvalidValue` when nothing but whitespace is selected: a blank line is not
    evidence of anything.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise InvalidValue("The selection holds only spaces or line breaks: nothing to code.")
    return start, end


@dataclass(frozen=True)
class NewSegment:
    document_id: int
    code_id: int
    start: int
    end: int
    origin: str = "manual"
    coder_id: int | None = None
    guid: str | None = None
    created: str | None = None


@dataclass(frozen=True)
class SegmentFilter:
    """Which segments to list; ``None`` means no restriction on that field."""

    code_ids: Sequence[int] | None = None
    document_ids: Sequence[int] | None = None
    coder_ids: Sequence[int] | None = None
    origins: Sequence[str] | None = None
    segment_ids: Sequence[int] | None = None  # only these segments (a view refreshing a few)

    def apply(self, query: Select[tuple[Segment]]) -> Select[tuple[Segment]]:
        for column, wanted in (
            (Segment.code_id, self.code_ids),
            (Segment.document_id, self.document_ids),
            (Segment.coder_id, self.coder_ids),
            (Segment.origin, self.origins),
            (Segment.id, self.segment_ids),
        ):
            if wanted is not None:
                query = query.where(column.in_(list(wanted)))
        return query


class SegmentManager(Manager):
    def list(self, where: SegmentFilter | None = None) -> list[SegmentRecord]:
        """Segments in document and text order."""
        query = select(Segment).order_by(
            Segment.document_id, Segment.start, Segment.end, Segment.id
        )
        if where is not None:
            query = where.apply(query)
        with self._p.read() as conn:
            return [SegmentRecord(**r) for r in conn.execute(query).mappings()]

    def count(self, created_after: str | None = None) -> int:
        """How many segments there are (coded after the ISO time ``created_after``, if given)."""
        query = select(func.count()).select_from(Segment)
        if created_after is not None:
            query = query.where(Segment.created > created_after)
        with self._p.read() as conn:
            return int(conn.scalar(query) or 0)

    def get(self, segment_id: int) -> SegmentRecord:
        with self._p.read() as conn:
            return SegmentRecord(**self._one(conn, Segment, segment_id, "segment"))

    def quotes(self, segments: Sequence[SegmentRecord]) -> builtins.list[str]:
        """The exact text under each segment."""
        texts = self._p.documents.texts(sorted({s.document_id for s in segments}))
        return [texts[s.document_id][s.start : s.end] for s in segments]

    def _trimmed(self, items: Sequence[NewSegment]) -> builtins.list[NewSegment]:
        """``items`` with each span (except imported ones) trimmed to its non-whitespace."""
        wanted = sorted({i.document_id for i in items if i.origin not in _KEPT_AS_GIVEN})
        if not wanted:
            return list(items)
        texts = self._p.documents.texts(wanted)
        out = []
        for item in items:
            text = texts.get(item.document_id)
            if (
                item.origin in _KEPT_AS_GIVEN
                or text is None
                or not 0 <= item.start < item.end <= len(text)
            ):
                out.append(item)  # validation names what is wrong with it
                continue
            start, end = trim_span(text, item.start, item.end)
            out.append(replace(item, start=start, end=end))
        return out

    def _validate(self, items: Sequence[NewSegment]) -> None:
        doc_ids = sorted({i.document_id for i in items})
        lengths: dict[int, int] = {}
        with self._p.read() as conn:
            for batch in chunks(doc_ids):
                rows = conn.execute(
                    select(Document.id, func.length(Document.text)).where(Document.id.in_(batch))
                )
                lengths.update({r[0]: int(r[1]) for r in rows})
        for item in items:
            if item.document_id not in lengths:
                raise NotFound(f"No document with id {item.document_id} in this project.")
            if not 0 <= item.start < item.end <= lengths[item.document_id]:
                raise InvalidValue(
                    f"Segment {item.start}-{item.end} does not lie inside the document "
                    f"(0-{lengths[item.document_id]}) or is empty."
                )
            if item.origin not in ORIGINS:
                raise InvalidValue(f"Origin must be one of {', '.join(ORIGINS)}.")

    def add(
        self,
        document_id: int,
        code_id: int,
        start: int,
        end: int,
        origin: str = "manual",
        coder_id: int | None = None,
        label: str = "Code selection",
    ) -> SegmentRecord:
        """Code ``start:end`` of a document with a code, as the current coder by default."""
        (record,) = self.add_many(
            [NewSegment(document_id, code_id, start, end, origin, coder_id)], label=label
        )
        return record

    def add_many(
        self, items: Sequence[NewSegment], label: str = "Code segments"
    ) -> builtins.list[SegmentRecord]:
        """Add many segments as one step (checked first: all or none)."""
        if not items:
            return []
        items = self._trimmed(items)
        self._validate(items)
        rows = []
        for item in items:
            row: dict[str, object] = {
                "document_id": item.document_id,
                "code_id": item.code_id,
                "coder_id": item.coder_id or self._p.coder.id,
                "start": item.start,
                "end": item.end,
                "origin": item.origin,
            }
            if item.guid:
                row["guid"] = item.guid
            if item.created:
                row["created"] = item.created
            rows.append(row)
        with self._p.write(label) as journal:
            stored = journal.insert(Segment, rows)
        return [SegmentRecord(**r) for r in stored]

    def delete(self, segment_ids: Sequence[int], label: str = "Uncode") -> None:
        """Remove segments (and memos written on them)."""
        ids = list(segment_ids)
        with self._p.write(label) as journal:
            journal.delete_where(Memo, and_(Memo.target_kind == "segment", Memo.target_id.in_(ids)))
            journal.delete_where(Segment, Segment.id.in_(ids))

    def recode(self, segment_ids: Sequence[int], code_id: int) -> None:
        """Move segments to another code."""
        with self._p.write("Recode") as journal:
            journal.update_where(Segment, Segment.id.in_(list(segment_ids)), {"code_id": code_id})

    def resize(self, segment_id: int, start: int, end: int) -> None:
        """Change the span of a segment."""
        seg = self.get(segment_id)
        (item,) = self._trimmed([NewSegment(seg.document_id, seg.code_id, start, end, seg.origin)])
        self._validate([item])
        start, end = item.start, item.end
        with self._p.write("Resize segment") as journal:
            journal.update_row(Segment, segment_id, {"start": start, "end": end})
