"""document sets: static sets of documents and smart sets (a stored attribute query)

Revision ID: 0005_sets
Revises: 0004_speakers
Create Date: 2026-12-02 17:30:00

Earlier versions kept the REFI-QDA sets a document was imported with as names in its metadata
(``meta["sets"]``); they become real static sets here, with the GUID export used to derive for
them, so a project exported before and after the upgrade names the same sets.
"""

import json
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005_sets"
down_revision = "0004_speakers"
branch_labels = None
depends_on = None

# io.refi.conventions.derived_guid("set", name), spelled out: a migration stays as it was written.
_NAMESPACE = uuid.UUID("5d1f3c2e-8f0a-4c47-9a43-6c6f6c6c6162")


def upgrade() -> None:
    sets = op.create_table(
        "document_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guid"),
        sa.UniqueConstraint("name"),
    )
    members = op.create_table(
        "document_set_member",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.ForeignKeyConstraint(["set_id"], ["document_set.id"]),
        sa.PrimaryKeyConstraint("set_id", "document_id"),
    )
    op.create_index("ix_document_set_member_document_id", "document_set_member", ["document_id"])
    _sets_from_metadata(sets, members)


def _sets_from_metadata(sets: sa.Table, members: sa.Table) -> None:
    """Turn the set names kept in documents' metadata into static sets."""
    conn = op.get_bind()
    document = sa.table("document", sa.column("id"), sa.column("meta"))
    found: dict[str, list[int]] = {}
    for ident, meta in conn.execute(sa.select(document.c.id, document.c.meta)):
        data = json.loads(meta or "{}")
        names = data.pop("sets", None)
        if names is None:
            continue
        for name in str(names).split("\n"):
            if name.strip():
                found.setdefault(name.strip()[:300], []).append(ident)
        conn.execute(
            document.update()
            .where(document.c.id == ident)
            .values(meta=json.dumps(data, ensure_ascii=False))
        )
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for name, ids in found.items():
        guid = str(uuid.uuid5(_NAMESPACE, "set\x1f" + name))
        # No explicit id: PostgreSQL's sequence must number the row for later inserts to work.
        conn.execute(
            sets.insert().values(guid=guid, name=name, description="", query="", created=now)
        )
        number = conn.scalar(sa.select(sets.c.id).where(sets.c.guid == guid))
        conn.execute(
            members.insert(), [{"set_id": number, "document_id": i} for i in sorted(set(ids))]
        )


def downgrade() -> None:
    op.drop_index("ix_document_set_member_document_id", table_name="document_set_member")
    op.drop_table("document_set_member")
    op.drop_table("document_set")
