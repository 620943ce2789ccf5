"""Span helpers behind the coding commands (plain Python, code-point positions throughout)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from collabcoder.core.records import TurnRecord

# A speaker label at the start of a turn: optional [hh:mm:ss] or (hh:mm) stamp, then "Name:".
_LABEL = re.compile(
    r"\s*(?P<stamp>[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?)?\s*"
    r"(?:(?P<speaker>[^\n:]{1,60}):[ \t]*)?"
)
# A speaker-key label ("MD Brilliant…", "INT - So…"): a short capitalised token, then a dash,
# a colon or a space. It counts only when it abbreviates the turn's speaker (see _abbreviates).
_KEY_LABEL = re.compile(
    r"[ \t]*(?:(?P<speaker>[A-Z][A-Za-z]{1,3}\d?|[A-Z]\d)(?:[ \t]*[-–—:][ \t]*|[ \t]+)"
    r"|(?P<letter>[A-Z])[ \t]*[-–—:][ \t]*)"  # one letter only before a dash or colon
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
_IN_VIVO_MAX = 60


@dataclass(frozen=True)
class TurnLabel:
    """Where a turn's timestamp and speaker label lie, and where the spoken words begin."""

    stamp: tuple[int, int] | None
    speaker: tuple[int, int] | None
    body_start: int


def turn_label(text: str, turn: TurnRecord) -> TurnLabel:
    """Find the timestamp and ``Speaker:`` label at the start of ``turn`` (either may be absent)."""
    match = _LABEL.match(text, turn.start, turn.end)
    if match is None:
        return TurnLabel(None, None, turn.start)
    stamp = match.span("stamp") if match.group("stamp") else None
    speaker = None
    if match.group("speaker") and turn.speaker and turn.speaker in match.group("speaker"):
        speaker = (match.start("speaker"), match.end("speaker") + 1)  # the colon too
    elif turn.speaker:
        keyed = _KEY_LABEL.match(text, match.end("stamp") if stamp else turn.start, turn.end)
        group = "speaker" if keyed and keyed["speaker"] else "letter"
        if keyed and _abbreviates(keyed[group], turn.speaker):
            return TurnLabel(stamp, keyed.span(group), keyed.end())
    if stamp is None and speaker is None:
        return TurnLabel(None, None, turn.start)
    return TurnLabel(stamp, speaker, match.end())


def _abbreviates(label: str, name: str) -> bool:
    """True when ``label`` is the initials of ``name`` ("MD", Michelle Drumm) or its start
    ("INT", Interviewer): how a speaker key shortens names."""
    words = name.split()
    initials = "".join(w[0] for w in words).casefold()
    wanted = label.rstrip("0123456789").casefold()
    return bool(wanted) and (wanted == initials or name.casefold().startswith(wanted))


# Dark enough to read on the window background in light and dark styles alike.
SPEAKER_COLOURS = ("#1f5fa8", "#a8321f", "#2e7d32", "#7b3fa0", "#b06000", "#00796b", "#8d4e85")


def speaker_colours(turns: Sequence[TurnRecord]) -> dict[str, str]:
    """One colour per speaker, in order of first appearance."""
    colours: dict[str, str] = {}
    for turn in turns:
        if turn.speaker and turn.speaker not in colours:
            colours[turn.speaker] = SPEAKER_COLOURS[len(colours) % len(SPEAKER_COLOURS)]
    return colours


def speaker_is_named(text: str, turn: TurnRecord) -> bool:
    """True when the turn's label in the text already spells its speaker's full name."""
    label = turn_label(text, turn).speaker
    return label is not None and turn.speaker in text[label[0] : label[1]]


def turn_at(turns: Sequence[TurnRecord], position: int) -> TurnRecord | None:
    """The turn holding ``position`` (turns are in text order)."""
    for turn in turns:
        if turn.start <= position < turn.end or position == turn.end > turn.start:
            return turn
    return None


def whole_turn(text: str, turns: Sequence[TurnRecord], position: int) -> tuple[int, int] | None:
    """The spoken words of the turn at ``position`` (label and trailing space left out)."""
    turn = turn_at(turns, position)
    if turn is None:
        return None
    start = turn_label(text, turn).body_start
    end = turn.end
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _paragraph(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


def sentence_bounds(
    text: str, start: int, end: int, turns: Sequence[TurnRecord] = ()
) -> tuple[int, int]:
    """Widen ``start:end`` to whole sentences, never past its paragraph or a speaker label."""
    para_start, _ = _paragraph(text, start)
    _, para_end = _paragraph(text, max(start, end - 1))
    turn = turn_at(turns, start)
    if turn is not None:
        para_start = max(para_start, turn_label(text, turn).body_start)
    new_start = para_start
    for match in _SENTENCE_END.finditer(text, para_start, start):
        new_start = match.end()
    while new_start < start and text[new_start].isspace():
        new_start += 1
    # The first sentence end at or after the last selected character closes the span.
    found = _SENTENCE_END.search(text, max(start, end - 1), para_end)
    new_end = found.end() if found else para_end
    return new_start, max(new_end, new_start + 1)


def in_vivo_name(text: str) -> str:
    """A code name made from the selected words: one line, trimmed, at most ~60 characters."""
    words = " ".join(text.split()).strip(" \"'“”‘’.,;:!?-–—")
    if len(words) <= _IN_VIVO_MAX:
        return words
    cut = words[:_IN_VIVO_MAX].rsplit(" ", 1)[0]
    return cut + "…"


def quote_context(text: str, start: int, end: int, width: int = 60) -> tuple[str, str, str]:
    """The quote with up to ``width`` characters of context either side, on whole words."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    if start - width > 0 and " " in before:
        before = "…" + before.split(" ", 1)[1]
    if end + width < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return _flat(before), _flat(text[start:end]), _flat(after)


def _flat(text: str) -> str:
    return " ".join(text.split())
