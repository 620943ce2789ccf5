"""A plain bundle of project content from outside (a REFI-QDA file, say), identified by GUIDs.

Importers build one of these from a file without touching a project; :func:`merge_bundle` in
:mod:`collabcoder.core.bundle_merge` adds it to a project in one transaction. Everything refers to
everything else by GUID, so the same bundle can fill a new project or merge into an existing one.
Positions are already canonical code points of each document's text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .codebook_spec import CodeSpec
from .documents import NewDocument


@dataclass
class BundleCoder:
    guid: str
    name: str


@dataclass
class BundleCase:
    guid: str
    name: str  # may repeat another case's name: the merge makes it unique
    description: str = ""


@dataclass
class BundleAttribute:
    guid: str
    name: str
    kind: str  # text | number | date | boolean | choice
    choices: list[str] = field(default_factory=list)


@dataclass
class BundleValue:
    case_guid: str
    attribute_guid: str
    raw: str  # checked and normalised by the attribute's kind on the way in


@dataclass
class BundleDocument:
    new: NewDocument  # with its GUID
    case_guid: str | None = None


@dataclass
class BundleSegment:
    guid: str
    document_guid: str
    code_guid: str | None
    coder_guid: str | None
    start: int
    end: int
    created: str | None
    label: str  # where it came from, for the report ("talk 10-20")


@dataclass
class BundleMemo:
    guid: str
    # (kind, GUID) of what it is attached to, most specific first: the first one the project has
    # is used. Kinds: code, case, document, segment. Empty: a project memo.
    targets: list[tuple[str, str]]
    title: str
    text: str
    coder_guid: str | None = None
    created: str | None = None
    modified: str | None = None
    modified_by_guid: str | None = None


@dataclass
class BundleSet:
    """A set of documents; ``query`` is a CollabCoder smart set's query (JSON), when known."""

    guid: str
    name: str
    description: str = ""
    document_guids: list[str] = field(default_factory=list)
    query: str | None = None


@dataclass
class Bundle:
    coders: list[BundleCoder] = field(default_factory=list)
    codes: list[CodeSpec] = field(default_factory=list)
    cases: list[BundleCase] = field(default_factory=list)
    attributes: list[BundleAttribute] = field(default_factory=list)
    values: list[BundleValue] = field(default_factory=list)
    documents: list[BundleDocument] = field(default_factory=list)
    segments: list[BundleSegment] = field(default_factory=list)
    memos: list[BundleMemo] = field(default_factory=list)
    sets: list[BundleSet] = field(default_factory=list)


@dataclass(frozen=True)
class Dropped:
    kind: str
    name: str
    reason: str


@dataclass
class BundleOutcome:
    """What the merge added (per kind), left out (with the reason) and warns about."""

    added: Counter[str] = field(default_factory=Counter)
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def drop(self, kind: str, name: str, reason: str) -> None:
        self.dropped.append(Dropped(kind, name, reason))
