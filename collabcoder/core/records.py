"""Plain, immutable snapshots of project rows handed to callers.

Callers (CLI, GUI, io, nlp, synthesis) never hold ORM objects or sessions; the facade's read
methods return these records.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CoderRecord:
    id: int
    guid: str
    name: str
    created: str
    login: str | None = None  # the database login on a team project


@dataclass(frozen=True, slots=True)
class CaseRecord:
    id: int
    guid: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class AttributeRecord:
    id: int
    guid: str
    name: str
    kind: str  # text | number | date | boolean | choice
    choices: tuple[str, ...]
    position: int


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A document without its text (fetch the text with ``documents.text(id)``)."""

    id: int
    guid: str
    name: str
    kind: str  # transcript | fieldnotes | document
    case_id: int | None
    meta: dict[str, str]
    source_name: str
    sha256: str
    word_count: int
    created: str


@dataclass(frozen=True, slots=True)
class TurnRecord:
    id: int
    document_id: int
    speaker: str
    start: int
    end: int
    timestamp: str | None
    seconds: float | None


@dataclass(frozen=True, slots=True)
class CodeRecord:
    id: int
    guid: str
    parent_id: int | None
    name: str
    position: int
    colour: str
    definition: str
    inclusion: str
    exclusion: str
    example: str
    keywords: tuple[str, ...]
    version: int
    modified_by: int | None
    modified: str


@dataclass(frozen=True, slots=True)
class SegmentRecord:
    id: int
    guid: str
    document_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    origin: str  # manual | suggestion | autocode | imported
    created: str


@dataclass(frozen=True, slots=True)
class MemoRecord:
    id: int
    guid: str
    target_kind: str  # project | case | document | code | segment
    target_id: int | None
    coder_id: int
    title: str
    text: str
    created: str
    modified: str
    modified_by: int | None
    version: int


@dataclass(frozen=True, slots=True)
class SuggestionRecord:
    id: int
    document_id: int
    code_id: int
    start: int
    end: int
    score: float
    method: str
    reason: str
    model_version: str
    status: str  # open | accepted | rejected
    created: str


@dataclass(frozen=True, slots=True)
class SummaryRecord:
    id: int
    guid: str
    case_id: int
    code_id: int
    coder_id: int
    text: str
    evidence_hash: str
    created: str
    modified: str
    modified_by: int | None
    version: int


@dataclass(frozen=True, slots=True)
class OperationRecord:
    id: int
    coder_id: int | None
    label: str
    at: str
    detail: str


@dataclass(frozen=True, slots=True)
class ProposalRecord:
    id: int
    guid: str
    coder_id: int
    kind: str  # add | change
    code_id: int | None
    parent_id: int | None
    fields: dict[str, str]
    reason: str
    status: str  # open | accepted | rejected
    created: str
    decided_by: int | None
    decided: str


@dataclass(frozen=True, slots=True)
class SpeakerRecord:
    id: int
    guid: str
    name: str
    role: str  # interviewer | participant | facilitator | other
    memo: str


@dataclass(frozen=True, slots=True)
class SpeakerAliasRecord:
    id: int
    speaker_id: int
    label: str
    document_id: int | None  # None: the label means this speaker in every document


@dataclass(frozen=True, slots=True)
class SpeakerUse:
    """How much one speaker says in one document."""

    document_id: int
    document: str
    labels: tuple[str, ...]
    turns: int
    words: int


@dataclass(frozen=True)
class SpeakerListing:
    """A speaker with its aliases, attributes and what it says in each document."""

    speaker: SpeakerRecord
    aliases: tuple[SpeakerAliasRecord, ...]
    attributes: dict[str, str]
    uses: tuple[SpeakerUse, ...]

    @property
    def documents(self) -> int:
        return len(self.uses)

    @property
    def turns(self) -> int:
        return sum(u.turns for u in self.uses)

    @property
    def words(self) -> int:
        return sum(u.words for u in self.uses)
