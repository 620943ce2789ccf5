"""Find speaker turns in plain transcript text without rewriting it.

Transcription services and researchers label speakers in a handful of ways. Each convention is
one line-anchored regex (linear time, so 5 M words import in seconds); the convention that yields
the most turns wins, and a label counts only when it behaves like a speaker: it recurs, or it is a
role word such as "Interviewer". That keeps "Note: ..." in prose and clock times like "10:30" from
becoming speakers. Labels stay in the text; a turn runs from its label to the next turn's label.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from collabcoder.io.parsed import ParsedTurn

# A speaker name: up to four words, the first a letter; capitalisation is checked in code so
# non-ASCII capitals ("Émile") count too.
_NAME = r"[^\W\d_][\w.'’-]{0,30}(?:[ \t][\w.'’-]{1,30}){0,3}"
_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"

_PLAIN = re.compile(rf"^[ \t]*(?P<name>{_NAME})[ \t]*:(?=[ \t]|$)", re.M)
_BOLD = re.compile(r"^[ \t]*(\*\*|__)(?P<name>[^*_\n:]{1,40}?)(?::\1|\1[ \t]*:)", re.M)
_STAMPED = re.compile(
    rf"^[ \t]*[\[(]?(?P<ts>{_TIME})[\])]?[ \t]*[-–]?[ \t]*(?P<name>{_NAME})[ \t]*:(?=[ \t]|$)",
    re.M,
)
# "Speaker 1  0:03" alone on a line, the utterance below it (Otter-style exports).
_NAME_THEN_TIME = re.compile(
    rf"^[ \t]*(?P<name>{_NAME})[ \t]+[\[(]?(?P<ts>{_TIME})[\])]?[ \t]*$", re.M
)
# A key line at the top of a transcript: "MD - Michelle Drumm".
_KEY_LINE = re.compile(
    r"^[ \t]*(?P<initials>[A-Z][A-Za-z]{0,3}\d?)[ \t]*[-–—=][ \t]*"
    r"(?P<name>[^\W\d_][\w.'’-]*(?:[ \t]+[^\W\d_][\w.'’-]*){0,4})[ \t]*$"
)

_KEY_SEARCH_LINES = 40
_ROLE = re.compile(
    r"(?:interviewer|interviewee|participant|respondent|moderator|facilitator|observer|"
    r"researcher|speaker|host|guest|chair|int|iv|[qarip])(?:[ \t]*\d+)?",
    re.I,
)
# First words of labels that head prose paragraphs rather than name speakers.
_PROSE_LABELS = frozenset(
    {
        *("note", "notes", "nb", "summary", "example", "examples", "warning", "tip", "update"),
        *("source", "sources", "action", "actions", "date", "time", "location", "site", "title"),
        *("subject", "re", "ps", "caution", "important", "reminder", "todo", "result", "results"),
        *("conclusion", "aim", "aims", "objective", "purpose", "background", "method", "step"),
        *("task", "agenda", "attendees", "apologies", "present", "outcome", "decision", "see"),
        *("comment", "comments", "figure", "table", "chapter", "section", "part", "url", "email"),
    }
)
# Plain "Name:" labels must open this share of paragraphs for the text to be a transcript.
_MIN_PLAIN_SHARE = 0.2
_PARAGRAPH = re.compile(r"(?:\A|\n[ \t]*\n)\s*\S")


@dataclass(frozen=True, slots=True)
class _Label:
    """A candidate label found by one convention."""

    start: int  # where the label begins (the turn's start)
    line_start: int  # where its line begins (the previous turn ends before it)
    speaker: str
    timestamp: str | None


def detect_turns(text: str, *, start: int = 0) -> list[ParsedTurn]:
    """Speaker turns in ``text`` from offset ``start`` (e.g. after a metadata heading block).

    Returns an empty list when no convention is used consistently enough to be a transcript.
    """
    candidates = [
        _accept_plain(list(_labels(_PLAIN, text, start)), text, start),
        _accept_marked(list(_labels(_BOLD, text, start))),
        _accept_marked(list(_labels(_STAMPED, text, start))),
        _accept_marked(list(_labels(_NAME_THEN_TIME, text, start))),
        _keyed_labels(text, start),
    ]
    best = max(candidates, key=len)
    return _to_turns(best, text)


def timestamp_seconds(stamp: str) -> float:
    """Seconds from a ``[hh:]mm:ss[.fff]`` timestamp (a comma may stand for the decimal point)."""
    parts = stamp.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def _labels(pattern: re.Pattern[str], text: str, start: int) -> Iterator[_Label]:
    for match in pattern.finditer(text, start):
        speaker = " ".join(match["name"].split())
        if not _looks_like_name(speaker):
            continue
        yield _located(match, speaker, match.groupdict().get("ts"))


def _located(match: re.Match[str], speaker: str, timestamp: str | None) -> _Label:
    """A label whose match begins at its line start (every pattern is anchored with ``^``)."""
    indent = len(match[0]) - len(match[0].lstrip(" \t"))
    return _Label(match.start() + indent, match.start(), speaker, timestamp)


def _looks_like_name(speaker: str) -> bool:
    words = speaker.split()
    return (
        bool(words)
        and all(w[0].isupper() or w[0].isdigit() for w in words)
        and not (words[0][0].isdigit())
    )


def _accept_marked(labels: list[_Label]) -> list[_Label]:
    """Bold or timestamped labels are deliberate markup: two of them make a transcript."""
    return labels if len(labels) >= 2 else []


def _accept_plain(labels: list[_Label], text: str, start: int) -> list[_Label]:
    """Keep ``Name:`` labels when they structure the text the way a transcript does.

    Prose headings ("Note:", "Summary:") never count; the others must name two speakers, one of
    them recurring or a role word, and open a fair share of the paragraphs.
    """
    kept = [label for label in labels if label.speaker.split()[0].casefold() not in _PROSE_LABELS]
    counts = Counter(label.speaker.casefold() for label in kept)
    if len(counts) < 2 or not any(n >= 2 or _ROLE.fullmatch(s) for s, n in counts.items()):
        return []
    paragraphs = sum(1 for _ in _PARAGRAPH.finditer(text, start))
    return kept if len(kept) >= _MIN_PLAIN_SHARE * paragraphs else []


def _keyed_labels(text: str, start: int) -> list[_Label]:
    """Initials declared in a key at the top ("MD - Michelle Drumm"), then used as labels."""
    key, key_end = _read_key(text, start)
    if len(key) < 2:
        return []
    alternatives = "|".join(re.escape(i) for i in sorted(key, key=len, reverse=True))
    pattern = re.compile(
        rf"^[ \t]*(?P<name>{alternatives})(?:[ \t]*[-–—:][ \t]*|[ \t]+)(?=\S)", re.M
    )
    return [_located(m, key[m["name"]], None) for m in pattern.finditer(text, key_end)]


def _read_key(text: str, start: int) -> tuple[dict[str, str], int]:
    """The first run of key lines near the top: initials -> full name, and where the run ends."""
    key: dict[str, str] = {}
    offset = start
    for number, line in enumerate(text[start:].split("\n")):
        end = offset + len(line) + 1
        match = _KEY_LINE.match(line)
        if match and _looks_like_name(match["name"]) and match["initials"][0].isupper():
            key[match["initials"]] = " ".join(match["name"].split())
        elif key and line.strip():
            return key, offset
        elif number >= _KEY_SEARCH_LINES:
            break
        offset = end
    return key, min(offset, len(text))


def _to_turns(labels: list[_Label], text: str) -> list[ParsedTurn]:
    """Turns from accepted labels: each runs to the next label's line, trailing space trimmed."""
    display: dict[str, str] = {}
    turns = []
    for index, label in enumerate(labels):
        limit = labels[index + 1].line_start if index + 1 < len(labels) else len(text)
        end = len(text[label.start : limit].rstrip()) + label.start
        speaker = display.setdefault(label.speaker.casefold(), label.speaker)
        seconds = timestamp_seconds(label.timestamp) if label.timestamp else None
        turns.append(ParsedTurn(speaker, label.start, end, label.timestamp, seconds))
    return turns


_LEADING_SPEAKER = re.compile(rf"[ \t]*(?P<name>{_NAME})[ \t]*:[ \t]+(?P<rest>\S.*)", re.S)


def split_speaker(line: str) -> tuple[str, str] | None:
    """``("Jane Doe", "Hello")`` for ``"Jane Doe: Hello"`` (a cue's own label), else None."""
    match = _LEADING_SPEAKER.fullmatch(line)
    if not match:
        return None
    speaker = " ".join(match["name"].split())
    return (speaker, match["rest"]) if _looks_like_name(speaker) else None
