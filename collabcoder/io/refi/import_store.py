"""Write a prepared REFI-QDA project into a CollabCoder project: one undo group, all or nothing.

Rows go in through the facade's journal (``project.write``) in bulk, a few statements per table
however many segments there are. Codes and documents go through their managers. Everything is
matched by GUID first, so a merge adds only what the project does not have yet.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from sqlalchemy import Connection, select

from collabcoder.core.cases import canonical_value
from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import DOCUMENT_KINDS, NewDocument, NewTurn
from collabcoder.core.errors import InvalidValue
from collabcoder.core.journal import Journal
from collabcoder.core.model import (
    Attribute,
    AttributeValue,
    Case,
    Code,
    Coder,
    Document,
    Memo,
    Segment,
    utcnow,
)
from collabcoder.core.project import Project
from collabcoder.core.records import AttributeRecord, CodeRecord
from collabcoder.io.refi import conventions as cv
from collabcoder.io.refi.fidelity import FidelityReport
from collabcoder.io.refi.project_import import Prepared, PreparedSource
from collabcoder.io.refi.qde_model import QdeProject


def store(project: Project, prepared: Prepared, report: FidelityReport, *, merge: bool) -> None:
    """Add everything in ``prepared`` to ``project`` as one undoable step."""
    qde = prepared.qde
    report.not_carried.extend(qde.unsupported)
    report.warnings.extend(qde.warnings)
    me = project.coder.id  # registered before the group: it must not open a second writer
    with project.undo_group(f"Import {report.path}"), project.write("Import") as journal:
        writer = ImportWriter(project, journal, qde, report, me, merge)
        writer.coders()
        writer.codes(qde.codes, None)
        writer.cases_and_attributes()
        writer.documents(prepared.sources)
        writer.segments(prepared.sources)
        writer.memos()


class ImportWriter:
    def __init__(
        self,
        project: Project,
        journal: Journal,
        qde: QdeProject,
        report: FidelityReport,
        me: int,
        merge: bool,
    ) -> None:
        self.p, self.j, self.qde, self.report, self.me, self.merge = (
            project,
            journal,
            qde,
            report,
            me,
            merge,
        )
        self.conn: Connection = journal.conn
        self.users: dict[str, int] = {}
        self.code_ids: dict[str, int] = {}
        self.case_ids: dict[str, int] = {}
        self.doc_ids: dict[str, int] = {}
        self.segment_ids: dict[str, int] = {}  # coding GUID -> segment id
        self.selection_segments: dict[str, list[int]] = defaultdict(list)
        self.unknown_users = 0

    def _existing(self, model: Any) -> dict[str, int]:
        return {r.guid: r.id for r in self.conn.execute(select(model.guid, model.id))}

    def coder(self, guid: str | None) -> int:
        if guid in self.users:
            return self.users[guid]
        self.unknown_users += guid is not None
        return self.me

    # -- coders ---------------------------------------------------------------------------------
    def coders(self) -> None:
        rows = list(self.conn.execute(select(Coder.guid, Coder.id, Coder.name)))
        by_guid = {r.guid: r.id for r in rows}
        by_name = {r.name: r.id for r in rows}
        for guid, name in self.qde.users.items():
            if guid in by_guid:
                self.users[guid] = by_guid[guid]
            elif name in by_name:
                self.users[guid] = by_name[name]
                if self.merge:
                    self.report.warn(f"user {name!r} matched the coder of that name (GUIDs differ)")
                else:  # the new project's own coder, created a moment ago: take the file's GUID
                    self.j.update_row(Coder, by_name[name], {"guid": guid})
            else:
                (row,) = self.j.insert(Coder, [{"guid": guid, "name": name}])
                self.users[guid] = by_name[name] = row["id"]
            self.report.count("coders")

    # -- codes ----------------------------------------------------------------------------------
    def codes(self, specs: list[CodeSpec], parent_id: int | None) -> None:
        self._codes(specs, parent_id, self._existing(Code))

    def _codes(
        self, specs: list[CodeSpec], parent_id: int | None, existing: dict[str, int]
    ) -> None:
        """Add ``specs`` under ``parent_id``; ``existing`` (GUID -> id) is read once per import."""
        for spec in specs:
            if spec.guid and spec.guid in existing:
                code_id = existing[spec.guid]  # merge: the project's version of the code stays
            else:
                lone = CodeSpec(
                    spec.name, spec.guid, spec.colour, spec.definition, spec.inclusion,
                    spec.exclusion, spec.example, list(spec.keywords),
                )  # fmt: skip
                # cast: CodeManager.list shadows the builtin in core's annotations (mypy).
                created = cast("list[CodeRecord]", self.p.codes.import_specs([lone], parent_id))
                code_id = created[0].id
                self.report.count("codes")
            if spec.guid:
                self.code_ids[spec.guid] = existing[spec.guid] = code_id
            self._codes(spec.children, code_id, existing)

    # -- cases and attributes -------------------------------------------------------------------
    def cases_and_attributes(self) -> None:
        existing = self._existing(Case)
        names = {r.name: r.id for r in self.conn.execute(select(Case.name, Case.id))}
        new_rows = []
        for case in self.qde.cases:
            if case.guid in existing:
                self.case_ids[case.guid] = existing[case.guid]
                continue
            name = case.name or f"Case {len(names) + 1}"
            if name in names and self.merge:
                self.case_ids[case.guid] = names[name]
                self.report.warn(f"case {name!r} matched the case of that name (GUIDs differ)")
                continue
            unique, n = name, 1
            while unique in names:
                n += 1
                unique = f"{name} ({n})"
            if unique != name:
                self.report.warn(f"a second case called {name!r} was renamed {unique!r}")
            names[unique] = -1
            new_rows.append({"guid": case.guid, "name": unique, "description": case.description})
        for row in self.j.insert(Case, new_rows):
            self.case_ids[row["guid"]] = names[row["name"]] = row["id"]
        self.report.count("cases", len(self.case_ids))
        for case in self.qde.cases:
            if case.other_refs:
                self.report.drop(
                    "case link", case.name, "codes and selections linked to a case are not carried"
                )
        self._attributes()

    def _attributes(self) -> None:
        case_vars = {guid for case in self.qde.cases for guid, _, _ in case.values}
        rows = [dict(r) for r in self.conn.execute(select(Attribute)).mappings()]
        by_guid: dict[str, dict[str, Any]] = {r["guid"]: r for r in rows}
        by_name: dict[str, dict[str, Any]] = {r["name"].casefold(): r for r in rows}
        attributes: dict[str, AttributeRecord] = {}
        for var in self.qde.variables:
            if var.guid not in case_vars:
                continue
            row = by_guid.get(var.guid) or by_name.get(var.name.casefold())
            if row is None:
                kind, choices = cv.attribute_kind(var.type, var.description)
                new = {
                    "guid": var.guid,
                    "name": var.name or f"Variable {len(by_name) + 1}",
                    "kind": kind,
                    "choices": "\n".join(choices),
                    "position": len(by_name),
                }
                row = self.j.insert(Attribute, [new])[0]
                by_name[row["name"].casefold()] = row
                self.report.count("attributes")
            attributes[var.guid] = AttributeRecord(
                row["id"],
                row["guid"],
                row["name"],
                row["kind"],
                tuple(c for c in str(row["choices"]).split("\n") if c),
                row["position"],
            )
        current = {
            (r.case_id, r.attribute_id): r.value for r in self.conn.execute(select(AttributeValue))
        }
        values = []
        for case in self.qde.cases:
            case_id = self.case_ids[case.guid]
            for var_guid, _, raw in case.values:
                attribute = attributes.get(var_guid)
                if attribute is None or not raw.strip():
                    continue
                try:
                    value = canonical_value(attribute, raw)
                except InvalidValue as exc:
                    self.report.drop("attribute value", f"{case.name}: {attribute.name}", str(exc))
                    continue
                key = (case_id, attribute.id)
                if key in current:
                    if current[key] != value:
                        self.report.drop(
                            "attribute value",
                            f"{case.name}: {attribute.name} = {value}",
                            f"the project already holds {current[key]!r}",
                        )
                    continue
                current[key] = value
                values.append({"case_id": case_id, "attribute_id": attribute.id, "value": value})
        self.j.insert(AttributeValue, values)

    # -- documents ------------------------------------------------------------------------------
    def documents(self, sources: list[PreparedSource]) -> None:
        existing = self._existing(Document)
        texts: dict[str, str] = {}
        if self.merge:
            wanted = [s.source.guid for s in sources if s.source.guid in existing]
            if wanted:
                query = select(Document.guid, Document.text).where(Document.guid.in_(wanted))
                texts = {r.guid: r.text for r in self.conn.execute(query)}
        case_of: dict[str, str] = {}
        for case in self.qde.cases:
            for source_guid in case.sources:
                if case_of.setdefault(source_guid, case.guid) != case.guid:
                    self.report.drop(
                        "case membership",
                        f"{source_guid} in {case.name}",
                        "a document belongs to one case; it stays in the first",
                    )
        variables = {v.guid: v.name for v in self.qde.variables}
        sets = self._document_sets()
        for prepared in sources:
            source = prepared.source
            if source.guid in existing:
                self.doc_ids[source.guid] = existing[source.guid]
                if texts.get(source.guid) != prepared.text:
                    self.report.drop(
                        "selection",
                        f"{len(prepared.spans)} in {source.name}",
                        "the project's copy of this document has different text",
                    )
                    prepared.spans.clear()
                continue
            new = self._new_document(prepared, variables, sets.get(source.guid, []))
            new.case_id = self.case_ids.get(case_of.get(source.guid, ""))
            self.doc_ids[source.guid] = self.p.documents.add(new).id
            self.report.count("documents")

    def _new_document(
        self, prepared: PreparedSource, variables: dict[str, str], sets: list[str]
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
                    self.report.drop("speaker turns", source.name, str(exc))
            elif name == cv.SOURCE_FILE_VARIABLE:
                new.source_name = value
            elif name == cv.SHA256_VARIABLE:
                new.sha256 = value
            elif name:
                new.meta[name] = value
        if source.description.strip():
            new.meta["description"] = source.description.strip()
        if sets:
            new.meta[cv.SETS_META] = "\n".join(sets)
        new.turns = turns
        return new

    def _document_sets(self) -> dict[str, list[str]]:
        """Sets of sources only become document metadata; the rest become project memos."""
        out: dict[str, list[str]] = defaultdict(list)
        documents = {s.guid for s in self.qde.sources}
        for set_ in self.qde.sets:
            if set_.codes or set_.notes or not set_.sources:
                continue
            for guid in set_.sources:
                if guid in documents:
                    out[guid].append(set_.name)
                else:
                    self.report.drop(
                        "set member", f"{guid} in {set_.name}", "its source was not carried"
                    )
            self.report.count("sets")
            if set_.description.strip():
                self.report.drop("set description", set_.name, "document sets carry only a name")
        return out

    # -- segments -------------------------------------------------------------------------------
    def segments(self, sources: list[PreparedSource]) -> None:
        known = {r.guid for r in self.conn.execute(select(Segment.guid))}
        self.code_ids.update(
            {g: i for g, i in self._existing(Code).items() if g not in self.code_ids}
        )
        rows: list[dict[str, Any]] = []
        owners: list[str] = []
        for prepared in sources:
            doc_id = self.doc_ids[prepared.source.guid]
            for selection, start, end in prepared.spans:
                for coding in selection.codings:
                    where = f"{prepared.source.name} {start}-{end}"
                    code_id = self.code_ids.get(coding.code_guid or "")
                    if code_id is None:
                        self.report.drop("coding", where, "its code is not in the codebook")
                        continue
                    if coding.guid in known:
                        continue  # merge: this coding came from the project in the first place
                    known.add(coding.guid)
                    created = coding.created or selection.created or utcnow()
                    user = coding.user or selection.user
                    rows.append(
                        {
                            "guid": coding.guid,
                            "document_id": doc_id,
                            "code_id": code_id,
                            "coder_id": self.coder(user),
                            "start": start,
                            "end": end,
                            "origin": "imported",
                            "created": created,
                        }
                    )
                    owners.append(selection.guid)
        for row, selection_guid in zip(self.j.insert(Segment, rows), owners, strict=True):
            self.segment_ids[row["guid"]] = row["id"]
            self.selection_segments[selection_guid].append(row["id"])
        self.report.count("segments", len(rows))
        if self.unknown_users:
            self.report.warn(
                f"{self.unknown_users} codings name a user missing from <Users>; "
                "they are recorded as the importing coder"
            )

    # -- memos ----------------------------------------------------------------------------------
    def memos(self) -> None:
        from collabcoder.io.refi.import_memos import memo_rows

        rows = memo_rows(self)
        self.j.insert(Memo, rows)
        self.report.count("memos", len(rows))
