"""Merge a :class:`~collabcoder.core.bundle.Bundle` into a project: one transaction, one undo step.

Everything is matched by GUID first (:func:`collabcoder.core.transfer.ids_by_guid`), so merging
the same bundle twice adds nothing the second time. Coders are matched by GUID, then by name;
cases and attributes by GUID, then (when merging) by name; a second case of one name is renamed.
Attribute values go through the attribute's own rules (:func:`~collabcoder.core.cases.
canonical_value`). Rows go in a few statements per table (codes one per tree level), however
large the bundle: a query per code made a 100,000-code import take minutes.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from .bundle import Bundle, BundleOutcome
from .cases import canonical_value
from .codebook_spec import CodeSpec
from .codes import spec_fields
from .errors import InvalidValue
from .journal import Journal
from .model import Attribute, AttributeValue, Case, Code, Coder, Document, Memo, Segment, utcnow
from .palette import colour_for, normalise_colour
from .records import AttributeRecord
from .sets_merge import merge_sets
from .transfer import ids_by_guid

if TYPE_CHECKING:
    from .project import Project

_TITLE = 300


def merge_bundle(project: Project, bundle: Bundle, *, merge: bool, label: str) -> BundleOutcome:
    """Add ``bundle`` to ``project`` as one undoable step; all or nothing.

    ``merge=False`` is for a new (empty) project: the file's users and cases are taken as they
    are. With ``merge=True`` a case or attribute of the same name is the same thing.
    """
    outcome = BundleOutcome()
    me = project.coder.id  # registered before the group: it must not open a second writer
    with project.undo_group(label), project.write(label) as journal:
        _Merge(project, journal, bundle, outcome, me, merge).run()
    return outcome


class _Merge:
    def __init__(
        self,
        project: Project,
        journal: Journal,
        bundle: Bundle,
        outcome: BundleOutcome,
        me: int,
        merge: bool,
    ) -> None:
        self.p, self.j, self.b, self.out, self.me = project, journal, bundle, outcome, me
        self.merge = merge
        self.conn = journal.conn
        self.coders: dict[str, int] = {}
        self.codes: dict[str, int] = {}
        self.cases: dict[str, int] = {}
        self.documents: dict[str, int] = {}
        self.differing: set[str] = set()  # documents whose text differs from the project's copy
        self.unknown_users = 0
        self.now = utcnow()  # one time for the whole merge (one transaction, one undo step)

    def run(self) -> None:
        self.add_coders()
        self.add_codes()
        self.add_cases()
        self.add_values(self.add_attributes())
        self.add_documents()
        self.add_segments()
        self.add_memos()
        merge_sets(self.j, self.b.sets, self.documents, self.out)
        if self.unknown_users:
            self.out.warnings.append(
                f"{self.unknown_users} codings or memos name a user missing from the file's "
                "users; they are recorded as the importing coder"
            )

    def coder(self, guid: str | None) -> int:
        if guid in self.coders:
            return self.coders[guid]
        self.unknown_users += guid is not None
        return self.me

    # -- coders -------------------------------------------------------------------------------
    def add_coders(self) -> None:
        rows = list(self.conn.execute(select(Coder.guid, Coder.id, Coder.name)))
        by_guid = {r.guid: r.id for r in rows}
        by_name = {r.name: r.id for r in rows}
        for user in self.b.coders:
            if user.guid in by_guid:
                self.coders[user.guid] = by_guid[user.guid]
            elif user.name in by_name:
                self.coders[user.guid] = by_name[user.name]
                if self.merge:
                    self.out.warnings.append(
                        f"user {user.name!r} matched the coder of that name (GUIDs differ)"
                    )
                else:  # the new project's own coder, created a moment ago: take the file's GUID
                    self.j.update_row(Coder, by_name[user.name], {"guid": user.guid})
            else:
                (row,) = self.j.insert(Coder, [{"guid": user.guid, "name": user.name}])
                self.coders[user.guid] = by_name[user.name] = row["id"]
            self.out.added["coders"] += 1

    # -- codes --------------------------------------------------------------------------------
    def add_codes(self) -> None:
        """New codes go in one insert per tree level; codes the project has (by GUID) stay."""
        self.codes = ids_by_guid(self.conn, Code)
        counts = self.conn.execute(select(Code.parent_id, func.count()).group_by(Code.parent_id))
        siblings: Counter[int | None] = Counter({r[0]: int(r[1]) for r in counts})
        total = sum(siblings.values())
        level: list[tuple[CodeSpec, int | None]] = [(spec, None) for spec in self.b.codes]
        while level:
            rows: list[dict[str, Any]] = []
            new: list[CodeSpec] = []
            below: list[tuple[CodeSpec, int | None]] = []
            for spec, parent in level:
                if spec.guid and spec.guid in self.codes:  # merge: the project's version stays
                    below.extend((child, self.codes[spec.guid]) for child in spec.children)
                    continue
                rows.append(self._code_row(spec, parent, siblings[parent], total))
                siblings[parent] += 1
                total += 1
                new.append(spec)
            for spec, row in zip(new, self.j.insert(Code, rows), strict=True):
                if spec.guid:
                    self.codes[spec.guid] = row["id"]
                below.extend((child, row["id"]) for child in spec.children)
            self.out.added["codes"] += len(rows)
            level = below

    def _code_row(
        self, spec: CodeSpec, parent: int | None, position: int, index: int
    ) -> dict[str, Any]:
        values = spec_fields(spec)
        row = {
            **values,
            "parent_id": parent,
            "position": position,
            "colour": normalise_colour(spec.colour) or colour_for(index),
            "modified": self.now,
            "modified_by": self.me,
        }
        if spec.guid:
            row["guid"] = spec.guid
        return row

    # -- cases and attributes ------------------------------------------------------------------
    def add_cases(self) -> None:
        existing = ids_by_guid(self.conn, Case)
        names = {r.name: r.id for r in self.conn.execute(select(Case.name, Case.id))}
        rows = []
        for case in self.b.cases:
            if case.guid in existing:
                self.cases[case.guid] = existing[case.guid]
                continue
            if case.name in names and self.merge:
                self.cases[case.guid] = names[case.name]
                self.out.warnings.append(
                    f"case {case.name!r} matched the case of that name (GUIDs differ)"
                )
                continue
            unique, n = case.name, 1
            while unique in names:  # case names are unique in a project
                n += 1
                unique = f"{case.name} ({n})"
            if unique != case.name:
                self.out.warnings.append(
                    f"a second case called {case.name!r} was renamed {unique!r}"
                )
            names[unique] = -1
            rows.append({"guid": case.guid, "name": unique, "description": case.description})
        for row in self.j.insert(Case, rows):
            self.cases[row["guid"]] = names[row["name"]] = row["id"]
        self.out.added["cases"] += len(self.cases)

    def add_attributes(self) -> dict[str, AttributeRecord]:
        rows = [dict(r) for r in self.conn.execute(select(Attribute)).mappings()]
        by_guid = {r["guid"]: r for r in rows}
        by_name = {r["name"].casefold(): r for r in rows}
        out: dict[str, AttributeRecord] = {}
        for attribute in self.b.attributes:
            row = by_guid.get(attribute.guid) or by_name.get(attribute.name.casefold())
            if row is None:
                new = {
                    "guid": attribute.guid,
                    "name": attribute.name,
                    "kind": attribute.kind,
                    "choices": "\n".join(attribute.choices),
                    "position": len(by_name),
                }
                row = self.j.insert(Attribute, [new])[0]
                by_name[row["name"].casefold()] = row
                self.out.added["attributes"] += 1
            choices = tuple(c for c in str(row["choices"]).split("\n") if c)
            out[attribute.guid] = AttributeRecord(
                row["id"], row["guid"], row["name"], row["kind"], choices, row["position"]
            )
        return out

    def add_values(self, attributes: dict[str, AttributeRecord]) -> None:
        current = {
            (r.case_id, r.attribute_id): r.value for r in self.conn.execute(select(AttributeValue))
        }
        names = {case.guid: case.name for case in self.b.cases}
        rows = []
        for value in self.b.values:
            attribute = attributes.get(value.attribute_guid)
            case_id = self.cases.get(value.case_guid)
            if attribute is None or case_id is None or not value.raw.strip():
                continue
            where = f"{names.get(value.case_guid, value.case_guid)}: {attribute.name}"
            try:
                clean = canonical_value(attribute, value.raw)
            except InvalidValue as exc:
                self.out.drop("attribute value", where, str(exc))
                continue
            key = (case_id, attribute.id)
            if key in current:
                if current[key] != clean:
                    self.out.drop(
                        "attribute value",
                        f"{where} = {clean}",
                        f"the project already holds {current[key]!r}",
                    )
                continue
            current[key] = clean
            rows.append({"case_id": case_id, "attribute_id": attribute.id, "value": clean})
        self.j.insert(AttributeValue, rows)

    # -- documents and segments ----------------------------------------------------------------
    def add_documents(self) -> None:
        existing = ids_by_guid(self.conn, Document)
        wanted = [d.new.guid for d in self.b.documents if d.new.guid in existing]
        texts = {}
        if wanted:
            query = select(Document.guid, Document.text).where(Document.guid.in_(wanted))
            texts = {r.guid: r.text for r in self.conn.execute(query)}
        per_document = Counter(s.document_guid for s in self.b.segments)
        for document in self.b.documents:
            guid = document.new.guid or ""
            if guid in existing:
                self.documents[guid] = existing[guid]
                if texts.get(guid) != document.new.text:
                    self.differing.add(guid)
                    self.out.drop(
                        "selection",
                        f"{per_document[guid]} in {document.new.name}",
                        "the project's copy of this document has different text",
                    )
                continue
            document.new.case_id = self.cases.get(document.case_guid or "")
            # Through the manager: its rules for kinds, turns and word counts apply.
            self.documents[guid] = self.p.documents.add(document.new).id
            self.out.added["documents"] += 1

    def add_segments(self) -> None:
        known = set(self.conn.scalars(select(Segment.guid)))
        rows: list[dict[str, Any]] = []
        for segment in self.b.segments:
            if segment.document_guid in self.differing:
                continue
            code_id = self.codes.get(segment.code_guid or "")
            if code_id is None:
                self.out.drop("coding", segment.label, "its code is not in the codebook")
                continue
            if segment.guid in known:
                continue  # merge: this coding came from the project in the first place
            known.add(segment.guid)
            rows.append(
                {
                    "guid": segment.guid,
                    "document_id": self.documents[segment.document_guid],
                    "code_id": code_id,
                    "coder_id": self.coder(segment.coder_guid),
                    "start": segment.start,
                    "end": segment.end,
                    "origin": "imported",
                    "created": segment.created or self.now,
                }
            )
        self.j.insert(Segment, rows)
        self.out.added["segments"] += len(rows)

    # -- memos --------------------------------------------------------------------------------
    def add_memos(self) -> None:
        existing = set(self.conn.scalars(select(Memo.guid)))
        targets: dict[str, dict[str, int]] = {
            "code": self.codes,
            "case": self.cases,
            "document": self.documents,
        }
        if any(kind == "segment" for m in self.b.memos for kind, _ in m.targets):
            targets["segment"] = ids_by_guid(self.conn, Segment)
        rows = []
        for memo in self.b.memos:
            if memo.guid in existing:
                continue
            existing.add(memo.guid)
            kind, target_id = "project", None
            for want_kind, guid in memo.targets:
                found = targets[want_kind].get(guid)
                if found is not None:
                    kind, target_id = want_kind, found
                    break
            else:
                if memo.targets:
                    self.out.warnings.append(
                        f"memo {(memo.title or memo.text[:40])!r} was attached to something "
                        "not carried; kept as a project memo"
                    )
            author = self.coder(memo.coder_guid)
            when = memo.created or self.now
            rows.append(
                {
                    "guid": memo.guid,
                    "target_kind": kind,
                    "target_id": target_id,
                    "coder_id": author,
                    "title": memo.title.strip()[:_TITLE],
                    "text": memo.text,
                    "created": when,
                    "modified": memo.modified or when,
                    "modified_by": self.coder(memo.modified_by_guid)
                    if memo.modified_by_guid
                    else author,
                }
            )
        self.j.insert(Memo, rows)
        self.out.added["memos"] += len(rows)


def insert_imported_rows(
    project: Project, values: list[dict[str, Any]], segments: list[dict[str, Any]]
) -> None:
    """Bulk-insert attribute values and segments (as plain rows) into the open import step.

    For importers that add cases, attributes and documents in the same undo group: the managers'
    ``set_value`` and ``add_many`` check ids with a fresh connection, which cannot yet see them.
    """
    with project.write("Import table") as journal:
        journal.insert(AttributeValue, values)
        journal.insert(Segment, segments)
