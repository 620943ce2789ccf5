"""Code suggestions with their provenance; accepting one codes the span, rejecting is remembered."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Integer, and_, func, select

from .manager import Manager, chunks
from .model import Segment, Suggestion
from .records import SegmentRecord, SuggestionRecord
from .segments import NewSegment


@dataclass(frozen=True)
class NewSuggestion:
    document_id: int
    code_id: int
    start: int
    end: int
    score: float
    method: str
    reason: str = ""
    model_version: str = ""


class SuggestionManager(Manager):
    def list(
        self, document_id: int | None = None, status: str | None = "open"
    ) -> list[SuggestionRecord]:
        """Suggestions, best first."""
        query = select(Suggestion).order_by(Suggestion.score.desc(), Suggestion.start)
        if document_id is not None:
            query = query.where(Suggestion.document_id == document_id)
        if status is not None:
            query = query.where(Suggestion.status == status)
        with self._p.read() as conn:
            return [SuggestionRecord(**r) for r in conn.execute(query).mappings()]

    def rejected_spans(self) -> set[tuple[int, int, int, int]]:
        """(document, code, start, end) of every rejected suggestion: never suggest them again."""
        with self._p.read() as conn:
            rows = conn.execute(
                select(
                    Suggestion.document_id, Suggestion.code_id, Suggestion.start, Suggestion.end
                ).where(Suggestion.status == "rejected")
            )
            return {(r[0], r[1], r[2], r[3]) for r in rows}

    def reliability(self) -> dict[tuple[int, str], tuple[int, int]]:
        """(accepted, decided) per (code, method): how often the team accepted such suggestions
        when it accepted or rejected them ("accepted 18 of 20"); open ones do not count."""
        status = Suggestion.status
        with self._p.read() as conn:
            rows = conn.execute(
                select(
                    Suggestion.code_id,
                    Suggestion.method,
                    func.sum(func.cast(status == "accepted", Integer)),
                    func.count(),
                )
                .where(status.in_(["accepted", "rejected"]))
                .group_by(Suggestion.code_id, Suggestion.method)
            )
            return {(r[0], r[1]): (int(r[2] or 0), int(r[3])) for r in rows}

    def _coded(
        self, document_ids: Sequence[int]
    ) -> dict[tuple[int, int], builtins.list[tuple[int, int]]]:
        """(start, end) of every segment of ``document_ids``, by (document, code)."""
        spans: dict[tuple[int, int], builtins.list[tuple[int, int]]] = {}
        with self._p.read() as conn:
            for ids in chunks(list(document_ids)):
                rows = conn.execute(
                    select(Segment.document_id, Segment.code_id, Segment.start, Segment.end).where(
                        Segment.document_id.in_(ids)
                    )
                )
                for document_id, code_id, start, end in rows:
                    spans.setdefault((document_id, code_id), []).append((start, end))
        return spans

    def replace_open(
        self,
        items: Sequence[NewSuggestion],
        document_ids: Sequence[int],
        label: str = "Suggest codes",
    ) -> int:
        """Replace the open suggestions of ``document_ids`` by ``items``, skipping rejected spans
        and spans already coded with the suggested code (manually or by an accepted suggestion):
        a suggestion inside a segment of its code would only repeat what the team decided.

        Returns how many suggestions were stored.
        """
        rejected = self.rejected_spans()
        coded = self._coded(sorted({s.document_id for s in items}))

        def already_coded(s: NewSuggestion) -> bool:
            return any(
                start <= s.start and s.end <= end
                for start, end in coded.get((s.document_id, s.code_id), ())
            )

        rows = [
            {
                "document_id": s.document_id,
                "code_id": s.code_id,
                "start": s.start,
                "end": s.end,
                "score": float(s.score),
                "method": s.method,
                "reason": s.reason,
                "model_version": s.model_version,
            }
            for s in items
            if (s.document_id, s.code_id, s.start, s.end) not in rejected and not already_coded(s)
        ]
        with self._p.write(label) as journal:
            journal.delete_where(
                Suggestion,
                and_(Suggestion.status == "open", Suggestion.document_id.in_(list(document_ids))),
            )
            journal.insert(Suggestion, rows)
        return len(rows)

    def accept(self, suggestion_id: int) -> SegmentRecord:
        """Code the suggested span (origin "suggestion") as one undoable step."""
        with self._p.read() as conn:
            sug = SuggestionRecord(**self._one(conn, Suggestion, suggestion_id, "suggestion"))
        with self._p.undo_group("Accept suggestion"):
            (segment,) = self._p.segments.add_many(
                [NewSegment(sug.document_id, sug.code_id, sug.start, sug.end, "suggestion")]
            )
            with self._p.write("Accept suggestion") as journal:
                journal.update_row(Suggestion, suggestion_id, {"status": "accepted"})
        return segment

    def reject(self, suggestion_id: int) -> None:
        """Reject a suggestion; the span is never suggested again for that code."""
        with self._p.write("Reject suggestion") as journal:
            journal.update_row(Suggestion, suggestion_id, {"status": "rejected"})

    def accept_above(self, document_id: int, code_id: int, threshold: float) -> int:
        """Accept every open suggestion of one code in a document scoring at least ``threshold``."""
        chosen = [
            s for s in self.list(document_id) if s.code_id == code_id and s.score >= threshold
        ]
        if not chosen:
            return 0
        with self._p.undo_group(f"Accept {len(chosen)} suggestions"):
            self._p.segments.add_many(
                [NewSegment(s.document_id, s.code_id, s.start, s.end, "suggestion") for s in chosen]
            )
            with self._p.write("Accept suggestions") as journal:
                journal.update_where(
                    Suggestion, Suggestion.id.in_([s.id for s in chosen]), {"status": "accepted"}
                )
        return len(chosen)
