"""Units of suggestion: the spans a code is suggested for.

A unit is a sentence inside one speaker turn, so a suggestion never crosses a turn boundary;
text outside every turn (a header, notes between turns) is split on its own. A short document is
suggested as a whole (one unit per turn when it has turns). Positions are code-point indices into
the canonical text, end exclusive.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from collabcoder.core.text import count_words

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Comments, answers to one survey question and short notes are coded whole, not per sentence.
SHORT_DOCUMENT_WORDS = 100


@dataclass(frozen=True, slots=True)
class Block:
    """A stretch of text processed on its own: one turn, or the text between turns."""

    start: int
    end: int
    turn: int | None  # index into the turns given, None for text outside every turn


@dataclass(frozen=True, slots=True)
class Unit:
    """One span a code may be suggested for, with whitespace trimmed off both ends."""

    start: int
    end: int
    turn: int | None


def blocks(text: str, turns: Sequence[tuple[int, int]]) -> list[Block]:
    """Cut ``text`` into turn blocks and the blocks between them, in text order.

    Turns are clipped to the text and to each other (a turn starting inside the previous one
    starts where that one ends), so blocks never overlap. Blocks of whitespace are dropped.
    """
    ordered = sorted(
        (max(0, start), min(len(text), end), index) for index, (start, end) in enumerate(turns)
    )
    result: list[Block] = []
    position = 0
    for start, end, index in ordered:
        start = max(start, position)
        if end <= start:
            continue
        if start > position:
            result.append(Block(position, start, None))
        result.append(Block(start, end, index))
        position = end
    if position < len(text):
        result.append(Block(position, len(text), None))
    return [block for block in result if text[block.start : block.end].strip()]


def _trimmed(text: str, start: int, end: int, turn: int | None) -> Unit | None:
    piece = text[start:end]
    stripped = piece.lstrip()
    start += len(piece) - len(stripped)
    end = start + len(stripped.rstrip())
    return Unit(start, end, turn) if end > start else None


def is_short(text: str, short_words: int = SHORT_DOCUMENT_WORDS) -> bool:
    """Whether ``text`` is short enough to be suggested as a whole rather than per sentence."""
    return count_words(text) <= short_words


def units_of_block(text: str, block: Block, doc: Doc | None) -> list[Unit]:
    """Units of one block; ``doc`` is the block's text run through the pipeline, or None to
    keep the block whole."""
    if doc is None:
        unit = _trimmed(text, block.start, block.end, block.turn)
        return [unit] if unit else []
    units = []
    for sentence in doc.sents:
        start = block.start + sentence.start_char
        unit = _trimmed(text, start, block.start + sentence.end_char, block.turn)
        if unit:
            units.append(unit)
    return units


def pipe_blocks(
    nlp: Language,
    documents: Sequence[tuple[str, Sequence[tuple[int, int]]]],
    batch_size: int = 64,
    skipped: Sequence[frozenset[int]] | None = None,
) -> Iterator[tuple[int, Block, Doc]]:
    """Run every block of every document through ``nlp``: yields (document index, block, doc).

    ``skipped`` gives, per document, the numbers of turns left out (never run or suggested on).
    """
    jobs = [
        (index, block)
        for index, (text, turns) in enumerate(documents)
        for block in blocks(text, turns)
        if skipped is None or block.turn is None or block.turn not in skipped[index]
    ]
    texts = (documents[index][0][block.start : block.end] for index, block in jobs)
    for (index, block), doc in zip(jobs, nlp.pipe(texts, batch_size=batch_size), strict=True):
        yield index, block, doc


def document_units(
    nlp: Language,
    documents: Sequence[tuple[str, Sequence[tuple[int, int]]]],
    short_words: int = SHORT_DOCUMENT_WORDS,
    batch_size: int = 64,
    skipped: Sequence[frozenset[int]] | None = None,
) -> Iterator[tuple[int, Block, Doc, list[Unit]]]:
    """Every block of every document through ``nlp`` with its units: yields (document index,
    block, doc, units). A short document's blocks are kept whole (see :func:`is_short`); the
    turns in ``skipped`` (per document) are left out."""
    short = [is_short(text, short_words) for text, _ in documents]
    for index, block, doc in pipe_blocks(nlp, documents, batch_size, skipped):
        text = documents[index][0]
        yield index, block, doc, units_of_block(text, block, None if short[index] else doc)


def split_units(
    nlp: Language,
    text: str,
    turns: Sequence[tuple[int, int]] = (),
    short_words: int = SHORT_DOCUMENT_WORDS,
    skipped: frozenset[int] = frozenset(),
) -> list[Unit]:
    """The units of suggestion of one document, in text order, leaving out the turns whose
    numbers are in ``skipped``."""
    if is_short(text, short_words):
        return [
            unit
            for block in blocks(text, turns)
            if block.turn is None or block.turn not in skipped
            for unit in units_of_block(text, block, None)
        ]
    return [
        unit
        for _, block, doc in pipe_blocks(nlp, [(text, turns)], skipped=[skipped])
        for unit in units_of_block(text, block, doc)
    ]
