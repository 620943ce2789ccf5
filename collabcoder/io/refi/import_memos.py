"""Turn REFI-QDA notes (and selection and set annotations) into memos with their targets.

Tools put a memo in different places: a NoteRef on the project, a code, a case, a source, a
selection or a coding; a Link from a note to any of those (NVivo's annotations, our case memos);
a selection's Description (QualCoder's coding memo, ATLAS.ti's comment). Each becomes a memo
whose targets are GUIDs, most specific first: a selection's memo goes on its first coding's
segment, or on the document when none was carried. A CollabCoder memo has one target, so a note
referenced from several places stays on the first and the others are reported.
"""

from __future__ import annotations

from collabcoder.core.bundle import BundleMemo
from collabcoder.core.codebook_spec import walk_codebook
from collabcoder.io.refi.conventions import derived_guid
from collabcoder.io.refi.fidelity import FidelityReport
from collabcoder.io.refi.qde_model import QdeProject, QdeSelection, QdeTextSource

Targets = list[tuple[str, str]]


def memo_bundle(qde: QdeProject, report: FidelityReport) -> list[BundleMemo]:
    places = _places(qde) if qde.links else {}
    attached: dict[str, list[Targets]] = {}

    def attach(note_guids: list[str], targets: Targets) -> None:
        for guid in note_guids:
            attached.setdefault(guid, []).append(targets)

    attach(qde.project_notes, [])
    for code_guid, notes in qde.code_notes.items():
        attach(notes, [("code", code_guid)])
    for case in qde.cases:
        attach(case.notes, [("case", case.guid)])
    for source in qde.sources:
        attach(source.notes, [("document", source.guid)])
        for selection in source.selections:
            if selection.notes:
                attach(selection.notes, _selection_targets(source, selection))
            for coding in selection.codings:
                if coding.notes:
                    attach(coding.notes, [("segment", coding.guid)])
    linked = set()
    for origin, target in qde.links:
        linked.add(origin)
        if target in places:
            attach([origin], places[target])

    memos = []
    for note in qde.notes:
        found = attached.get(note.guid)
        if found is None and note.guid in linked:
            report.warn(
                f"note {note.name!r} was linked to something not carried; kept as a project memo"
            )
        found = found or [[]]
        for extra in found[1:]:
            what = extra[0][0] if extra else "project"
            report.drop(
                "memo link", f"{note.name} -> {what}", "a memo is attached to one thing only"
            )
        memos.append(
            BundleMemo(
                note.guid,
                found[0],
                note.name,
                note.text,
                note.user,
                note.created,
                note.modified,
                note.modified_by,
            )
        )
    memos.extend(_selection_descriptions(qde))
    memos.extend(_set_memos(qde, report))
    return memos


def _selection_targets(source: QdeTextSource, selection: QdeSelection) -> Targets:
    return [*(("segment", c.guid) for c in selection.codings), ("document", source.guid)]


def _places(qde: QdeProject) -> dict[str, Targets]:
    """What a Link's target GUID may name, as memo targets."""
    places: dict[str, Targets] = {}
    for _, spec in walk_codebook(qde.codes):
        if spec.guid:
            places[spec.guid] = [("code", spec.guid)]
    for case in qde.cases:
        places[case.guid] = [("case", case.guid)]
    for source in qde.sources:
        places[source.guid] = [("document", source.guid)]
        for selection in source.selections:
            places.setdefault(selection.guid, _selection_targets(source, selection))
            for coding in selection.codings:
                places[coding.guid] = [("segment", coding.guid)]
    return places


def _selection_descriptions(qde: QdeProject) -> list[BundleMemo]:
    """A selection's Description is an annotation of that passage: a memo on it.

    Skipped when it repeats a note already attached to the selection: CollabCoder (and tools
    that follow QualCoder) write a segment's memo both as a Note and as the Description.
    """
    note_texts = {n.guid: n.text.strip() for n in qde.notes}
    memos = []
    for source in qde.sources:
        for selection in source.selections:
            description = selection.description.strip()
            if not description:
                continue
            attached = [*selection.notes, *(g for c in selection.codings for g in c.notes)]
            texts = [note_texts.get(g, "") for g in attached]
            if description in {*texts, "\n\n".join(texts)}:
                continue
            memos.append(
                BundleMemo(
                    derived_guid("selection description", selection.guid),
                    _selection_targets(source, selection),
                    f"Selection {selection.start}-{selection.end}",
                    description,
                    selection.user,
                    selection.created,
                )
            )
    return memos


def _set_memos(qde: QdeProject, report: FidelityReport) -> list[BundleMemo]:
    """Codes and notes in a set have no place in a document set: each such set becomes a project
    memo listing them (its documents, if any, also become a document set)."""
    names: dict[str, str] = {n.guid: n.name for n in qde.notes}
    code_names = {spec.guid: "/".join(path) for path, spec in walk_codebook(qde.codes) if spec.guid}
    memos = []
    for set_ in qde.sets:
        if not (set_.codes or set_.notes):
            continue  # a set of documents only: a document set
        lines = [set_.description.strip()] if set_.description.strip() else []
        for label, guids, lookup in (
            ("Codes", set_.codes, code_names),
            ("Notes", set_.notes, names),
        ):
            if guids:
                lines.append(f"{label}: " + "; ".join(lookup.get(g, g) for g in guids))
        if not set_.sources:  # a set with documents is counted as the document set it becomes
            report.count("sets")
        memos.append(BundleMemo(set_.guid, [], f"Set: {set_.name}", "\n".join(lines)))
    return memos
