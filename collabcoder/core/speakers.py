"""The project's speakers (``project.speakers``): one person across documents.

Turns keep the label their document wrote; aliases say which speaker a label means, in every
document or in one (see ``core.speaker_map``). Importing a document gives each label it uses
that no alias knows a speaker (an existing one of the same name, else a new one) and a
project-wide alias, in the import's own step. Renaming, merging, roles and attributes are
journalled steps like every other edit, so each undoes exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, and_, select

from .errors import InvalidValue, NotFound
from .journal import Journal
from .manager import Manager
from .model import Document, Speaker, SpeakerAlias, SpeakerAttribute, Turn
from .records import (
    SpeakerAliasRecord,
    SpeakerListing,
    SpeakerRecord,
    SpeakerUse,
)
from .speaker_map import SpeakerInfo, SpeakerMap, check_role, guess_role
from .text import count_words


def read_map(conn: Connection) -> SpeakerMap:
    """The speakers and their aliases as one resolver."""
    speakers = {
        r.id: SpeakerInfo(r.id, r.name, r.role)
        for r in conn.execute(select(Speaker.id, Speaker.name, Speaker.role))
    }
    in_document: dict[tuple[int, str], int] = {}
    everywhere: dict[str, int] = {}
    rows = conn.execute(select(SpeakerAlias).order_by(SpeakerAlias.id))
    for alias in rows:
        key = alias.label.strip().casefold()
        if alias.document_id is None:
            everywhere.setdefault(key, alias.speaker_id)
        else:
            in_document.setdefault((alias.document_id, key), alias.speaker_id)
    return SpeakerMap(speakers, in_document, everywhere)


def add_for_labels(
    journal: Journal, labels: Iterable[str], meta: Mapping[str, str] | None = None
) -> None:
    """Give every label no alias knows yet a speaker and a project-wide alias (inside a write).

    A speaker of the same name (case-insensitively) is reused; otherwise a new speaker is named
    after the label, its role guessed from the label and the document's metadata.
    """
    conn = journal.conn
    known = read_map(conn)
    by_name = {
        s.name.casefold(): s.id for s in sorted(known.speakers.values(), key=lambda s: -s.id)
    }
    fresh: dict[str, str] = {}
    for label in labels:
        key = label.strip().casefold()
        if key and key not in known.everywhere and key not in fresh:
            fresh[key] = label.strip()
    if not fresh:
        return
    new = [
        {"name": label, "role": guess_role(label, meta), "memo": ""}
        for key, label in fresh.items()
        if key not in by_name
    ]
    for stored in journal.insert(Speaker, new):
        by_name[stored["name"].casefold()] = stored["id"]
    journal.insert(
        SpeakerAlias,
        [
            {"speaker_id": by_name[key], "label": label, "document_id": None}
            for key, label in fresh.items()
        ],
    )


def _record(row: Any) -> SpeakerRecord:
    return SpeakerRecord(row["id"], row["guid"], row["name"], row["role"], row["memo"])


class SpeakerManager(Manager):
    # -- reading -------------------------------------------------------------------------------
    def map(self) -> SpeakerMap:
        """The resolver search, queries, matrices and suggestions filter turns with."""
        with self._p.read() as conn:
            return read_map(conn)

    def resolve(self, document_id: int, label: str) -> SpeakerRecord | None:
        """The speaker a turn label means in a document (None: no one known)."""
        info = self.map().resolve(document_id, label)
        return self.get(info.id) if info is not None else None

    def get(self, speaker_id: int) -> SpeakerRecord:
        with self._p.read() as conn:
            return _record(self._one(conn, Speaker, speaker_id, "speaker"))

    def records(self) -> list[SpeakerRecord]:
        with self._p.read() as conn:
            rows = conn.execute(select(Speaker).order_by(Speaker.name, Speaker.id)).mappings()
            return [_record(r) for r in rows]

    def by_name(self, name: str) -> SpeakerRecord:
        """The speaker called ``name`` (case-insensitively), or failing that the one a
        project-wide alias of that label means."""
        key = name.strip().casefold()
        records = self.records()
        for record in records:
            if record.name.casefold() == key:
                return record
        alias = self.map().everywhere.get(key)
        if alias is not None:
            return self.get(alias)
        known = ", ".join(r.name for r in records) or "none"
        raise NotFound(f"No speaker called {name!r} in this project (speakers: {known}).")

    def labels(self) -> list[str]:
        """Every distinct turn label in the project's documents."""
        with self._p.read() as conn:
            return list(conn.scalars(select(Turn.speaker).distinct()))

    def aliases(self) -> list[SpeakerAliasRecord]:
        with self._p.read() as conn:
            rows = conn.execute(select(SpeakerAlias).order_by(SpeakerAlias.id)).mappings()
            return [SpeakerAliasRecord(**r) for r in rows]

    def attributes(self) -> dict[int, dict[str, str]]:
        """Every speaker's attributes, by speaker id."""
        found: dict[int, dict[str, str]] = defaultdict(dict)
        with self._p.read() as conn:
            for row in conn.execute(select(SpeakerAttribute).order_by(SpeakerAttribute.name)):
                found[row.speaker_id][row.name] = row.value
        return dict(found)

    def list(self) -> list[SpeakerListing]:
        """Every speaker with aliases, attributes, and turns and words in each document."""
        with self._p.read() as conn:
            speakers = read_map(conn)
            names = dict(conn.execute(select(Document.id, Document.name)).tuples().all())
            turns = conn.execute(
                select(Turn.document_id, Turn.speaker, Turn.start, Turn.end).order_by(
                    Turn.document_id, Turn.start
                )
            ).all()
            involved = sorted({t.document_id for t in turns})
            texts = dict(
                conn.execute(select(Document.id, Document.text).where(Document.id.in_(involved)))
                .tuples()
                .all()
            )
        counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
        labels: dict[tuple[int, int], set[str]] = defaultdict(set)
        for turn in turns:
            info = speakers.resolve(turn.document_id, turn.speaker)
            if info is None:
                continue
            key = (info.id, turn.document_id)
            counts[key][0] += 1
            counts[key][1] += count_words(texts[turn.document_id][turn.start : turn.end])
            labels[key].add(turn.speaker)
        uses: dict[int, list[SpeakerUse]] = defaultdict(list)
        for (speaker_id, document_id), (n, words) in counts.items():
            uses[speaker_id].append(
                SpeakerUse(
                    document_id,
                    names[document_id],
                    tuple(sorted(labels[(speaker_id, document_id)])),
                    n,
                    words,
                )
            )
        aliases: dict[int, list[SpeakerAliasRecord]] = defaultdict(list)
        for alias in self.aliases():
            aliases[alias.speaker_id].append(alias)
        attributes = self.attributes()
        return [
            SpeakerListing(
                record,
                tuple(aliases[record.id]),
                attributes.get(record.id, {}),
                tuple(
                    sorted(uses[record.id], key=lambda u: (u.document.casefold(), u.document_id))
                ),
            )
            for record in sorted(self.records(), key=lambda r: (r.name.casefold(), r.id))
        ]

    # -- editing -------------------------------------------------------------------------------
    def rename(self, speaker_id: int, name: str) -> None:
        """Rename a speaker; its aliases keep every label meaning it. A name another speaker
        has is refused (merge them instead)."""
        clean = name.strip()
        if not clean:
            raise InvalidValue("A speaker needs a name.")
        speaker = self.get(speaker_id)
        for other in self.records():
            if other.id != speaker_id and other.name.casefold() == clean.casefold():
                raise InvalidValue(
                    f"Another speaker is called {other.name!r}; merge {speaker.name!r} into it "
                    "instead."
                )
        with self._p.write(f"Rename speaker {speaker.name} to {clean}") as journal:
            journal.update_row(Speaker, speaker_id, {"name": clean})

    def set_role(self, speaker_ids: Sequence[int], role: str) -> None:
        """Give speakers a role (interviewer, participant, facilitator or other)."""
        stored = check_role(role)
        with self._p.write(f"Set speaker role to {stored}") as journal:
            journal.update_where(Speaker, Speaker.id.in_(list(speaker_ids)), {"role": stored})

    def set_memo(self, speaker_id: int, memo: str) -> None:
        speaker = self.get(speaker_id)
        with self._p.write(f"Edit memo of speaker {speaker.name}") as journal:
            journal.update_row(Speaker, speaker_id, {"memo": memo})

    def set_attribute(self, speaker_id: int, name: str, value: str | None) -> None:
        """Set (or with ``None``/empty, clear) one attribute of a speaker."""
        clean = name.strip()
        if not clean:
            raise InvalidValue("A speaker attribute needs a name.")
        speaker = self.get(speaker_id)
        where = and_(SpeakerAttribute.speaker_id == speaker_id, SpeakerAttribute.name == clean)
        with self._p.write(f"Set {clean} of speaker {speaker.name}") as journal:
            if value is None or not value.strip():
                journal.delete_where(SpeakerAttribute, where)
            elif not journal.update_where(SpeakerAttribute, where, {"value": value.strip()}):
                journal.insert(
                    SpeakerAttribute,
                    [{"speaker_id": speaker_id, "name": clean, "value": value.strip()}],
                )

    def alias(self, label: str, speaker_id: int, document_id: int | None = None) -> None:
        """Make ``label`` mean a speaker in one document (or, with None, in every document)."""
        clean = label.strip()
        if not clean:
            raise InvalidValue("An alias needs a label.")
        speaker = self.get(speaker_id)
        if document_id is not None:
            self._p.documents.get(document_id)  # refuses a document that does not exist
        same_place = (
            SpeakerAlias.document_id.is_(None)
            if document_id is None
            else SpeakerAlias.document_id == document_id
        )
        with self._p.write(f"{clean} means {speaker.name}") as journal:
            existing = [
                row
                for row in journal.conn.execute(select(SpeakerAlias).where(same_place)).mappings()
                if row["label"].strip().casefold() == clean.casefold()
            ]
            if existing:
                journal.update_where(
                    SpeakerAlias,
                    SpeakerAlias.id.in_([row["id"] for row in existing]),
                    {"speaker_id": speaker_id},
                )
            else:
                journal.insert(
                    SpeakerAlias,
                    [{"speaker_id": speaker_id, "label": clean, "document_id": document_id}],
                )

    def merge(self, source_id: int, target_id: int) -> None:
        """Merge speaker ``source`` into ``target``: every label that meant source means target.

        Target keeps its name and role; source's name becomes an alias of target, its
        attributes that target lacks move over, and its memo is appended to target's.
        """
        if source_id == target_id:
            raise InvalidValue("A speaker cannot be merged into itself.")
        source, target = self.get(source_id), self.get(target_id)
        with self._p.write(f"Merge speaker {source.name} into {target.name}") as journal:
            conn = journal.conn
            rows = conn.execute(select(SpeakerAlias)).mappings().all()

            def place(row: Any) -> tuple[int | None, str]:
                return row["document_id"], row["label"].strip().casefold()

            targets = {place(r) for r in rows if r["speaker_id"] == target_id}
            moving = [r for r in rows if r["speaker_id"] == source_id]
            duplicate = [r["id"] for r in moving if place(r) in targets]
            journal.delete_where(SpeakerAlias, SpeakerAlias.id.in_(duplicate))
            journal.update_where(
                SpeakerAlias,
                SpeakerAlias.id.in_([r["id"] for r in moving if r["id"] not in duplicate]),
                {"speaker_id": target_id},
            )
            named = {place(r) for r in rows}
            if (None, source.name.casefold()) not in named:
                journal.insert(
                    SpeakerAlias,
                    [{"speaker_id": target_id, "label": source.name, "document_id": None}],
                )
            attributes = conn.execute(
                select(SpeakerAttribute).where(
                    SpeakerAttribute.speaker_id.in_([source_id, target_id])
                )
            ).mappings()
            theirs: dict[str, str] = {}
            kept: set[str] = set()
            for row in attributes:
                if row["speaker_id"] == source_id:
                    theirs[row["name"]] = row["value"]
                else:
                    kept.add(row["name"])
            journal.delete_where(SpeakerAttribute, SpeakerAttribute.speaker_id == source_id)
            journal.insert(
                SpeakerAttribute,
                [
                    {"speaker_id": target_id, "name": name, "value": value}
                    for name, value in theirs.items()
                    if name not in kept
                ],
            )
            if source.memo.strip() and source.memo.strip() not in target.memo:
                memo = f"{target.memo.rstrip()}\n\n{source.memo.strip()}".strip()
                journal.update_row(Speaker, target_id, {"memo": memo})
            journal.delete_where(Speaker, Speaker.id == source_id)
