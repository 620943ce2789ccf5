"""headings: documents' headings (Word and OpenDocument heading styles, Markdown # lines)

Documents imported before this revision have no rows: their Markdown headings are read from
their text (``core.search_headings``); Word and OpenDocument files need importing again for
their heading styles, which the text alone does not show.

Revision ID: 0006_headings
Revises: 0005_sets
Create Date: 2026-12-02 17:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_headings"
down_revision = "0005_sets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_heading",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_guid", sa.String(length=36), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("document_heading", schema=None) as batch_op:
        batch_op.create_index("ix_document_heading_document_guid", ["document_guid"], unique=False)


def downgrade() -> None:
    op.drop_table("document_heading")
