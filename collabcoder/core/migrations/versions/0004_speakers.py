"""speakers: the project's speakers, what each turn label means, speaker attributes

Revision ID: 0004_speakers
Revises: 0003_team
Create Date: 2026-12-02 17:30:00

An existing project gets a speaker for each distinct turn label (labels differing only in case
are one speaker, named by its most frequent spelling), with a project-wide alias for the label
and a role guessed from the label and the metadata of the first document using it, as an import
does. Turns and texts are untouched. (On a team project storage reinstalls the grants after
the upgrade.)
"""

import json
from collections import Counter
from uuid import uuid4

import sqlalchemy as sa
from alembic import op

from collabcoder.core.speaker_map import guess_role

revision = "0004_speakers"
down_revision = "0003_team"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "speaker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guid"),
    )
    op.create_table(
        "speaker_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.ForeignKeyConstraint(["speaker_id"], ["speaker.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("speaker_alias", schema=None) as batch_op:
        batch_op.create_index("ix_speaker_alias_label", ["label"], unique=False)
        batch_op.create_index("ix_speaker_alias_speaker_id", ["speaker_id"], unique=False)
        batch_op.create_index("ix_speaker_alias_document_id", ["document_id"], unique=False)
    op.create_table(
        "speaker_attribute",
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["speaker_id"], ["speaker.id"]),
        sa.PrimaryKeyConstraint("speaker_id", "name"),
    )
    _speakers_from_turns(op.get_bind())


def _speakers_from_turns(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.text(
            "SELECT t.speaker, d.meta FROM turn t JOIN document d ON d.id = t.document_id "
            "ORDER BY t.document_id, t.start"
        )
    ).all()
    spellings: dict[str, Counter[str]] = {}
    first_meta: dict[str, str] = {}
    for label, meta in rows:
        clean = label.strip()
        if not clean:
            continue
        key = clean.casefold()
        spellings.setdefault(key, Counter())[clean] += 1
        first_meta.setdefault(key, meta or "{}")
    speaker = sa.table(
        "speaker",
        sa.column("id", sa.Integer()),
        sa.column("guid", sa.String()),
        sa.column("name", sa.String()),
        sa.column("role", sa.String()),
        sa.column("memo", sa.Text()),
    )
    alias = sa.table(
        "speaker_alias",
        sa.column("speaker_id", sa.Integer()),
        sa.column("label", sa.String()),
        sa.column("document_id", sa.Integer()),
    )
    speakers, aliases = [], []
    for number, (key, counts) in enumerate(spellings.items(), start=1):
        name = counts.most_common(1)[0][0]
        try:
            meta = json.loads(first_meta[key])
        except ValueError:
            meta = {}
        role = guess_role(name, meta if isinstance(meta, dict) else {})
        speakers.append(
            {"id": number, "guid": str(uuid4()), "name": name, "role": role, "memo": ""}
        )
        aliases.append({"speaker_id": number, "label": name, "document_id": None})
    if speakers:
        conn.execute(sa.insert(speaker), speakers)
        conn.execute(sa.insert(alias), aliases)
    if speakers and conn.dialect.name == "postgresql":
        conn.execute(
            sa.text("SELECT setval(pg_get_serial_sequence('speaker', 'id'), :top)"),
            {"top": len(speakers)},
        )


def downgrade() -> None:
    op.drop_table("speaker_attribute")
    with op.batch_alter_table("speaker_alias", schema=None) as batch_op:
        batch_op.drop_index("ix_speaker_alias_document_id")
        batch_op.drop_index("ix_speaker_alias_speaker_id")
        batch_op.drop_index("ix_speaker_alias_label")
    op.drop_table("speaker_alias")
    op.drop_table("speaker")
