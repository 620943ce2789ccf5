"""How CollabCoder's own things are carried in REFI-QDA elements, shared by export and import.

REFI-QDA has no document kind, speaker turns, choice attributes or smart sets, and its schema
allows no extension elements. We carry them in places every tool accepts and shows: variables on
text sources (``Document kind``, ``Speaker turns``...), a set's Description for a smart set's
query, and a variable's Description for the choices of a choice attribute. Identifiers that
CollabCoder does not store (a coding's selection, a metadata variable) are derived
deterministically from stored GUIDs, so exporting the same project twice writes the same file.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

from collabcoder.core.documents import NewTurn
from collabcoder.core.errors import InvalidValue

KIND_VARIABLE = "Document kind"
TURNS_VARIABLE = "Speaker turns"
SOURCE_FILE_VARIABLE = "Source file"
SHA256_VARIABLE = "Source SHA-256"
# A smart set is written as its members; its query follows this label in the set's Description.
SMART_SET_LABEL = "CollabCoder smart set query:"
CHOICES_LABEL = "Choices:"

_NAMESPACE = uuid.UUID("5d1f3c2e-8f0a-4c47-9a43-6c6f6c6c6162")
_SELECTION_MASK = 0x5E1EC7105E1EC7105E1EC7105E1EC710

EXPORT_TYPES = {
    "text": "Text",
    "number": "Float",
    "date": "Date",
    "boolean": "Boolean",
    "choice": "Text",
}


def derived_guid(*parts: str) -> str:
    """A stable GUID for something identified by ``parts`` (e.g. a set's name)."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(parts)))


def selection_guid(segment_guid: str) -> str:
    """The GUID of the selection that carries one segment: its GUID with the bits flipped.

    Cheaper than :func:`derived_guid` (it runs once per segment) and just as stable.
    """
    h = f"{int(segment_guid.replace('-', ''), 16) ^ _SELECTION_MASK:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def smart_set_description(description: str, query_json: str) -> str:
    """A smart set's Description: the user's text, then its query on a line of its own."""
    line = f"{SMART_SET_LABEL} {query_json}"
    return f"{description.rstrip()}\n\n{line}" if description.strip() else line


def split_smart_set_description(text: str) -> tuple[str, str | None]:
    """A set's Description as (the user's text, the smart set query) — None for other sets."""
    body, _, last = text.rstrip().rpartition("\n")
    if not last.startswith(SMART_SET_LABEL):
        return text, None
    query = last[len(SMART_SET_LABEL) :].strip()
    try:
        json.loads(query)
    except ValueError:
        return text, None
    return body.rstrip(), query


def choices_description(choices: Sequence[str]) -> str:
    return "\n".join([CHOICES_LABEL, *choices])


def attribute_kind(type_of_variable: str, description: str) -> tuple[str, list[str]]:
    """Our attribute kind (and choices) for a REFI-QDA variable type."""
    lines = description.replace("\r\n", "\n").split("\n")
    if type_of_variable == "Text" and lines[0].strip() == CHOICES_LABEL:
        choices = [line.strip() for line in lines[1:] if line.strip()]
        if choices:
            return "choice", choices
    kind = {
        "Boolean": "boolean",
        "Integer": "number",
        "Float": "number",
        "Date": "date",
    }.get(type_of_variable, "text")
    return kind, []


def turns_to_text(turns: Sequence[NewTurn]) -> str:
    return json.dumps(
        [[t.speaker, t.start, t.end, t.timestamp, t.seconds] for t in turns], ensure_ascii=False
    )


def turns_from_text(value: str, length: int) -> list[NewTurn]:
    """Turns written by :func:`turns_to_text`; raises InvalidValue for anything else."""
    try:
        rows = json.loads(value)
        turns = [
            NewTurn(
                str(s),
                int(a),
                int(b),
                None if t is None else str(t),
                None if x is None else float(x),
            )
            for s, a, b, t, x in rows
        ]
    except (ValueError, TypeError) as exc:
        raise InvalidValue("the speaker turns are not in CollabCoder's form") from exc
    if any(not 0 <= t.start <= t.end <= length for t in turns):
        raise InvalidValue("a speaker turn lies outside the text")
    return turns
