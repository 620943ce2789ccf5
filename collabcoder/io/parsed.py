"""What a file reader hands back: canonical text plus the structure found beside it.

These are plain data, free of any project or database, so the GUI can preview an import (turns,
metadata) before anything is written, and batch import can turn them into project documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from collabcoder.core.search_headings import Heading
from collabcoder.core.text import canonical_text, unsafe_lines


def document_text(raw: str, name: str) -> tuple[str, list[str]]:
    """``raw`` as canonical text, and the warnings of :func:`replacement_warnings`."""
    return canonical_text(raw), replacement_warnings(raw, name)


def replacement_warnings(raw: str, name: str) -> list[str]:
    """A warning naming the lines where canonical text replaces characters that must not reach
    the store (controls such as NUL, noncharacters, lone surrogates) by U+FFFD; none if clean."""
    lines = unsafe_lines(raw)
    if not lines:
        return []
    return [f"{name}: control or non-character codes on {describe_lines(lines)} became \ufffd"]


def describe_lines(numbers: list[int], shown: int = 8) -> str:
    """``line 4`` / ``lines 3, 7 and 2 more``: line numbers as a warning lists them."""
    listed = ", ".join(map(str, numbers[:shown]))
    if len(numbers) > shown:
        listed += f" and {len(numbers) - shown} more"
    return f"line {listed}" if len(numbers) == 1 else f"lines {listed}"


@dataclass(frozen=True, slots=True)
class ParsedTurn:
    """One speaker turn: ``text[start:end]`` of the document's canonical text, label included."""

    speaker: str
    start: int
    end: int
    timestamp: str | None = None
    seconds: float | None = None


def locate_headings(lines: list[str], found: list[tuple[int, int]]) -> list[Heading]:
    """Where the heading lines ``found`` ((level, index into ``lines``)) lie in the canonical
    text of ``"\n".join(lines)``.

    Canonical text changes nothing across a line break (NFC never composes over one, CR LF
    lies before it), so a line's offset is the canonical length of the lines before it; each
    piece is measured after a line break, so a BOM inside the text is not taken for a leading
    one. An empty heading line is left out.
    """
    headings: list[Heading] = []
    offset, done = 0, 0  # canonical offset of line ``done``
    for level, index in sorted(found, key=lambda item: item[1]):
        if index > done:
            piece = "\n".join(lines[done:index]) + "\n"
            offset += len(canonical_text(piece)) if done == 0 else (
                len(canonical_text("\n" + piece)) - 1)  # fmt: skip
            done = index
        line = canonical_text("\n" + lines[index])[1:] if index else canonical_text(lines[0])
        stripped = line.strip()
        if stripped:
            start = offset + len(line) - len(line.lstrip())
            headings.append(Heading(level, start, start + len(stripped)))
    return headings


@dataclass(slots=True)
class ParsedDocument:
    """A file read into canonical text, its speaker turns, metadata and headings.

    ``kind`` is the reader's best guess (transcript, fieldnotes or document); an import may
    override it. ``warnings`` are things the researcher should know but that did not stop the read
    (a guessed encoding, a malformed front matter left in the text...).
    """

    text: str
    turns: list[ParsedTurn] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    kind: str = "document"
    warnings: list[str] = field(default_factory=list)
    # Heading lines (level 1 the top), beside the text like turns; ``text[start:end]`` each.
    headings: list[Heading] = field(default_factory=list)


class TextBuilder:
    """Assemble canonical text piece by piece, remembering where each speaker turn lies.

    Readers of structured formats (captions) know the turns before the text exists; building the
    text here keeps every recorded offset a true index into the final canonical text.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.turns: list[ParsedTurn] = []

    def append(self, raw: str) -> None:
        """Add ``raw`` (canonicalised first) to the end of the text."""
        piece = canonical_text(raw)
        self._parts.append(piece)
        self._length += len(piece)

    def add_turn(
        self, speaker: str, body: str, timestamp: str | None = None, seconds: float | None = None
    ) -> None:
        """Add a paragraph for one turn; a known speaker is written as a ``Speaker:`` label."""
        if self._length:
            self.append("\n\n")
        start = self._length
        self.append(f"{speaker}: {body}" if speaker else body)
        self.turns.append(ParsedTurn(speaker, start, self._length, timestamp, seconds))

    def text(self) -> str:
        """The canonical text built so far."""
        return "".join(self._parts)
