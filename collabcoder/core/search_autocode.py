"""Search and code: turn hits (or a speaker's turns) into segments, previewed, in one step.

A preview lists the spans that would be coded (each hit widened to its sentence, paragraph or
turn, overlapping spans joined) and how many there are; applying it codes them all as one undo
step with origin ``autocode``, each segment recording the query that found it. A span the code
already covers exactly is left alone, so running the same search twice codes nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from .errors import InvalidValue
from .manager import chunks
from .model import Segment
from .records import SegmentRecord, TurnRecord
from .search_eval import Hit
from .search_schema import SegmentProvenance
from .segments import NewSegment
from .speaker_map import SpeakerFilter

if TYPE_CHECKING:
    from .project import Project

UNITS = ("hit", "sentence", "paragraph", "turn")


@dataclass(frozen=True, slots=True)
class Span:
    """A passage about to be coded."""

    document_id: int
    document: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class AutocodeResult:
    """What applying a preview did: the segments made and the spans already coded."""

    segments: list[SegmentRecord]
    already_coded: int


def _turn_span(turns: Sequence[TurnRecord], position: int) -> tuple[int, int] | None:
    for turn in turns:
        if turn.start <= position < turn.end:
            return turn.start, turn.end
    return None


def _trimmed(body: str, start: int, end: int) -> tuple[int, int]:
    piece = body[start:end]
    start += len(piece) - len(piece.lstrip())
    return start, max(start, start + len(piece.strip()))


def preview_hits(project: Project, hits: Sequence[Hit], unit: str) -> list[Span]:
    """The spans that coding ``hits`` as ``unit`` (hit, sentence, paragraph, turn) would code.

    A hit outside every turn is widened to its paragraph when ``unit`` is ``turn``.
    """
    if unit not in UNITS:
        raise InvalidValue(f"Code hits as one of: {', '.join(UNITS)}.")
    by_document: dict[int, list[tuple[int, int]]] = defaultdict(list)
    names = {h.document_id: h.document for h in hits}
    turns: dict[int, list[TurnRecord]] = defaultdict(list)
    if unit == "turn":
        for turn in project.documents.turns(document_ids=sorted(names)):
            turns[turn.document_id].append(turn)
    for hit in hits:
        if unit == "hit":
            span = (hit.start, hit.end)
        elif unit == "sentence":
            span = hit.sentence
        elif unit == "paragraph":
            span = hit.paragraph
        else:
            span = _turn_span(turns[hit.document_id], hit.start) or hit.paragraph
        by_document[hit.document_id].append(span)
    return spans_of(project, by_document, names)


def preview_speaker(
    project: Project, speaker: str, document_ids: Sequence[int] | None = None
) -> list[Span]:
    """The spans of every turn of ``speaker``: its label, or any label meaning that speaker
    (matched without regard to case)."""
    wanted = SpeakerFilter(speakers=(speaker,))
    known = project.speakers.map()
    names = {d.id: d.name for d in project.documents.list()}
    by_document: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for turn in project.documents.turns(document_ids=document_ids):
        if wanted.allows(turn.document_id, turn.speaker, known):
            by_document[turn.document_id].append((turn.start, turn.end))
    if not by_document:
        raise InvalidValue(f"No turn of a speaker called {speaker!r} in these documents.")
    return spans_of(project, by_document, names)


def spans_of(
    project: Project, by_document: dict[int, list[tuple[int, int]]], names: dict[int, str]
) -> list[Span]:
    """Trim each span of surrounding space and join the ones that overlap."""
    texts = project.documents.texts(sorted(by_document))
    spans: list[Span] = []
    for document_id in sorted(by_document, key=lambda d: (names[d].casefold(), d)):
        body = texts[document_id]
        joined: list[list[int]] = []
        for start, end in sorted(_trimmed(body, s, e) for s, e in by_document[document_id]):
            if end <= start:
                continue
            if joined and start < joined[-1][1]:
                joined[-1][1] = max(joined[-1][1], end)
            else:
                joined.append([start, end])
        spans += [Span(document_id, names[document_id], s, e, body[s:e]) for s, e in joined]
    return spans


def apply_autocode(
    project: Project, spans: Sequence[Span], code_id: int, provenance: str
) -> AutocodeResult:
    """Code every span with ``code_id`` as one undo step, recording ``provenance`` on each."""
    path = project.codes.path(code_id)
    existing = _coded_exactly(project, code_id, spans)
    todo = [s for s in spans if (s.document_id, s.start, s.end) not in existing]
    if not todo:
        return AutocodeResult([], len(spans))
    label = f"Auto-code {len(todo)} passage{'s' if len(todo) != 1 else ''} as {path}"
    with project.undo_group(label):
        made = project.segments.add_many(
            [NewSegment(s.document_id, code_id, s.start, s.end, origin="autocode") for s in todo],
            label=label,
        )
        with project.write(label) as journal:
            journal.insert(
                SegmentProvenance, [{"segment_guid": m.guid, "query": provenance} for m in made]
            )
    return AutocodeResult(made, len(spans) - len(todo))


def autocode_as_new(
    project: Project, spans: Sequence[Span], path: str, provenance: str
) -> AutocodeResult:
    """Make the code ``path`` ("Parent/Name": the parent must exist, the code must not) and code
    every span with it, all as one undo step."""
    parent, _, name = path.strip().rpartition("/")
    if not name.strip():
        raise InvalidValue("The new code needs a name.")
    parent_id = project.codes.by_path(parent).id if parent.strip() else None
    if any(p.casefold() == path.strip().casefold() for p in project.codes.paths().values()):
        raise InvalidValue(f"A code {path.strip()!r} exists already: code the results with it.")
    if not spans:
        raise InvalidValue("There is nothing to code: the query found no passage.")
    label = f"Auto-code {len(spans)} passage{'s' if len(spans) != 1 else ''} as new code {path}"
    with project.undo_group(label):
        code = project.codes.add(name.strip(), parent_id)
        return apply_autocode(project, spans, code.id, provenance)


def _coded_exactly(
    project: Project, code_id: int, spans: Sequence[Span]
) -> set[tuple[int, int, int]]:
    found: set[tuple[int, int, int]] = set()
    with project.read() as conn:
        for batch in chunks(sorted({s.document_id for s in spans})):
            rows = conn.execute(
                select(Segment.document_id, Segment.start, Segment.end).where(
                    Segment.code_id == code_id, Segment.document_id.in_(batch)
                )
            )
            found.update((r.document_id, r.start, r.end) for r in rows)
    return found


def provenance_of(project: Project, segment_guids: Sequence[str]) -> dict[str, str]:
    """The query recorded for each auto-coded segment (by GUID)."""
    with project.read() as conn:
        rows = conn.execute(
            select(SegmentProvenance).where(SegmentProvenance.segment_guid.in_(segment_guids))
        ).all()
    return {r.segment_guid: r.query for r in rows}
