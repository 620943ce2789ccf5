"""Turn REFI-QDA notes (and set and selection annotations) into memo rows with their targets.

A note is attached where a NoteRef or a Link from it points: the project, a code, a document, a
case, a coded selection. A CollabCoder memo has one target, so a note referenced from several
places stays on the first and the others are reported; a note whose target was not carried (a
video selection, say) becomes a project memo, with a warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from collabcoder.core.codebook_spec import walk_codebook
from collabcoder.core.model import Memo, Segment, utcnow
from collabcoder.io.refi.conventions import derived_guid

if TYPE_CHECKING:
    from collabcoder.io.refi.import_store import ImportWriter

Target = tuple[str, int | None]


def memo_rows(writer: ImportWriter) -> list[dict[str, Any]]:
    qde = writer.qde
    segments = {r.guid: r.id for r in writer.conn.execute(select(Segment.guid, Segment.id))}
    targets: dict[str, list[Target]] = {}

    def attach(note_guids: list[str], target: Target | None) -> None:
        if target is not None:
            for guid in note_guids:
                targets.setdefault(guid, []).append(target)

    attach(qde.project_notes, ("project", None))
    for code_guid, notes in qde.code_notes.items():
        attach(notes, _maybe("code", writer.code_ids.get(code_guid)))
    for case in qde.cases:
        attach(case.notes, _maybe("case", writer.case_ids.get(case.guid)))
    for source in qde.sources:
        doc = writer.doc_ids.get(source.guid)
        attach(source.notes, _maybe("document", doc))
        for selection in source.selections:
            first = writer.selection_segments.get(selection.guid, [])
            attach(selection.notes, ("segment", first[0]) if first else _maybe("document", doc))
            for coding in selection.codings:
                attach(coding.notes, _maybe("segment", segments.get(coding.guid)))
    for origin, target_guid in qde.links:
        attach([origin], _link_target(writer, segments, target_guid))

    existing = {r.guid for r in writer.conn.execute(select(Memo.guid))}
    rows: list[dict[str, Any]] = []
    for note in qde.notes:
        if note.guid in existing:
            continue
        found = targets.get(note.guid, [("project", None)])
        if note.guid in {o for o, _ in qde.links} and note.guid not in targets:
            writer.report.warn(
                f"note {note.name!r} was linked to something not carried; kept as a project memo"
            )
        for extra in found[1:]:
            writer.report.drop(
                "memo link", f"{note.name} -> {extra[0]}", "a memo is attached to one thing only"
            )
        kind, target_id = found[0]
        rows.append(
            _row(
                writer,
                note.guid,
                kind,
                target_id,
                note.name,
                note.text,
                note.user,
                note.created,
                note.modified,
                note.modified_by,
            )
        )
    rows.extend(_selection_descriptions(writer, existing))
    rows.extend(_set_memos(writer, existing))
    return rows


def _maybe(kind: str, ident: int | None) -> Target | None:
    return (kind, ident) if ident is not None else None


def _link_target(writer: ImportWriter, segments: dict[str, int], guid: str) -> Target | None:
    for kind, table in (
        ("document", writer.doc_ids),
        ("code", writer.code_ids),
        ("case", writer.case_ids),
        ("segment", segments),
    ):
        if guid in table:
            return kind, table[guid]
    first = writer.selection_segments.get(guid)
    return ("segment", first[0]) if first else None


def _row(
    writer: ImportWriter,
    guid: str,
    kind: str,
    target_id: int | None,
    title: str,
    text: str,
    user: str | None,
    created: str | None,
    modified: str | None,
    modified_by: str | None,
) -> dict[str, Any]:
    author = writer.coder(user)
    when = created or utcnow()
    return {
        "guid": guid,
        "target_kind": kind,
        "target_id": target_id,
        "coder_id": author,
        "title": title.strip()[:300],
        "text": text,
        "created": when,
        "modified": modified or when,
        "modified_by": writer.coder(modified_by) if modified_by else author,
    }


def _selection_descriptions(writer: ImportWriter, existing: set[str]) -> list[dict[str, Any]]:
    """A selection's Description is an annotation of that passage: a memo on it.

    Skipped when it repeats a note already attached to the selection: CollabCoder (and tools
    that follow QualCoder) write a segment's memo both as a Note and as the Description.
    """
    note_texts = {n.guid: n.text.strip() for n in writer.qde.notes}
    rows = []
    for source in writer.qde.sources:
        doc = writer.doc_ids.get(source.guid)
        for selection in source.selections:
            guid = derived_guid("selection description", selection.guid)
            if not selection.description.strip() or guid in existing or doc is None:
                continue
            attached = [*selection.notes, *(g for c in selection.codings for g in c.notes)]
            texts = [note_texts.get(g, "") for g in attached]
            if selection.description.strip() in {*texts, "\n\n".join(texts)}:
                continue
            first = writer.selection_segments.get(selection.guid)
            kind, target = ("segment", first[0]) if first else ("document", doc)
            title = f"Selection {selection.start}-{selection.end}"
            rows.append(
                _row(
                    writer,
                    guid,
                    kind,
                    target,
                    title,
                    selection.description.strip(),
                    selection.user,
                    selection.created,
                    None,
                    None,
                )
            )
    return rows


def _set_memos(writer: ImportWriter, existing: set[str]) -> list[dict[str, Any]]:
    """Sets of codes or notes have no place in CollabCoder: each becomes a project memo."""
    names: dict[str, str] = {n.guid: n.name for n in writer.qde.notes}
    names.update({s.guid: s.name for s in writer.qde.sources})
    code_names = {
        spec.guid: "/".join(path) for path, spec in walk_codebook(writer.qde.codes) if spec.guid
    }
    rows = []
    for set_ in writer.qde.sets:
        if not (set_.codes or set_.notes) and set_.sources:
            continue  # a set of documents: carried as document metadata
        lines = [set_.description.strip()] if set_.description.strip() else []
        for label, guids, lookup in (
            ("Codes", set_.codes, code_names),
            ("Documents", set_.sources, names),
            ("Notes", set_.notes, names),
        ):
            if guids:
                lines.append(f"{label}: " + "; ".join(lookup.get(g, g) for g in guids))
        writer.report.count("sets")
        if set_.guid in existing:
            continue
        text = "\n".join(lines) or "(an empty set)"
        rows.append(
            _row(
                writer,
                set_.guid,
                "project",
                None,
                f"Set: {set_.name}",
                text,
                None,
                None,
                None,
                None,
            )
        )
    return rows
