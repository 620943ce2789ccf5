"""Tables of search: the index (derived, outside the ORM model) and saved queries (in it).

The index is derived from the documents' text and rebuilt from it whenever it is missing or
older than this code (a pulled copy, an older project): its rows are never journalled, never
copied between projects, and never part of an undo step; they follow the document rows that
the journal writes (see ``core.search_index``).

Saved queries, the provenance of auto-coded segments and documents' headings are the
researcher's own data: ORM tables written through the journal, so they undo like everything else.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .model import Base, new_guid, utcnow

# Raise when the units or the index keys would come out differently: every project's index is
# then rebuilt on its next search, never read with the old rule.
INDEX_VERSION = 1

index_metadata = MetaData()

text_unit = Table(
    "text_unit",
    index_metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("document.id"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("paragraph", Integer, nullable=False),
    Column("word_offset", Integer, nullable=False),
)

text_index_state = Table(
    "text_index_state",
    index_metadata,
    Column("document_id", Integer, ForeignKey("document.id"), primary_key=True),
    Column("version", Integer, nullable=False),
)

FTS_TABLE = "text_unit_fts"
# Every table search owns, FTS5's shadow tables included (the schema check leaves them out).
INDEX_TABLES = frozenset(
    {"text_unit", "text_index_state", FTS_TABLE}
    | {f"{FTS_TABLE}_{part}" for part in ("data", "idx", "docsize", "config", "content")}
)


class SavedQuery(Base):
    """A named text search or coding query, re-runnable by anyone on the team."""

    __tablename__ = "saved_query"
    __table_args__ = (UniqueConstraint("name", "kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # text | coding
    definition: Mapped[str] = mapped_column(Text)  # JSON: the query and its options
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    modified: Mapped[str] = mapped_column(String(32), default=utcnow)


class SegmentProvenance(Base):
    """Why an auto-coded segment exists: the query (and options) that found it.

    Keyed by the segment's GUID, with no foreign key: uncoding leaves the row, so undoing the
    uncode brings the segment back with its provenance, and a GUID is never reused.
    """

    __tablename__ = "segment_provenance"
    segment_guid: Mapped[str] = mapped_column(String(36), primary_key=True)
    query: Mapped[str] = mapped_column(Text)


class DocumentHeading(Base):
    """A heading of a document as its file marked it (Word and OpenDocument heading styles,
    Markdown ``#`` lines): structure beside the text, ``text[start:end]`` its line.

    Keyed by the document's GUID, with no foreign key (like provenance): the text never changes
    and a GUID is never reused, so deleting a document and undoing that keeps its headings.
    """

    __tablename__ = "document_heading"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_guid: Mapped[str] = mapped_column(String(36), index=True)
    level: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
