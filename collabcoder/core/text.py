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
REPLACEMENT = "\ufffd"
# Line breaks other than \n: vertical tab, form feed (a PDF's page break), NEL.
_OTHER_BREAKS = ("\x0b", "\x0c", "\x85")
# What never reaches the store: C0 controls but tab and newline, DEL, C1 controls, lone
# surrogates (a broken UTF-16 pair) and the 66 noncharacters. They break XML exports and editors.
# Each becomes one U+FFFD, so positions counted in the raw text still hold (CRLF aside).
_ASCII_UNSAFE = bytes([*range(0x09), *range(0x0E, 0x20), 0x7F])
_BMP_UNSAFE = "\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_ASTRAL_UNSAFE = "".join(
    chr(plane + low) for plane in range(0x10000, 0x110000, 0x10000) for low in (0xFFFE, 0xFFFF)
)
UNSAFE = re.compile(f"[{_BMP_UNSAFE}{_ASTRAL_UNSAFE}]")
# Searched separately because a class of many single characters is slow on long texts.
_BMP_UNSAFE_RE = re.compile(f"[{_BMP_UNSAFE}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 units each
_ASTRAL_UNSAFE_RE = re.compile(f"[{_ASTRAL_UNSAFE}]")


def canonical_text(raw: str) -> str:
    """Return ``raw`` as canonical text: no leading BOM, ``\\n`` line ends, Unicode NFC, and
    every control, noncharacter and lone surrogate replaced by U+FFFD (see :func:`unsafe_lines`).

    Idempotent: canonical text is its own canonical text.
    """
    raw = _line_ends(raw.lstrip(_BOM))
    if _has_unsafe(raw):
        raw = UNSAFE.sub(REPLACEMENT, raw)
    return unicodedata.normalize("NFC", raw)


def unsafe_lines(raw: str) -> list[int]:
    """1-based line numbers (after canonical line ends) holding characters canonical_text replaces.

    Readers use it to tell the researcher what was replaced and where.
    """
    text = _line_ends(raw.lstrip(_BOM))
    if not _has_unsafe(text):
        return []
    lines: list[int] = []
    line, at = 1, 0
    for match in UNSAFE.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _line_ends(raw: str) -> str:
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    for other in _OTHER_BREAKS:
        if other in raw:
            raw = raw.replace(other, "\n")
    return raw


def _has_unsafe(text: str) -> bool:
    if text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _ASCII_UNSAFE)) != len(data)
    if _BMP_UNSAFE_RE.search(text):
        return True
    return _ASTRAL.search(text) is not None and _ASTRAL_UNSAFE_RE.search(text) is not None


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
