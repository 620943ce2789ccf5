"""The canonical text of a document and conversions at its edges.

Inside CollabCoder a position is a Python string index (a code point) into canonical text: NFC,
``\\n`` line ends, no BOM. Qt widgets and NVivo count UTF-16 code units instead; these helpers
are the one place that converts.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

_BOM = "\ufeff"
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 units each


def canonical_text(raw: str) -> str:
    """Return ``raw`` as canonical text: no leading BOM, ``\\n`` line ends, Unicode NFC."""
    if raw.startswith(_BOM):
        raw = raw[1:]
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", raw)


def count_words(text: str) -> int:
    """Count words the way researchers do: runs of letters/digits, keeping "don't" whole."""
    return len(_WORD.findall(text))


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every word, by the same rule as :func:`count_words`."""
    return [match.span() for match in _WORD.finditer(text)]


class Utf16Map:
    """Convert between code-point indices and UTF-16 unit offsets for one text.

    Built once per text in O(n); each conversion is O(log k) in the number k of characters
    outside the Basic Multilingual Plane (emoji), so it stays cheap on long transcripts.
    """

    def __init__(self, text: str) -> None:
        # Code-point indices of astral characters; each one adds a unit after it.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        self._length = len(text)
        self._astral_units = [i + n for n, i in enumerate(self._astral)]

    def to_utf16(self, index: int) -> int:
        """UTF-16 offset of code-point ``index`` (0..len(text))."""
        return index + bisect_right(self._astral, index - 1)

    def from_utf16(self, offset: int) -> int:
        """Code-point index for UTF-16 ``offset`` (inside a surrogate pair: the next character)."""
        # Number of astral characters that end at or before this offset.
        before = bisect_right(self._astral_units, offset - 2)
        return min(offset - before, self._length)


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    return len(text) + len(_ASTRAL.findall(text))
