"""Vectorised span arithmetic: unions of overlapping spans per group, and spans to units.

Spans are half-open ``[start, end)`` on the global line of SynthesisData (documents laid end to
end with gaps), so one pass handles every document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Blocks:
    """Disjoint spans per key, sorted by (key, start)."""

    key: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @property
    def length(self) -> np.ndarray:
        return self.end - self.start


def union_blocks(key: np.ndarray, start: np.ndarray, end: np.ndarray) -> Blocks:
    """Merge spans that overlap or touch within each key into disjoint blocks.

    Two overlapping segments of one code count their shared characters once, which is what keeps
    a parent code from double counting its children.
    """
    import numpy as np

    if len(key) == 0:
        empty = np.zeros(0, "int64")
        return Blocks(empty, empty, empty)
    order = np.lexsort((start, key))
    k, s, e = key[order], start[order], end[order]
    changed = np.empty(len(k), bool)
    changed[0] = True
    changed[1:] = k[1:] != k[:-1]
    rank = np.cumsum(changed) - 1
    # A running maximum must restart at each key; lifting each key's ends above every earlier
    # key's lets one global maximum.accumulate do that.
    lift = rank * (int(e.max()) + 1)
    reach = np.maximum.accumulate(e + lift) - lift
    new = changed.copy()
    new[1:] |= s[1:] > reach[:-1]
    firsts = np.flatnonzero(new)
    return Blocks(k[firsts], s[firsts], np.maximum.reduceat(e, firsts))


def total_per_key(blocks: Blocks, size: int) -> np.ndarray:
    """Sum of block lengths for each integer key ``0 .. size-1``."""
    import numpy as np

    return np.bincount(blocks.key, weights=blocks.length, minlength=size).astype("int64")


def words_per_key(
    blocks: Blocks, word_starts: np.ndarray, word_ends: np.ndarray, size: int
) -> np.ndarray:
    """Number of distinct words that a key's blocks touch (a word partly inside counts once)."""
    import numpy as np

    first = np.searchsorted(word_ends, blocks.start, side="right")
    stop = np.searchsorted(word_starts, blocks.end, side="left")
    keep = stop > first
    # Two blocks of one key can end and start inside the same word: union the word ranges too.
    words = union_blocks(blocks.key[keep], first[keep], stop[keep])
    return total_per_key(words, size)


def unit_ranges(
    unit_start: np.ndarray, unit_end: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each span, the range ``[first, stop)`` of sorted disjoint units it overlaps."""
    import numpy as np

    first = np.searchsorted(unit_end, start, side="right")
    stop = np.searchsorted(unit_start, end, side="left")
    return first, np.maximum(stop, first)


def expand_ranges(first: np.ndarray, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flatten ranges into (row, value) pairs: row i yields first[i] .. stop[i]-1."""
    import numpy as np

    counts = stop - first
    rows = np.repeat(np.arange(len(first)), counts)
    starts_of_rows = np.repeat(np.cumsum(counts) - counts, counts)
    values = np.repeat(first, counts) + (np.arange(int(counts.sum())) - starts_of_rows)
    return rows, values
