"""team projects: coders bound to a database login, codebook proposals

Revision ID: 0003_team
Revises: 0002_search
Create Date: 2026-12-02 14:40:00

The PostgreSQL roles, grants, row-level security and triggers of a team project are not part of
the schema: they name roles of one database cluster, so ``collabcoder team init`` installs them
(``core.team_security``) and re-installs them after a later migration.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_team"
down_revision = "0002_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("coder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("login", sa.String(length=63), nullable=True))
        batch_op.create_index("ix_coder_login", ["login"], unique=True)
    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created", sa.String(length=32), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["code_id"], ["code.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"]),
        sa.ForeignKeyConstraint(["decided_by"], ["coder.id"]),
        sa.ForeignKeyConstraint(["parent_id"], ["code.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guid"),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index("ix_proposal_status", ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index("ix_proposal_status")
    op.drop_table("proposal")
    with op.batch_alter_table("coder", schema=None) as batch_op:
        batch_op.drop_index("ix_coder_login")
        batch_op.drop_column("login")
