"""Code x code co-occurrence: overlapping passages, or codes sharing a sentence, turn, document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from collabcoder.core.errors import InvalidValue
from collabcoder.synthesis.filters import SegmentFilter, filtered_segments
from collabcoder.synthesis.layout import level_codes
from collabcoder.synthesis.spans import expand_ranges, total_per_key, union_blocks, unit_ranges
from collabcoder.synthesis.units import UNITS, Units, build_units

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from collabcoder.synthesis.frames import SynthesisData

MODES = ("overlap", *UNITS)


@dataclass
class Cooccurrence:
    """Symmetric code x code tables (index and columns: code ids in tree order).

    In ``overlap`` mode ``counts`` holds the number of overlapping passage pairs (a passage is a
    run of text coded with the code, so two coders coding the same words count once) and
    ``jaccard`` the shared characters over the characters coded with either code. In unit modes
    ``counts`` holds the number of units where both codes occur and ``jaccard`` that number over
    the units with either. The diagonal holds each code's own passages or units.
    """

    counts: pd.DataFrame
    jaccard: pd.DataFrame
    codes: pd.DataFrame
    mode: str

    def labelled(self, table: str = "counts") -> pd.DataFrame:
        """``counts`` or ``jaccard`` with code paths as labels."""
        frame = (self.counts if table == "counts" else self.jaccard).copy()
        frame.index = frame.columns = list(self.codes["path"])
        return frame


def _symmetric(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    import numpy as np

    table = np.zeros((n, n))
    np.add.at(table, (rows, cols), weights)
    np.add.at(table, (cols, rows), weights)
    return table


def _overlap_tables(
    column: np.ndarray, gstart: np.ndarray, gend: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair counts, shared characters and each code's coded characters from passages."""
    import numpy as np

    blocks = union_blocks(column, gstart, gend)
    order = np.argsort(blocks.start, kind="stable")
    code, start, end = blocks.key[order], blocks.start[order], blocks.end[order]
    # Passages of one code never touch, so each later passage starting before this one ends
    # belongs to another code and overlaps it.
    stop = np.searchsorted(start, end, side="left")
    first = np.arange(len(start)) + 1
    left, right = expand_ranges(first, np.maximum(stop, first))
    shared = np.minimum(end[left], end[right]) - start[right]
    counts = _symmetric(code[left], code[right], np.ones(len(left)), n)
    chars = _symmetric(code[left], code[right], shared.astype("float64"), n)
    np.fill_diagonal(counts, np.bincount(code, minlength=n))
    own = total_per_key(blocks, n).astype("float64")
    np.fill_diagonal(chars, own)
    return counts, chars, own


def _unit_tables(
    column: np.ndarray, gstart: np.ndarray, gend: np.ndarray, units: Units, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import numpy as np
    from scipy import sparse

    first, stop = unit_ranges(units.gstart, units.gend, gstart, gend)
    rows, unit = expand_ranges(first, stop)
    presence = sparse.csr_matrix((np.ones(len(rows)), (unit, column[rows])), shape=(len(units), n))
    presence.data[:] = 1  # duplicates were summed; presence is yes or no
    both = (presence.T @ presence).toarray()
    own = np.diag(both).copy()
    return both, both, own


def cooccurrence(
    data: SynthesisData,
    *,
    mode: str = "overlap",
    depth: int | None = None,
    filters: SegmentFilter | None = None,
    units: Units | None = None,
) -> Cooccurrence:
    """Co-occurrence of codes at ``depth`` (None: every code; deeper codes fold into their
    ancestor at ``depth``). ``mode`` is overlap, sentence, turn or document; ``units`` replaces
    the built-in units of that kind (e.g. sentences from the nlp layer)."""
    import numpy as np
    import pandas as pd

    if mode not in MODES:
        raise InvalidValue(
            f"Unknown co-occurrence mode {mode!r}; choose one of {', '.join(MODES)}."
        )
    stand_in = level_codes(data, depth)
    shown = data.codes[data.codes.index.isin(stand_in.unique())]
    number = pd.Series(np.arange(len(shown)), index=shown.index)
    segments = filtered_segments(data, filters or SegmentFilter())
    column = number.reindex(stand_in.reindex(segments["code_id"]).to_numpy()).to_numpy("int64")
    gstart, gend = data.global_spans(segments)
    n = len(shown)
    if mode == "overlap":
        counts, shared, own = _overlap_tables(column, gstart, gend, n)
    else:
        counts, shared, own = _unit_tables(
            column, gstart, gend, units or build_units(data, mode), n
        )
    either = own[:, None] + own[None, :] - shared
    jaccard = np.divide(
        shared, either, out=np.zeros_like(shared, dtype="float64"), where=either > 0
    )
    frame = pd.DataFrame(counts.astype("int64"), index=shown.index, columns=shown.index)
    return Cooccurrence(
        frame, pd.DataFrame(jaccard, index=shown.index, columns=shown.index), shown, mode
    )
