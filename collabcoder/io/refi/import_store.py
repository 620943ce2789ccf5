"""Turn a read REFI-QDA project into a core :class:`~collabcoder.core.bundle.Bundle` and merge it.

Only translation happens here: which REFI-QDA element becomes which CollabCoder thing, and what
has no place (reported with the reason). Matching, uniqueness, value rules and the one
transaction are core's (:func:`~collabcoder.core.bundle_merge.merge_bundle`).
"""

from __future__ import annotations

from collections import defaultdict

from collabcoder.core.bundle import (
    Bundle,
    BundleAttribute,
    BundleCase,
    BundleCoder,
    BundleDocument,
    BundleSegment,
    BundleSet,
    BundleValue,
)
from collabcoder.core.bundle_merge import merge_bundle
from collabcoder.core.documents import DOCUMENT_KINDS, NewDocument, NewTurn
from collabcoder.core.errors import InvalidValue
from collabcoder.core.project import Project
from collabcoder.io.refi import conventions as cv
from collabcoder.io.refi.fidelity import FidelityReport, NotCarried
from collabcoder.io.refi.import_memos import memo_bundle
from collabcoder.io.refi.qde_model import PreparedSource, QdeCase, QdeProject


def store(
    project: Project,
    qde: QdeProject,
    sources: list[PreparedSource],
    report: FidelityReport,
    *,
    merge: bool,
) -> None:
    """Add everything read from the file to ``project`` as one undoable step."""
    report.not_carried.extend(qde.unsupported)
    report.warnings.extend(qde.warnings)
    bundle = build_bundle(qde, sources, report)
    outcome = merge_bundle(project, bundle, merge=merge, label=f"Import {report.path}")
    for kind, n in outcome.added.items():
        report.count(kind, n)
    report.not_carried.extend(NotCarried(d.kind, d.name, d.reason) for d in outcome.dropped)
    report.warnings.extend(outcome.warnings)


def build_bundle(qde: QdeProject, sources: list[PreparedSource], report: FidelityReport) -> Bundle:
    """Everything CollabCoder can hold of ``qde``, by GUID; what it cannot goes in ``report``."""
    cases, file_values = _split_cases(qde)
    bundle = Bundle(
        coders=[BundleCoder(guid, name) for guid, name in qde.users.items()],
        codes=qde.codes,
        cases=[
            BundleCase(c.guid, c.name or f"Case {n}", c.description)
            for n, c in enumerate(cases, start=1)
        ],
    )
    for case in cases:
        if case.other_refs:
            report.drop(
                "case link", case.name, "codes and selections linked to a case are not carried"
            )
    _attributes(qde, cases, bundle)
    case_of = _case_membership(cases, report)
    variables = {v.guid: v.name for v in qde.variables}
    bundle.sets = _document_sets(qde)
    for prepared in sources:
        guid = prepared.source.guid
        new = _new_document(prepared, variables, report)
        for name, value in file_values.get(guid, []):
            new.meta.setdefault(name, value)
        bundle.documents.append(BundleDocument(new, case_of.get(guid)))
        for selection, start, end in prepared.spans:
            for coding in selection.codings:
                bundle.segments.append(
                    BundleSegment(
                        coding.guid,
                        guid,
                        coding.code_guid,
                        coding.user or selection.user,
                        start,
                        end,
                        coding.created or selection.created,
                        f"{prepared.source.name} {start}-{end}",
                    )
                )
    bundle.memos = memo_bundle(qde, report)
    return bundle


def _split_cases(qde: QdeProject) -> tuple[list[QdeCase], dict[str, list[tuple[str, str]]]]:
    """Real cases, and the document variables that MAXQDA and Quirkos write as cases.

    Those tools put a source's variables in a ``<Case>`` without a name and with that one
    ``<SourceRef>``: they describe the document, so they become its metadata.
    """
    names = {v.guid: v.name for v in qde.variables}
    cases, values = [], defaultdict(list)
    for case in qde.cases:
        if not case.name and len(case.sources) == 1 and case.values and not case.notes:
            for var_guid, _, raw in case.values:
                if raw.strip() and names.get(var_guid):
                    values[case.sources[0]].append((names[var_guid], raw.strip()))
            continue
        cases.append(case)
    return cases, values


def _attributes(qde: QdeProject, cases: list[QdeCase], bundle: Bundle) -> None:
    used = {guid for case in cases for guid, _, _ in case.values}
    for n, var in enumerate(qde.variables, start=1):
        if var.guid in used:
            kind, choices = cv.attribute_kind(var.type, var.description)
            bundle.attributes.append(
                BundleAttribute(var.guid, var.name or f"Variable {n}", kind, choices)
            )
    bundle.values = [
        BundleValue(case.guid, var_guid, raw) for case in cases for var_guid, _, raw in case.values
    ]


def _case_membership(cases: list[QdeCase], report: FidelityReport) -> dict[str, str]:
    case_of: dict[str, str] = {}
    for case in cases:
        for source_guid in case.sources:
            if case_of.setdefault(source_guid, case.guid) != case.guid:
                report.drop(
                    "case membership",
                    f"{source_guid} in {case.name}",
                    "a document belongs to one case; it stays in the first",
                )
    return case_of


def _new_document(
    prepared: PreparedSource, variables: dict[str, str], report: FidelityReport
) -> NewDocument:
    source = prepared.source
    new = NewDocument(source.name, prepared.text, guid=source.guid)
    turns: list[NewTurn] = []
    for var_guid, _, value in source.values:
        name = variables.get(var_guid, "")
        if name == cv.KIND_VARIABLE and value in DOCUMENT_KINDS:
            new.kind = value
        elif name == cv.TURNS_VARIABLE:
            try:
                turns = cv.turns_from_text(value, len(prepared.text))
            except InvalidValue as exc:
                report.drop("speaker turns", source.name, str(exc))
        elif name == cv.SOURCE_FILE_VARIABLE:
            new.source_name = value
        elif name == cv.SHA256_VARIABLE:
            new.sha256 = value
        elif name:
            new.meta[name] = value
    if source.description.strip():
        new.meta["description"] = source.description.strip()
    new.turns = turns
    return new


def _document_sets(qde: QdeProject) -> list[BundleSet]:
    """Sets holding sources become document sets (their codes and notes: see ``import_memos``).

    Members are matched by GUID in the merge, which leaves out (with a warning) those naming
    neither an imported document nor one the project has: a picture source, a GUID of nothing.
    """
    out = []
    for set_ in qde.sets:
        if not set_.sources and (set_.codes or set_.notes):
            continue  # a set of codes or notes only: a project memo
        description, query = cv.split_smart_set_description(set_.description)
        out.append(BundleSet(set_.guid, set_.name, description, list(set_.sources), query))
    return out
