"""Plain data read from a REFI-QDA ``project.qde``: what the importer stores, element by element.

GUIDs are already normalised (lower case, no braces); times are in our stored form or None.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.io.refi.fidelity import NotCarried


@dataclass
class QdeCoding:
    guid: str
    code_guid: str | None
    user: str | None
    created: str | None
    notes: list[str]


@dataclass
class QdeSelection:
    guid: str
    name: str
    start: int
    end: int
    user: str | None
    created: str | None
    description: str
    codings: list[QdeCoding]
    notes: list[str]
    whole: bool = False  # codings on the source itself: the selection is the whole text


@dataclass
class QdeTextSource:
    guid: str
    name: str
    plain_path: str | None  # internal://x.txt, relative://..., or None with inline content
    content: str | None
    description: str
    selections: list[QdeSelection]
    notes: list[str]
    values: list[tuple[str, str, str]]  # (variable guid, value tag, value)


@dataclass
class QdeVariable:
    guid: str
    name: str
    type: str  # Text | Boolean | Integer | Float | Date | DateTime
    description: str


@dataclass
class QdeCase:
    guid: str
    name: str
    description: str
    values: list[tuple[str, str, str]]
    sources: list[str]
    notes: list[str]
    other_refs: int  # CodeRef and SelectionRef: no place for them in CollabCoder


@dataclass
class QdeNote:
    guid: str
    name: str
    text: str
    user: str | None
    created: str | None
    modified: str | None
    modified_by: str | None
    plain_path: str | None = None  # the note's text is this file (``internal://...``)


@dataclass
class QdeSet:
    guid: str
    name: str
    description: str
    codes: list[str]
    sources: list[str]
    notes: list[str]


@dataclass
class QdeProject:
    name: str
    origin: str
    users: dict[str, str] = field(default_factory=dict)  # guid -> name
    codes: list[CodeSpec] = field(default_factory=list)
    code_notes: dict[str, list[str]] = field(default_factory=dict)
    variables: list[QdeVariable] = field(default_factory=list)
    cases: list[QdeCase] = field(default_factory=list)
    sources: list[QdeTextSource] = field(default_factory=list)
    notes: list[QdeNote] = field(default_factory=list)
    project_notes: list[str] = field(default_factory=list)
    sets: list[QdeSet] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (origin guid, target guid)
    unsupported: list[NotCarried] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class PreparedSource:
    """A text source ready to store: canonical text and selections in its code points."""

    source: QdeTextSource
    text: str
    spans: list[tuple[QdeSelection, int, int]] = field(default_factory=list)
