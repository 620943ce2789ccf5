"""Pack a code's definition, criteria, example and keywords into one REFI-QDA ``Description``.

REFI-QDA gives a code a single free-text ``Description``; other tools show it as-is. We write our
fields as labelled lines that read naturally in NVivo or ATLAS.ti and parse back exactly::

    Definition: Talk about working across the whole local system.
    Include: Joined-up working across organisations.
    Exclude: Partnership models (code under Models of collaboration).
    Example: "we stopped working in silos"
    Keywords: whole system; joined up; silo

A value may run over several lines; a continuation line that would look like a label (or that
starts with a backslash) is prefixed with one backslash, removed again on reading. Keywords are
separated by ``; `` with ``\\;`` for a literal semicolon. A Description that does not start with
``Definition:`` was written by someone else and becomes the definition unchanged. Surrounding
whitespace of each field is not significant and is trimmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LABELS: tuple[tuple[str, str], ...] = (
    ("definition", "Definition"),
    ("inclusion", "Include"),
    ("exclusion", "Exclude"),
    ("example", "Example"),
    ("keywords", "Keywords"),
)
_LABEL_LINE = re.compile(r"^(Definition|Include|Exclude|Example|Keywords):(?: |$)(.*)$")


@dataclass
class CodeText:
    """The descriptive fields of a code, as carried by a REFI-QDA Description."""

    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    keywords: list[str] = field(default_factory=list)


def format_description(text: CodeText) -> str:
    """Render the fields as a labelled plain-text Description ('' when every field is empty)."""
    keywords = [_clean_keyword(k) for k in text.keywords]
    values = {
        "definition": text.definition.strip(),
        "inclusion": text.inclusion.strip(),
        "exclusion": text.exclusion.strip(),
        "example": text.example.strip(),
        "keywords": "; ".join(_escape_keyword(k) for k in keywords if k),
    }
    if not any(values.values()):
        return ""
    lines: list[str] = []
    for key, label in _LABELS:
        value = values[key]
        # Definition always comes first: it is how a reader recognises our structured form.
        if not value and key != "definition":
            continue
        first, *rest = value.split("\n")
        lines.append(f"{label}: {first}" if first else f"{label}:")
        lines.extend(_escape_continuation(line) for line in rest)
    return "\n".join(lines)


def parse_description(description: str) -> CodeText:
    """Recover the fields from a Description; a foreign Description becomes the definition."""
    text = description.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return CodeText()
    blocks = _split_blocks(text.split("\n"))
    if blocks is None:
        return CodeText(definition=text)
    result = CodeText()
    for key, value_lines in blocks:
        value = "\n".join(value_lines).strip()
        if key == "keywords":
            result.keywords = _split_keywords(value)
        else:
            setattr(result, key, value)
    return result


def _split_blocks(lines: list[str]) -> list[tuple[str, list[str]]] | None:
    """Labelled blocks in canonical order, or None when the text is not in our form."""
    keys = {label: key for key, label in _LABELS}
    order = [key for key, _ in _LABELS]
    blocks: list[tuple[str, list[str]]] = []
    for line in lines:
        match = _LABEL_LINE.match(line)
        if match:
            key = keys[match.group(1)]
            previous = order.index(blocks[-1][0]) if blocks else -1
            if order.index(key) <= previous:
                return None  # out of order or repeated: not something we wrote
            blocks.append((key, [match.group(2)]))
        elif not blocks:
            return None  # text before the first label: a foreign description
        else:
            blocks[-1][1].append(line[1:] if line.startswith("\\") else line)
    if not blocks or blocks[0][0] != "definition":
        return None
    return blocks


def _escape_continuation(line: str) -> str:
    return "\\" + line if line.startswith("\\") or _LABEL_LINE.match(line) else line


def _clean_keyword(keyword: str) -> str:
    # A keyword is a phrase to look for in text: line breaks and runs of spaces mean nothing there.
    return " ".join(keyword.split())


def _escape_keyword(keyword: str) -> str:
    return keyword.replace("\\", "\\\\").replace(";", "\\;")


def _split_keywords(value: str) -> list[str]:
    """Split on unescaped ';' and undo the backslash escapes in one left-to-right pass."""
    keywords: list[str] = []
    current: list[str] = []
    chars = iter(value)
    for char in chars:
        if char == "\\":
            current.append(next(chars, ""))
        elif char == ";":
            keywords.append(_clean_keyword("".join(current)))
            current = []
        else:
            current.append(char)
    keywords.append(_clean_keyword("".join(current)))
    return [k for k in keywords if k]
