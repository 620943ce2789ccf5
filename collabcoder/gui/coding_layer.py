"""What the document view paints: coded spans packed into lanes, cut into pieces on demand.

Positions here are UTF-16 units (Qt's), converted once per segment. Spans sit in lanes (no two
spans in a lane overlap), each lane sorted by position, so finding what lies on screen is a
bisection per lane, and adding or removing one segment touches one lane: coding a passage in a
document with thousands of segments costs microseconds, not a rebuild. Pieces (stretches covered
by the same codes) are cut only for the text being painted.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Span:
    """One visible segment in Qt units, with what the stripes' tooltip says about it."""

    segment_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    colour: str
    label: str


class Piece(NamedTuple):
    """A stretch of text covered by the same codes; ``colours`` is in lane order."""

    start: int
    end: int
    colours: tuple[str, ...]


class _Lane:
    """Non-overlapping spans sorted by start (and so by end)."""

    __slots__ = ("spans", "starts")

    def __init__(self) -> None:
        self.spans: list[Span] = []
        self.starts: list[int] = []

    def room_for(self, span: Span) -> int | None:
        """Where ``span`` would go, or None when it overlaps a span already here."""
        index = bisect_right(self.starts, span.start)
        if index > 0 and self.spans[index - 1].end > span.start:
            return None
        if index < len(self.spans) and self.spans[index].start < span.end:
            return None
        return index

    def overlapping(self, start: int, end: int) -> Iterable[Span]:
        index = max(0, bisect_left(self.starts, start) - 1)
        for span in self.spans[index:]:
            if span.start >= end:
                break
            if span.end > start:
                yield span


class CodingLayer:
    """The coded spans of one document, ready to paint."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self.lanes: list[_Lane] = []
        self._lane_of: dict[int, int] = {}
        # Longest first at each start, so wide segments take the inner lanes.
        for span in sorted(spans, key=lambda s: (s.start, -s.end, s.code_id, s.segment_id)):
            self.add(span)

    @property
    def spans(self) -> list[Span]:
        return sorted(
            (s for lane in self.lanes for s in lane.spans), key=lambda s: (s.start, s.segment_id)
        )

    def __len__(self) -> int:
        return len(self._lane_of)

    def add(self, span: Span) -> None:
        """Put ``span`` in the first lane with room (a new lane if none has)."""
        self.remove(span.segment_id)
        number, index = len(self.lanes), 0
        for candidate, lane in enumerate(self.lanes):
            room = lane.room_for(span)
            if room is not None:
                number, index = candidate, room
                break
        if number == len(self.lanes):
            self.lanes.append(_Lane())
        lane = self.lanes[number]
        lane.spans.insert(index, span)
        lane.starts.insert(index, span.start)
        self._lane_of[span.segment_id] = number

    def remove(self, segment_id: int) -> None:
        number = self._lane_of.pop(segment_id, None)
        if number is None:
            return
        lane = self.lanes[number]
        index = next(i for i, s in enumerate(lane.spans) if s.segment_id == segment_id)
        del lane.spans[index]
        del lane.starts[index]
        while self.lanes and not self.lanes[-1].spans:
            self.lanes.pop()

    def spans_between(self, start: int, end: int) -> list[tuple[int, Span]]:
        """(lane, span) for every span overlapping ``start:end``."""
        return [
            (number, span)
            for number, lane in enumerate(self.lanes)
            for span in lane.overlapping(start, end)
        ]

    def pieces_between(self, start: int, end: int) -> list[Piece]:
        """Cut the text ``start:end`` into pieces covered by the same codes."""
        events = sorted(
            [(max(s.start, start), 1, lane, s.colour) for lane, s in self.spans_between(start, end)]
            + [(min(s.end, end), 0, lane, "") for lane, s in self.spans_between(start, end)]
        )
        active: dict[int, str] = {}
        pieces: list[Piece] = []
        last = start
        for position, kind, lane, colour in events:
            if active and position > last:
                pieces.append(Piece(last, position, tuple(active[k] for k in sorted(active))))
            last = position
            if kind:
                active[lane] = colour
            else:
                active.pop(lane, None)
        return pieces

    def spans_at(self, start: int, end: int | None = None) -> list[Span]:
        """Spans under a position (or overlapping a selection), innermost first."""
        stop = start + 1 if end is None or end <= start else end
        hits = [span for _, span in self.spans_between(start, stop)]
        return sorted(hits, key=lambda s: (s.end - s.start, s.segment_id))
