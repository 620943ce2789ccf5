"""Metadata of field notes and transcripts: date, site, observer... from the top of the text.

Researchers head their notes either with YAML front matter (Markdown) or with a few lines such as
``Date: 3 May 2022`` / ``Site: Leeds`` or simply ``P1 18/11/2021``. The heading block stays in the
text (it is what the researcher wrote); only a copy of its values becomes metadata.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

# Keys a researcher uses in a heading block, mapped to the metadata name we store.
_KEYS = {
    "date": "date",
    "time": "time",
    "duration": "duration",
    "site": "site",
    "location": "location",
    "place": "location",
    "setting": "setting",
    "venue": "location",
    "observer": "observer",
    "observers": "observer",
    "observed by": "observer",
    "researcher": "researcher",
    "author": "author",
    "interviewer": "interviewer",
    "interviewee": "interviewee",
    "participant": "participant",
    "participants": "participant",
    "respondent": "participant",
    "organisation": "organisation",
    "organization": "organisation",
    "event": "event",
    "activity": "event",
    "title": "title",
    "project": "project",
    "case": "case",
    "kind": "kind",
    "type": "kind",
}
# Metadata that marks notes written in the field rather than a transcript or a plain document.
FIELDNOTE_KEYS = frozenset({"site", "location", "setting", "observer", "event"})

_MAX_HEADING_LINES = 12
_KEY_LINE = re.compile(
    r"[ \t]*(?P<key>[A-Za-z][A-Za-z ]{0,20}?)[ \t]*:[ \t]*(?P<value>\S.*?)[ \t]*"
)
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_MONTHS}\.?,?[ \t]+\d{{4}}|"
    rf"{_MONTHS}\.?[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}})\b",
    re.I,
)
_PERSON_KEYS = frozenset({"interviewer", "interviewee", "participant", "observer", "researcher"})
_PERSON = re.compile(r"[^\W\d_][\w.'’()-]*(?:[ \t]*[,&]?[ \t]+[\w.'’()-]+){0,5}(?<![.?!])")
_PARTICIPANT_ID = re.compile(r"(?:P|Participant[ \t]*)\d+", re.I)


@dataclass(frozen=True, slots=True)
class HeadingBlock:
    """Metadata read from the top of a text, and the offset where the body begins."""

    meta: dict[str, str] = field(default_factory=dict)
    end: int = 0


def read_heading_block(text: str) -> HeadingBlock:
    """Metadata from ``Key: value`` lines (or a dated first line) at the top of ``text``.

    The block ends at the first blank line or the first line that is neither; an unrecognised
    top yields an empty block ending at 0, so nothing is lost to turn detection.
    """
    meta: dict[str, str] = {}
    offset = len(text) - len(text.lstrip("\n"))
    block_end = 0
    for number, line in enumerate(text[offset:].split("\n")):
        if not line.strip() or number >= _MAX_HEADING_LINES:
            break
        found = _key_value(line) or (_dated_title(line) if number == 0 else None)
        if not found or any(key in meta for key in found):
            break
        meta.update(found)
        offset += len(line) + 1
        block_end = min(offset, len(text))
    return HeadingBlock(meta, block_end)


def front_matter_meta(data: dict[Any, Any]) -> dict[str, str]:
    """Flatten parsed YAML front matter into string metadata (lists joined by ", ")."""
    return {str(key): _as_text(value) for key, value in data.items() if value is not None}


def looks_like_fieldnotes(meta: dict[str, str], *, has_heading_date: bool) -> bool:
    """Whether metadata says "notes from the field" (a site or observer, or a dated heading)."""
    return has_heading_date or any(key in meta for key in FIELDNOTE_KEYS)


def _key_value(line: str) -> dict[str, str] | None:
    match = _KEY_LINE.fullmatch(line)
    if not match:
        return None
    key = _KEYS.get(" ".join(match["key"].lower().split()))
    if not key or (key in _PERSON_KEYS and not _PERSON.fullmatch(match["value"])):
        # "Interviewer: So, tell me..." opens a transcript; it does not name the interviewer.
        return None
    return {key: match["value"]}


def _dated_title(line: str) -> dict[str, str] | None:
    """``P1 18/11/2021`` or ``Site visit, Leeds - 3 May 2022``: a date plus a short label."""
    match = None if len(line) > 120 else _DATE.search(line)
    if not match:
        return None
    found = {"date": match[0]}
    rest = " ".join(f"{line[: match.start()]} {line[match.end() :]}".split()).strip(" ,;-–—:")
    if _PARTICIPANT_ID.fullmatch(rest):
        found["participant"] = rest
    elif rest:
        found["title"] = rest
    return found


def _as_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_as_text(item) for item in value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
