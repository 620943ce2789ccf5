"""The domain model: SQLAlchemy 2 typed ORM classes, one table each.

Positions are code-point indices into ``Document.text`` (see ``core.text``). Every entity that is
exchanged with other tools or projects carries a GUID beside its integer key. Rows that several
coders may edit at once (codes, memos, summaries) carry a ``version`` for optimistic locking.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_guid() -> str:
    """A fresh GUID in the canonical form we store (lower case, no braces)."""
    return str(uuid.uuid4())


def utcnow() -> str:
    """Current UTC time as ISO 8601 text (portable across SQLite and PostgreSQL)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Base(DeclarativeBase):
    pass


class ProjectInfo(Base):
    """Key/value facts about the project itself (name, GUID, created)."""

    __tablename__ = "project_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Coder(Base):
    """A team member. On a team project ``login`` is the PostgreSQL login role they connect as
    (so attribution comes from authentication); on a ``.ccproj`` file it is empty."""

    __tablename__ = "coder"
    __table_args__ = (Index("ix_coder_login", "login", unique=True),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created: Mapped[str] = mapped_column(String(32), default=utcnow)
    login: Mapped[str | None] = mapped_column(String(63))


class Case(Base):
    __tablename__ = "case_"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


class Attribute(Base):
    """A case attribute (REFI-QDA "variable"); ``choices`` is newline-separated for kind choice."""

    __tablename__ = "attribute"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="text")
    choices: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class AttributeValue(Base):
    """One case's value for one attribute, stored in the attribute kind's canonical text form."""

    __tablename__ = "attribute_value"
    case_id: Mapped[int] = mapped_column(ForeignKey("case_.id"), primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attribute.id"), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Document(Base):
    __tablename__ = "document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(16), default="document")
    text: Mapped[str] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_.id"), index=True)
    meta: Mapped[str] = mapped_column(Text, default="{}")
    source_name: Mapped[str] = mapped_column(String(500), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[str] = mapped_column(String(32), default=utcnow)


class Turn(Base):
    """A speaker turn: structure beside the text, never inside it."""

    __tablename__ = "turn"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    speaker: Mapped[str] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    timestamp: Mapped[str | None] = mapped_column(String(32))
    seconds: Mapped[float | None] = mapped_column(Float)


class Code(Base):
    __tablename__ = "code"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("code.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    colour: Mapped[str] = mapped_column(String(7), default="#4e79a7")
    definition: Mapped[str] = mapped_column(Text, default="")
    inclusion: Mapped[str] = mapped_column(Text, default="")
    exclusion: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    modified_by: Mapped[int | None] = mapped_column(ForeignKey("coder.id"))
    modified: Mapped[str] = mapped_column(String(32), default=utcnow)


class Segment(Base):
    __tablename__ = "segment"
    __table_args__ = (
        Index("ix_segment_document_start", "document_id", "start"),
        Index("ix_segment_code", "code_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16), default="manual")
    created: Mapped[str] = mapped_column(String(32), default=utcnow)


class Memo(Base):
    """A memo on the project (target_id NULL), a case, document, code or segment."""

    __tablename__ = "memo"
    __table_args__ = (Index("ix_memo_target", "target_kind", "target_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int | None] = mapped_column(Integer)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[str] = mapped_column(String(32), default=utcnow)
    modified: Mapped[str] = mapped_column(String(32), default=utcnow)
    modified_by: Mapped[int | None] = mapped_column(ForeignKey("coder.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)


class Suggestion(Base):
    __tablename__ = "suggestion"
    __table_args__ = (Index("ix_suggestion_document", "document_id", "status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    model_version: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    created: Mapped[str] = mapped_column(String(32), default=utcnow)


class Summary(Base):
    """An analyst's summary of one framework-matrix cell (case x code).

    ``evidence_hash`` fingerprints the segments under the cell when the summary was written; the
    summary is stale once the current fingerprint differs.
    """

    __tablename__ = "summary"
    __table_args__ = (UniqueConstraint("case_id", "code_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_.id"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    evidence_hash: Mapped[str] = mapped_column(String(64), default="")
    created: Mapped[str] = mapped_column(String(32), default=utcnow)
    modified: Mapped[str] = mapped_column(String(32), default=utcnow)
    modified_by: Mapped[int | None] = mapped_column(ForeignKey("coder.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)


class Operation(Base):
    """The operation log: who did what, when. Survives reopening; not itself undoable."""

    __tablename__ = "operation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coder.id"))
    label: Mapped[str] = mapped_column(String(300))
    at: Mapped[str] = mapped_column(String(32), default=utcnow)
    detail: Mapped[str] = mapped_column(Text, default="")


class Proposal(Base):
    """A coder's proposed codebook change (``fields`` is JSON), waiting for a lead's decision."""

    __tablename__ = "proposal"
    __table_args__ = (Index("ix_proposal_status", "status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    kind: Mapped[str] = mapped_column(String(16))  # add | change
    # A code deleted later leaves its proposals, decided or not, pointing nowhere.
    code_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="SET NULL"))
    fields: Mapped[str] = mapped_column(Text, default="{}")
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | accepted | rejected
    created: Mapped[str] = mapped_column(String(32), default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("coder.id"))
    decided: Mapped[str] = mapped_column(String(32), default="")


class LearnedModel(Base):
    """A trained suggestion model stored with the project, with a record of what it learned from."""

    __tablename__ = "learned_model"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(16))
    version: Mapped[str] = mapped_column(String(64))
    created: Mapped[str] = mapped_column(String(32), default=utcnow)
    trained_on: Mapped[str] = mapped_column(Text, default="{}")
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DocumentSet(Base):
    """A named set of documents: static (members listed) or smart (``query`` is JSON of
    attribute conditions and document kinds, evaluated whenever the members are asked for)."""

    __tablename__ = "document_set"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    query: Mapped[str] = mapped_column(Text, default="")  # empty: a static set
    created: Mapped[str] = mapped_column(String(32), default=utcnow)


class DocumentSetMember(Base):
    """One document in one static set."""

    __tablename__ = "document_set_member"
    set_id: Mapped[int] = mapped_column(ForeignKey("document_set.id"), primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id"), primary_key=True, index=True
    )


class Speaker(Base):
    """A person who speaks in the project's documents, the same one across documents.

    Turns keep the label their document wrote ("MD", "Michelle"); ``SpeakerAlias`` rows say
    which speaker a label means, project-wide or in one document.
    """

    __tablename__ = "speaker"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="participant")
    memo: Mapped[str] = mapped_column(Text, default="")


class SpeakerAlias(Base):
    """A turn label meaning a speaker: everywhere (``document_id`` NULL) or in one document,
    which wins over the project-wide meaning. Labels match case-insensitively."""

    __tablename__ = "speaker_alias"
    __table_args__ = (Index("ix_speaker_alias_label", "label"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speaker.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)


class SpeakerAttribute(Base):
    """A name/value fact about a speaker (a focus-group participant's age band, say)."""

    __tablename__ = "speaker_attribute"
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speaker.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
