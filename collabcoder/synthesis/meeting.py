"""The passages behind one co-occurrence cell: where two codes meet, in the cell's own terms.

In ``overlap`` mode a passage is one overlapping pair of the two codes' coded runs, shown from the
first start to the last end of the pair; in a unit mode it is each sentence, turn or document that
holds both codes. So the passages listed are exactly the ones the cell counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from collabcoder.synthesis.filters import SegmentFilter, filtered_segments
from collabcoder.synthesis.layout import level_codes
from collabcoder.synthesis.spans import expand_ranges, union_blocks, unit_ranges
from collabcoder.synthesis.units import Units, build_units

if TYPE_CHECKING:
    import numpy as np

    from collabcoder.synthesis.frames import SynthesisData


@dataclass(frozen=True)
class Passage:
    """A span of one document (code points, end exclusive) and its text."""

    document_id: int
    document: str
    start: int
    end: int
    text: str


def meeting_passages(
    data: SynthesisData,
    first: int,
    second: int,
    *,
    mode: str = "overlap",
    depth: int | None = None,
    filters: SegmentFilter | None = None,
    units: Units | None = None,
) -> list[Passage]:
    """Where codes ``first`` and ``second`` (cell codes at ``depth``) meet, in text order.

    On the diagonal (``first == second``) these are the code's own passages or units.
    """

    segments = filtered_segments(data, filters or SegmentFilter())
    stand_in = level_codes(data, depth).reindex(segments["code_id"]).to_numpy("int64")
    gstart, gend = data.global_spans(segments)
    a = (gstart[stand_in == first], gend[stand_in == first])
    b = (gstart[stand_in == second], gend[stand_in == second])
    if mode == "overlap":
        spans = _overlapping_pairs(a, b, same=first == second)
    else:
        spans = _shared_units(units or build_units(data, mode), a, b)
    return _passages(data, spans)


def _blocks(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    blocks = union_blocks(np.zeros(len(start), "int64"), start, end)
    return blocks.start, blocks.end


def _overlapping_pairs(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray], same: bool
) -> list[tuple[int, int]]:
    a_start, a_end = _blocks(*a)
    if same:
        return list(zip(a_start.tolist(), a_end.tolist(), strict=True))
    b_start, b_end = _blocks(*b)
    pairs = []
    for s, e in zip(a_start.tolist(), a_end.tolist(), strict=True):
        hit = (b_start < e) & (b_end > s)
        for bs, be in zip(b_start[hit].tolist(), b_end[hit].tolist(), strict=True):
            pairs.append((min(s, bs), max(e, be)))
    return sorted(pairs)


def _unit_set(units: Units, start: np.ndarray, end: np.ndarray) -> set[int]:
    first, stop = unit_ranges(units.gstart, units.gend, start, end)
    return set(expand_ranges(first, stop)[1].tolist())


def _shared_units(
    units: Units, a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> list[tuple[int, int]]:
    both = sorted(_unit_set(units, *a) & _unit_set(units, *b))
    return [(int(units.gstart[i]), int(units.gend[i])) for i in both]


def _passages(data: SynthesisData, spans: list[tuple[int, int]]) -> list[Passage]:
    """The document passages at global spans (each inside one document), found in one search
    of the documents' offsets (a cell can hold thousands)."""
    import numpy as np

    offsets = data.documents["offset"].sort_values()
    starts = np.array([s for s, _ in spans], "int64")
    at = offsets.searchsorted(starts, side="right") - 1
    ids, bases = offsets.index.to_numpy()[at].tolist(), offsets.to_numpy("int64")[at].tolist()
    names = data.documents["name"]
    found = []
    for (gstart, gend), document_id, offset in zip(spans, ids, bases, strict=True):
        start, end = gstart - offset, gend - offset
        text = data.texts.get(document_id, "")[start:end]
        found.append(Passage(document_id, str(names.at[document_id]), start, end, text))
    return found
