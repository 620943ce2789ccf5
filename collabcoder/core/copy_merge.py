"""Merging a project copy back: what lives beside the coding (speakers with their aliases and
attributes, document headings, saved queries, autocode provenance).

Part of ``transfer.merge_project``'s one write: rows are matched as a researcher would expect
(speakers by GUID, else by name; headings and provenance by the GUID they are keyed by; saved
queries by GUID), new ones are added with their references re-pointed, and a row that differs
on both sides is reported, never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, select

from .model import Speaker, SpeakerAlias, SpeakerAttribute
from .search_schema import DocumentHeading, SavedQuery, SegmentProvenance

Conflict = Callable[[str], None]


def merge_speakers(
    src: Connection, journal: Any, documents: dict[int, int], conflict: Conflict
) -> int:
    """Add the copy's speakers, aliases and speaker attributes the project lacks; how many
    speakers were new. Runs before turns arrive, so their labels find these speakers."""
    dst = journal.conn
    have = list(dst.execute(select(Speaker)).mappings())
    by_guid = {r["guid"]: r for r in have}
    by_name = {r["name"].casefold(): r for r in have}
    speakers: dict[int, int] = {}
    new = []
    for row in src.execute(select(Speaker)).mappings():
        match = by_guid.get(row["guid"]) or by_name.get(row["name"].casefold())
        if match is None:
            new.append((row["id"], {k: v for k, v in row.items() if k != "id"}))
            continue
        speakers[row["id"]] = match["id"]
        changed = [f for f in ("name", "role", "memo") if match[f] != row[f]]
        if changed:
            conflict(f"speaker {row['name']}: {', '.join(changed)} differs; the project's kept")
    for (old_id, _), stored in zip(new, journal.insert(Speaker, [r for _, r in new]), strict=True):
        speakers[old_id] = stored["id"]
    _merge_aliases(src, journal, speakers, documents, conflict)
    _merge_attributes(src, journal, speakers, conflict)
    return len(new)


def _merge_aliases(
    src: Connection,
    journal: Any,
    speakers: dict[int, int],
    documents: dict[int, int],
    conflict: Conflict,
) -> None:
    means = {
        (r.label.casefold(), r.document_id): r.speaker_id
        for r in journal.conn.execute(select(SpeakerAlias))
    }
    rows = []
    for row in src.execute(select(SpeakerAlias)):
        document = None if row.document_id is None else documents[row.document_id]
        key, speaker = (row.label.casefold(), document), speakers[row.speaker_id]
        if key not in means:
            means[key] = speaker
            rows.append({"speaker_id": speaker, "label": row.label, "document_id": document})
        elif means[key] != speaker:
            conflict(f"speaker label {row.label!r} means another speaker here; kept as it was")
    journal.insert(SpeakerAlias, rows)


def _merge_attributes(
    src: Connection, journal: Any, speakers: dict[int, int], conflict: Conflict
) -> None:
    have = {(r.speaker_id, r.name): r.value for r in journal.conn.execute(select(SpeakerAttribute))}
    rows = []
    for row in src.execute(select(SpeakerAttribute)):
        key = (speakers[row.speaker_id], row.name)
        if key not in have:
            have[key] = row.value
            rows.append({"speaker_id": key[0], "name": row.name, "value": row.value})
        elif have[key] != row.value:
            conflict(f"speaker attribute {row.name}: {row.value!r} vs {have[key]!r}; kept")
    journal.insert(SpeakerAttribute, rows)


def merge_headings_and_provenance(src: Connection, journal: Any) -> tuple[int, int]:
    """Headings of documents the project has none for, and autocode provenance of segments it
    has none for (both keyed by GUID, so the same document or segment is recognised)."""
    dst = journal.conn
    known = set(dst.scalars(select(DocumentHeading.document_guid).distinct()))
    headings = [
        {k: v for k, v in r.items() if k != "id"}
        for r in src.execute(select(DocumentHeading)).mappings()
        if r["document_guid"] not in known
    ]
    journal.insert(DocumentHeading, headings)
    traced = set(dst.scalars(select(SegmentProvenance.segment_guid)))
    provenance = [
        dict(r)
        for r in src.execute(select(SegmentProvenance)).mappings()
        if r["segment_guid"] not in traced
    ]
    journal.insert(SegmentProvenance, provenance)
    return len(headings), len(provenance)


def merge_saved_queries(
    src: Connection, journal: Any, coders: dict[int, int], conflict: Conflict
) -> int:
    """The copy's saved queries the project lacks (by GUID); one whose name and kind the project
    already uses for another query is reported and left out. How many were added."""
    have = list(journal.conn.execute(select(SavedQuery)).mappings())
    guids = {r["guid"]: r for r in have}
    names = {(r["name"].casefold(), r["kind"]) for r in have}
    rows = []
    for row in src.execute(select(SavedQuery)).mappings():
        match = guids.get(row["guid"])
        if match is not None:
            if match["definition"] != row["definition"]:
                conflict(f"saved query {row['name']}: changed on both sides; the project's kept")
            continue
        if (row["name"].casefold(), row["kind"]) in names:
            conflict(f"saved query {row['name']}: the project has another of that name; left out")
            continue
        names.add((row["name"].casefold(), row["kind"]))
        new = {k: v for k, v in row.items() if k != "id"}
        rows.append({**new, "coder_id": coders[row["coder_id"]]})
    journal.insert(SavedQuery, rows)
    return len(rows)
