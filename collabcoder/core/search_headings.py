"""Code by heading: the section under each heading whose text matches, as passages to code.

A document's headings are stored beside its text at import (``DocumentHeading``: Word and
OpenDocument heading styles, Markdown ``#`` lines). A document without stored headings (one
imported before they were kept) has its Markdown headings read from its text, which keeps the
``#`` lines; its Word or OpenDocument headings are not in the text, so it has none until it is
imported again. A section runs from its heading to the next heading of the same or a higher
level (or the end of the document).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from .errors import InvalidValue
from .manager import chunks
from .search_autocode import Span, spans_of
from .search_schema import DocumentHeading

if TYPE_CHECKING:
    from .project import Project

# An ATX heading: up to three spaces, 1-6 "#", then space (or nothing) and the title.
_MARKDOWN = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*)$", re.MULTILINE)
_MARKDOWN_SOURCES = (".md", ".markdown")


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the text under it: ``start``..``end`` runs from the heading line to the
    next heading of the same or a higher level."""

    document_id: int
    document: str
    level: int
    title: str
    start: int
    end: int


def markdown_headings(text: str) -> list[Heading]:
    """The ``#`` heading lines of Markdown text (their whole line: marks included)."""
    found = []
    for match in _MARKDOWN.finditer(text):
        if title_of(match.group(0)):
            found.append(Heading(len(match.group(1)), match.start(), match.end()))
    return found


def title_of(line: str) -> str:
    """A heading line's words: without Markdown's ``#`` marks and the spaces around them."""
    return line.strip().strip("#").strip()


def keep_headings(project: Project, document_guid: str, headings: Sequence[Heading]) -> None:
    """Store a just-imported document's headings (call inside its import's undo group)."""
    if headings:
        with project.write("Keep headings") as journal:
            journal.insert(
                DocumentHeading,
                [
                    {"document_guid": document_guid, "level": h.level, "start": h.start,
                     "end": h.end}
                    for h in headings
                ],
            )  # fmt: skip


def _stored(project: Project, guids: Sequence[str]) -> dict[str, list[Heading]]:
    found: dict[str, list[Heading]] = {}
    with project.read() as conn:
        for first in range(0, len(guids), 500):
            rows = conn.execute(
                select(
                    DocumentHeading.document_guid,
                    DocumentHeading.level,
                    DocumentHeading.start,
                    DocumentHeading.end,
                )
                .where(DocumentHeading.document_guid.in_(guids[first : first + 500]))
                .order_by(DocumentHeading.start)
            )
            for guid, level, start, end in rows:
                found.setdefault(guid, []).append(Heading(level, start, end))
    return found


def sections(project: Project, document_ids: Sequence[int] | None = None) -> list[Section]:
    """Every heading's section, in document-name and text order."""
    documents = [
        d for d in project.documents.list() if document_ids is None or d.id in document_ids
    ]
    stored = _stored(project, [d.guid for d in documents])
    texts: dict[int, str] = {}
    for batch in chunks([d.id for d in documents]):
        texts.update(project.documents.texts(batch))
    found: list[Section] = []
    for document in sorted(documents, key=lambda d: (d.name.casefold(), d.id)):
        text = texts[document.id]
        headings = stored.get(document.guid)
        if headings is None and document.source_name.lower().endswith(_MARKDOWN_SOURCES):
            headings = markdown_headings(text)
        for n, heading in enumerate(headings or []):
            end = next(
                (h.start for h in (headings or [])[n + 1 :] if h.level <= heading.level),
                len(text),
            )
            title = title_of(text[heading.start : heading.end])
            found.append(
                Section(document.id, document.name, heading.level, title, heading.start, end)
            )
    return found


def matching(
    found: Sequence[Section], text: str, *, regex: bool = False, level: int | None = None
) -> list[Section]:
    """The sections whose heading holds ``text`` (case aside), or matches it as a regex."""
    if not text.strip():
        raise InvalidValue("Give the words of the headings to code under.")
    if regex:
        try:
            pattern = re.compile(text, re.IGNORECASE)
        except re.error as exc:
            raise InvalidValue(f"The regular expression {text!r} is not valid ({exc}).") from None
        wanted = [s for s in found if pattern.search(s.title)]
    else:
        needle = text.strip().casefold()
        wanted = [s for s in found if needle in s.title.casefold()]
    return [s for s in wanted if level is None or s.level == level]


def preview_headings(
    project: Project,
    text: str,
    *,
    regex: bool = False,
    level: int | None = None,
    document_ids: Sequence[int] | None = None,
) -> list[Span]:
    """The passages coding by heading would code: each matching heading's section (heading
    line included), trimmed, overlapping ones joined."""
    chosen = matching(sections(project, document_ids), text, regex=regex, level=level)
    by_document: dict[int, list[tuple[int, int]]] = {}
    names = {}
    for section in chosen:
        by_document.setdefault(section.document_id, []).append((section.start, section.end))
        names[section.document_id] = section.document
    return spans_of(project, by_document, names)


def provenance(text: str, regex: bool = False, level: int | None = None) -> str:
    """What an auto-coded segment records for coding by heading."""
    how = "regex" if regex else "words"
    at = f", level {level}" if level is not None else ""
    return f"code by heading {text!r} ({how}{at})"
