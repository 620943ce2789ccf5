"""search: the full-text index, saved queries, provenance of auto-coded segments

The index starts empty: documents already in the project are indexed on the first search
(``core.search_index.stale_documents``), so upgrading a large project stays quick.

Revision ID: 0002_search
Revises: 0001_initial
Create Date: 2026-12-02 14:40:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_query",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("modified", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guid"),
        sa.UniqueConstraint("name", "kind"),
    )
    op.create_table(
        "segment_provenance",
        sa.Column("segment_guid", sa.String(length=36), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("segment_guid"),
    )
    op.create_table(
        "text_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.Integer(), nullable=False),
        sa.Column("word_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_text_unit_document_id", "text_unit", ["document_id"])
    op.create_table(
        "text_index_state",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.PrimaryKeyConstraint("document_id"),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE text_unit_fts USING fts5(words, content='', detail=none, "
            "columnsize=0, tokenize='unicode61 remove_diacritics 0')"
        )
    else:
        op.add_column("text_unit", sa.Column("words", postgresql.TSVECTOR()))
        op.execute("CREATE INDEX ix_text_unit_words ON text_unit USING gin (words)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE text_unit_fts")
    op.drop_table("text_index_state")
    op.drop_index("ix_text_unit_document_id", table_name="text_unit")
    op.drop_table("text_unit")
    op.drop_table("segment_provenance")
    op.drop_table("saved_query")
