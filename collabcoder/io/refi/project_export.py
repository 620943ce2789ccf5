"""Export a project (or some of its documents) as a REFI-QDA ``.qdpx``.

The archive holds ``project.qde``, valid against the official ``Project.xsd``, and
``sources/<GUID>.txt`` for each document: its canonical text in UTF-8 without a BOM, so positions
are code points exactly as the standard says. One selection per segment, its coding carrying the
segment's GUID, coder and time. Memos become Notes with NoteRefs (case memos, which the schema
cannot reference from a Case, with a Link). The file is written beside its target and renamed,
so a failed export never leaves half a file.
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import cast

from lxml import etree

from collabcoder import __version__
from collabcoder.core.atomic import atomic_path
from collabcoder.core.documents import NewTurn
from collabcoder.core.heap import no_collector_passes
from collabcoder.core.progress import CancelToken, Progress, Steps
from collabcoder.core.project import Project
from collabcoder.core.records import (
    AttributeRecord,
    CaseRecord,
    CodeRecord,
    DocumentRecord,
    MemoRecord,
    SegmentRecord,
)
from collabcoder.core.segments import SegmentFilter
from collabcoder.io.refi import conventions as cv
from collabcoder.io.refi.fidelity import FidelityReport
from collabcoder.io.refi.qdc import build_codes_element
from collabcoder.io.refi.qde_read import parse_time

PROJECT_NS = "urn:QDA-XML:project:1.0"


def _q(tag: str) -> str:
    return f"{{{PROJECT_NS}}}{tag}"


# Tags written once per segment, spelled out once.
_SELECTION, _CODING, _CODE_REF = _q("PlainTextSelection"), _q("Coding"), _q("CodeRef")
_DESCRIPTION, _NOTE_REF = _q("Description"), _q("NoteRef")


def _guid(value: str) -> str:
    # Lower case, as NVivo writes: the schema allows both, but some readers take nothing else.
    return value.lower()


@lru_cache(maxsize=4096)
def xsd_time(stored: str | None) -> str:
    """A stored time as xsd:dateTime in UTC (``...Z``)."""
    normal = parse_time(stored) or datetime.now(UTC).isoformat(timespec="seconds")
    return normal.replace("+00:00", "Z")


EXPORT_STEPS = 3  # reading, building the XML, writing the zip


@dataclass
class _Data:
    """Everything the export reads, fetched up front in a handful of queries."""

    documents: list[DocumentRecord]
    texts: dict[int, str]
    segments: list[SegmentRecord]
    memos: list[MemoRecord]
    codes: list[CodeRecord]


def export_qdpx(
    project: Project,
    path: str | Path,
    document_ids: list[int] | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> FidelityReport:
    """Write ``project`` (or only ``document_ids``) to ``path`` as a ``.qdpx``; report on it.
    ``cancel`` is checked between steps: a cancelled export leaves ``path`` as it was."""
    target = Path(path)
    report = FidelityReport("export", str(target))
    tell = Steps(EXPORT_STEPS, f"Exporting {target.name}", progress, cancel)
    with no_collector_passes():
        tell("Reading the project")
        data = _read(project, document_ids)
        tell("Building the project file")
        root = build_project_element(project, data, report)
        qde = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    files = {
        f"sources/{_guid(d.guid)}.txt": data.texts[d.id].encode("utf-8") for d in data.documents
    }
    tell("Writing the archive")
    _write_zip(target, qde, files)
    return report


def _read(project: Project, document_ids: list[int] | None) -> _Data:
    documents = project.documents.list()
    if document_ids is not None:
        wanted = set(document_ids)
        documents = [d for d in documents if d.id in wanted]
    ids = [d.id for d in documents]
    where = SegmentFilter(document_ids=ids) if document_ids is not None else None
    return _Data(
        documents,
        project.documents.texts(ids),
        project.segments.list(where),
        cast("list[MemoRecord]", project.memos.list()),
        cast("list[CodeRecord]", project.codes.list()),
    )


def build_project_element(project: Project, data: _Data, report: FidelityReport) -> etree._Element:
    """The ``<Project>`` element for ``data`` (exposed for tests that validate it)."""
    root = etree.Element(_q("Project"), nsmap={None: PROJECT_NS})
    root.set("name", project.name or "CollabCoder project")
    root.set("origin", f"CollabCoder {__version__}")
    root.set("creationDateTime", xsd_time(None))

    coders = project.coders.list()
    coder_guid = {c.id: _guid(c.guid) for c in coders}
    if coders:
        users = etree.SubElement(root, _q("Users"))
        for coder in coders:
            etree.SubElement(users, _q("User"), guid=coder_guid[coder.id], name=coder.name)
        report.count("coders", len(coders))

    memos_on: dict[tuple[str, int | None], list[MemoRecord]] = defaultdict(list)
    for memo in data.memos:
        memos_on[(memo.target_kind, memo.target_id)].append(memo)
    code_guid = {c.id: _guid(c.guid) for c in data.codes}
    if data.codes:
        codebook = etree.SubElement(root, _q("CodeBook"))
        codes = build_codes_element(project.codes.to_specs(), PROJECT_NS)
        codebook.append(codes)
        _code_note_refs(codes, data.codes, memos_on)
        report.count("codes", len(data.codes))

    attributes = cast("list[AttributeRecord]", project.attributes.list())
    doc_variables = _document_variables(data.documents)
    if attributes or doc_variables:
        variables = etree.SubElement(root, _q("Variables"))
        for attribute in attributes:
            var = etree.SubElement(
                variables,
                _q("Variable"),
                guid=_guid(attribute.guid),
                name=attribute.name,
                typeOfVariable=cv.EXPORT_TYPES[attribute.kind],
            )
            if attribute.kind == "choice":
                etree.SubElement(var, _q("Description")).text = cv.choices_description(
                    attribute.choices
                )
        for name, guid in doc_variables.items():
            etree.SubElement(variables, _q("Variable"), guid=guid, name=name, typeOfVariable="Text")
        report.count("attributes", len(attributes))

    exported = {d.id for d in data.documents}
    cases = project.cases.list()
    _cases(root, project, cases, attributes, data.documents, report)
    segment_ids = {s.id for s in data.segments}
    if data.documents:
        sources = etree.SubElement(root, _q("Sources"))
        by_document: dict[int, list[SegmentRecord]] = defaultdict(list)
        for segment in data.segments:
            by_document[segment.document_id].append(segment)
        turns: dict[int, list[NewTurn]] = defaultdict(list)
        for t in project.documents.turns(document_ids=sorted(exported)):
            turns[t.document_id].append(NewTurn(t.speaker, t.start, t.end, t.timestamp, t.seconds))
        for document in data.documents:
            sources.append(
                _text_source(
                    document,
                    by_document[document.id],
                    code_guid,
                    coder_guid,
                    memos_on,
                    doc_variables,
                    turns[document.id],
                )
            )
        report.count("documents", len(data.documents))
        report.count("segments", len(data.segments))
        if any(s.origin != "imported" for s in data.segments):
            report.warn(
                "REFI-QDA cannot say how a segment was made (by hand, accepted suggestion, "
                "auto-code): another tool, or CollabCoder reading this file, sees them as imported"
            )

    case_guid = {c.id: c.guid for c in cases}
    _notes_and_links(root, data, case_guid, exported, segment_ids, coder_guid, report)
    _sets(root, project, exported, report)
    for memo in memos_on[("project", None)]:
        etree.SubElement(root, _q("NoteRef"), targetGUID=_guid(memo.guid))
    _report_left_out(project, report)
    return root


def _code_note_refs(
    codes: etree._Element,
    records: list[CodeRecord],
    memos_on: dict[tuple[str, int | None], list[MemoRecord]],
) -> None:
    by_guid = {_guid(c.guid): c.id for c in records}
    for element in codes.iter(_q("Code")):
        memos = memos_on.get(("code", by_guid.get(element.get("guid", ""))), [])
        # NoteRef comes after Description and before child codes.
        index = 1 if len(element) and element[0].tag == _q("Description") else 0
        for memo in reversed(memos):
            ref = etree.Element(_q("NoteRef"), targetGUID=_guid(memo.guid))
            element.insert(index, ref)


def _document_variables(documents: list[DocumentRecord]) -> dict[str, str]:
    """Name -> GUID of the source variables that carry document kind, turns and metadata."""
    names = [cv.KIND_VARIABLE, cv.TURNS_VARIABLE, cv.SOURCE_FILE_VARIABLE, cv.SHA256_VARIABLE]
    for document in documents:
        names.extend(k for k in document.meta if k != "description")
    return {
        name: _guid(cv.derived_guid("document variable", name)) for name in dict.fromkeys(names)
    }


def _cases(
    root: etree._Element,
    project: Project,
    cases: list[CaseRecord],
    attributes: list[AttributeRecord],
    documents: list[DocumentRecord],
    report: FidelityReport,
) -> None:
    if not cases:
        return
    values = project.attributes.values()
    members: dict[int, list[DocumentRecord]] = defaultdict(list)
    for document in documents:
        if document.case_id is not None:
            members[document.case_id].append(document)
    element = etree.SubElement(root, _q("Cases"))
    for case in cases:
        item = etree.SubElement(element, _q("Case"), guid=_guid(case.guid), name=case.name)
        if case.description:
            etree.SubElement(item, _q("Description")).text = case.description
        for attribute in attributes:
            value = values.get((case.id, attribute.id))
            if value is not None:
                _variable_value(item, attribute, value)
        for document in members[case.id]:
            etree.SubElement(item, _q("SourceRef"), targetGUID=_guid(document.guid))
    report.count("cases", len(cases))


def _variable_value(parent: etree._Element, attribute: AttributeRecord, value: str) -> None:
    element = etree.SubElement(parent, _q("VariableValue"))
    etree.SubElement(element, _q("VariableRef"), targetGUID=_guid(attribute.guid))
    kind = cv.EXPORT_TYPES[attribute.kind]
    if kind == "Float":
        try:
            value = format(Decimal(value), "f")  # xsd:decimal has no exponent
        except InvalidOperation:
            kind = "Text"
    etree.SubElement(element, _q(f"{kind}Value")).text = value


def _text_source(
    document: DocumentRecord,
    segments: list[SegmentRecord],
    code_guid: dict[int, str],
    coder_guid: dict[int, str],
    memos_on: dict[tuple[str, int | None], list[MemoRecord]],
    doc_variables: dict[str, str],
    turns: list[NewTurn],
) -> etree._Element:
    source = etree.Element(_q("TextSource"), guid=_guid(document.guid), name=document.name)
    source.set("plainTextPath", f"internal://{_guid(document.guid)}.txt")
    source.set("creationDateTime", xsd_time(document.created))
    if document.meta.get("description"):
        etree.SubElement(source, _q("Description")).text = document.meta["description"]
    sub = etree.SubElement
    for segment in segments:
        user = coder_guid[segment.coder_id]
        created = xsd_time(segment.created)
        selection = sub(
            source,
            _SELECTION,
            guid=cv.selection_guid(segment.guid),
            startPosition=str(segment.start),
            endPosition=str(segment.end),
            creatingUser=user,
            creationDateTime=created,
        )
        memos = memos_on.get(("segment", segment.id))
        if memos:
            # QualCoder reads a segment's memo only here; the Note (via NoteRef) is for the rest.
            sub(selection, _DESCRIPTION).text = "\n\n".join(m.text for m in memos)
        coding = sub(
            selection,
            _CODING,
            guid=_guid(segment.guid),
            creatingUser=user,
            creationDateTime=created,
        )
        sub(coding, _CODE_REF, targetGUID=code_guid[segment.code_id])
        for memo in memos or ():
            sub(coding, _NOTE_REF, targetGUID=_guid(memo.guid))
    for memo in memos_on.get(("document", document.id), []):
        etree.SubElement(source, _q("NoteRef"), targetGUID=_guid(memo.guid))
    values = {
        cv.KIND_VARIABLE: document.kind,
        cv.SOURCE_FILE_VARIABLE: document.source_name,
        cv.SHA256_VARIABLE: document.sha256,
        **{k: v for k, v in document.meta.items() if k != "description"},
    }
    if turns:
        values[cv.TURNS_VARIABLE] = cv.turns_to_text(turns)
    for name, value in values.items():
        if value:
            element = etree.SubElement(source, _q("VariableValue"))
            etree.SubElement(element, _q("VariableRef"), targetGUID=doc_variables[name])
            etree.SubElement(element, _q("TextValue")).text = value
    return source


def _notes_and_links(
    root: etree._Element,
    data: _Data,
    case_guid: dict[int, str],
    exported: set[int],
    segment_ids: set[int],
    coder_guid: dict[int, str],
    report: FidelityReport,
) -> None:
    kept: list[MemoRecord] = []
    for memo in data.memos:
        if (memo.target_kind == "document" and memo.target_id not in exported) or (
            memo.target_kind == "segment" and memo.target_id not in segment_ids
        ):
            report.drop("memo", memo.title or memo.text[:40], "it is on a document not exported")
            continue
        kept.append(memo)
    if not kept:
        return
    notes = etree.SubElement(root, _q("Notes"))
    links: list[etree._Element] = []
    for memo in kept:
        note = etree.SubElement(
            notes,
            _q("Note"),
            guid=_guid(memo.guid),
            name=memo.title,
            creatingUser=coder_guid[memo.coder_id],
            creationDateTime=xsd_time(memo.created),
            modifyingUser=coder_guid[memo.modified_by or memo.coder_id],
            modifiedDateTime=xsd_time(memo.modified),
        )
        etree.SubElement(note, _q("PlainTextContent")).text = memo.text
        if memo.target_kind == "case" and memo.target_id in case_guid:
            link = etree.Element(
                _q("Link"),
                guid=_guid(cv.derived_guid("case memo", memo.guid)),
                name="Memo on case",
                direction="OneWay",
                originGUID=_guid(memo.guid),
                targetGUID=_guid(case_guid[memo.target_id]),
            )
            links.append(link)
    report.count("memos", len(kept))
    if links:
        etree.SubElement(root, _q("Links")).extend(links)


def _sets(
    root: etree._Element, project: Project, exported: set[int], report: FidelityReport
) -> None:
    """Document sets, each with its members among the exported documents.

    REFI-QDA has no queries: a smart set is written as its members now, its query kept after a
    label in the Description, where CollabCoder finds it again and other tools show it as text.
    """
    records = project.sets.list()
    if not records:
        return
    guids = {d.id: d.guid for d in project.documents.list() if d.id in exported}
    members = project.sets.all_members()
    sets = etree.SubElement(root, _q("Sets"))
    for record in records:
        element = etree.SubElement(sets, _q("Set"), guid=_guid(record.guid), name=record.name)
        description = record.description
        if record.query is not None:
            description = cv.smart_set_description(description, record.query.to_json())
        if description:
            etree.SubElement(element, _q("Description")).text = description
        for ident in sorted(members[record.name] & guids.keys()):
            etree.SubElement(element, _q("MemberSource"), targetGUID=_guid(guids[ident]))
    report.count("sets", len(records))
    smart = [r.name for r in records if r.smart]
    if smart:
        report.warn(
            f"smart sets ({', '.join(smart)}) are written as the documents they hold now: "
            "REFI-QDA has no queries; the query is kept in each set's description, which "
            "CollabCoder reads back and other tools show as text"
        )


def _report_left_out(project: Project, report: FidelityReport) -> None:
    """Say what REFI-QDA has no place for, so nobody expects it in the other tool."""
    open_suggestions = project.suggestions.list()
    if open_suggestions:
        report.drop(
            "suggestion",
            f"{len(open_suggestions)} open",
            "suggestions are not coding; not exported",
        )
    summaries = project.summaries.list()
    if summaries:
        report.drop(
            "summary",
            f"{len(summaries)} framework summaries",
            "REFI-QDA has no framework matrix",
        )


def _write_zip(target: Path, qde: bytes, files: dict[str, bytes]) -> None:
    # Written whole or not at all; the file gets the user's normal permissions (umask).
    # Level 1: text still shrinks ~3x, at a fraction of the default level's time.
    with (
        atomic_path(target) as temporary,
        zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
    ):
        zf.writestr("project.qde", qde)
        for name, content in files.items():
            zf.writestr(name, content)
