"""Document sets (``project.sets``): static sets of chosen documents, and smart sets.

A smart set keeps a query, not members: case attribute conditions (``Site=Leeds``,
``Role=manager,nurse``: the case has one of the values, compared without regard to case, as a
search's ``--where`` compares them) and document kinds, all of which must hold. Its members are
worked out whenever they are asked for, so they follow attribute changes, new documents and case
assignments. Every change is one undoable step; deleting a document takes it out of every set.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, select

from .errors import InvalidValue, NotFound
from .manager import Manager, chunks
from .model import Attribute, AttributeValue, Document, DocumentSet, DocumentSetMember
from .vocabulary import DOCUMENT_KINDS


@dataclass(frozen=True)
class SmartQuery:
    """What a smart set's documents have: each attribute one of its values, and one of the kinds.

    An empty query matches every document.
    """

    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    kinds: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps(
            {"where": {k: list(v) for k, v in self.attributes.items()}, "kinds": list(self.kinds)},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> SmartQuery:
        data = json.loads(text)
        where = data.get("where", {})
        return cls({str(k): tuple(str(v) for v in vs) for k, vs in where.items()},
                   tuple(str(k) for k in data.get("kinds", ())))  # fmt: skip

    def describe(self) -> str:
        """The query as ``--where``/``--kinds`` read it: ``Site=Leeds; kind=transcript``."""
        parts = [f"{name}={','.join(values)}" for name, values in self.attributes.items()]
        if self.kinds:
            parts.append("kind=" + ",".join(self.kinds))
        return "; ".join(parts) or "every document"


@dataclass(frozen=True)
class SetRecord:
    id: int
    guid: str
    name: str
    description: str
    query: SmartQuery | None  # None: a static set
    created: str

    @property
    def smart(self) -> bool:
        return self.query is not None


def _record(row: Any) -> SetRecord:
    query = SmartQuery.from_json(row["query"]) if row["query"] else None
    return SetRecord(row["id"], row["guid"], row["name"], row["description"], query, row["created"])


class SetManager(Manager):
    # -- reading -------------------------------------------------------------------------------
    def list(self) -> builtins.list[SetRecord]:
        with self._p.read() as conn:
            rows = conn.execute(select(DocumentSet).order_by(DocumentSet.name)).mappings()
            return [_record(r) for r in rows]

    def get(self, set_id: int) -> SetRecord:
        with self._p.read() as conn:
            return _record(self._one(conn, DocumentSet, set_id, "document set"))

    def by_name(self, name: str) -> SetRecord:
        wanted = name.strip().casefold()
        for record in self.list():
            if record.name.casefold() == wanted:
                return record
        raise NotFound(f"No document set called {name!r} in this project.")

    def members(self, set_id: int) -> builtins.list[int]:
        """The ids of the set's documents, in id order (a smart set's, as the project is now)."""
        record = self.get(set_id)
        with self._p.read() as conn:
            return sorted(_members(conn, record))

    def documents_in(self, names: Iterable[str]) -> set[int]:
        """Documents in any of the named sets (unknown names are refused)."""
        records = [self.by_name(name) for name in names]
        with self._p.read() as conn:
            return {i for record in records for i in _members(conn, record)}

    def all_members(self) -> dict[str, frozenset[int]]:
        """Every set's documents by set name (for filters that name sets)."""
        records = self.list()
        with self._p.read() as conn:
            return {r.name: frozenset(_members(conn, r)) for r in records}

    def matching(self, query: SmartQuery) -> builtins.list[int]:
        """The documents a smart set with ``query`` would hold now (checked like a new one)."""
        checked = self._checked(query)
        with self._p.read() as conn:
            return sorted(matching_documents(conn, checked))

    def sets_of(self, document_id: int) -> builtins.list[SetRecord]:
        """The sets a document is in (smart sets included)."""
        records = self.list()
        with self._p.read() as conn:
            return [r for r in records if document_id in _members(conn, r)]

    # -- changing ------------------------------------------------------------------------------
    def create(
        self,
        name: str,
        document_ids: Sequence[int] = (),
        description: str = "",
        *,
        guid: str | None = None,
    ) -> SetRecord:
        """A static set holding ``document_ids``, as one step."""
        clean = self._free_name(name)
        row: dict[str, Any] = {"name": clean, "description": description}
        if guid:
            row["guid"] = guid
        with self._p.write(f"New set {clean}") as journal:
            self._check_documents(journal.conn, document_ids)
            (stored,) = journal.insert(DocumentSet, [row])
            journal.insert(
                DocumentSetMember,
                [{"set_id": stored["id"], "document_id": i} for i in sorted(set(document_ids))],
            )
        return _record(stored)

    def create_smart(self, name: str, query: SmartQuery, description: str = "") -> SetRecord:
        """A smart set whose members are the documents ``query`` matches, as one step."""
        clean = self._free_name(name)
        stored_query = self._checked(query)
        row = {"name": clean, "description": description, "query": stored_query.to_json()}
        with self._p.write(f"New smart set {clean}") as journal:
            (stored,) = journal.insert(DocumentSet, [row])
        return _record(stored)

    def edit_smart(self, set_id: int, query: SmartQuery) -> None:
        record = self.get(set_id)
        if not record.smart:
            raise InvalidValue(f"{record.name!r} is a static set: it has members, not a query.")
        stored = self._checked(query).to_json()
        with self._p.write(f"Edit smart set {record.name}") as journal:
            journal.update_row(DocumentSet, set_id, {"query": stored})

    def rename(self, set_id: int, name: str) -> None:
        record = self.get(set_id)
        clean = self._free_name(name, keep=set_id)
        with self._p.write(f"Rename set {record.name} to {clean}") as journal:
            journal.update_row(DocumentSet, set_id, {"name": clean})

    def describe(self, set_id: int, description: str) -> None:
        """Set the set's description (its memo)."""
        record = self.get(set_id)
        with self._p.write(f"Describe set {record.name}") as journal:
            journal.update_row(DocumentSet, set_id, {"description": description})

    def delete(self, set_id: int) -> None:
        """Delete a set; its documents stay in the project."""
        record = self.get(set_id)
        with self._p.write(f"Delete set {record.name}") as journal:
            journal.delete_where(DocumentSetMember, DocumentSetMember.set_id == set_id)
            journal.delete_where(DocumentSet, DocumentSet.id == set_id)

    def add(self, set_id: int, document_ids: Sequence[int]) -> int:
        """Add documents to a static set (those already in it are skipped); how many were added."""
        record = self._static(set_id)
        with self._p.write(f"Add to set {record.name}") as journal:
            self._check_documents(journal.conn, document_ids)
            have = set(
                journal.conn.scalars(
                    select(DocumentSetMember.document_id).where(DocumentSetMember.set_id == set_id)
                )
            )
            new = sorted(set(document_ids) - have)
            journal.insert(DocumentSetMember, [{"set_id": set_id, "document_id": i} for i in new])
        return len(new)

    def remove(self, set_id: int, document_ids: Sequence[int]) -> int:
        """Take documents out of a static set; how many were in it."""
        record = self._static(set_id)
        removed = 0
        with self._p.write(f"Remove from set {record.name}") as journal:
            for batch in chunks(sorted(set(document_ids))):
                removed += len(
                    journal.delete_where(
                        DocumentSetMember,
                        and_(
                            DocumentSetMember.set_id == set_id,
                            DocumentSetMember.document_id.in_(batch),
                        ),
                    )
                )
        return removed

    # -- checks --------------------------------------------------------------------------------
    def _free_name(self, name: str, keep: int | None = None) -> str:
        clean = name.strip()
        if not clean:
            raise InvalidValue("A document set needs a name.")
        if len(clean) > 300:
            raise InvalidValue("A document set's name is at most 300 characters.")
        for record in self.list():
            if record.name.casefold() == clean.casefold() and record.id != keep:
                raise InvalidValue(f"A document set called {record.name!r} already exists.")
        return clean

    def _static(self, set_id: int) -> SetRecord:
        record = self.get(set_id)
        if record.smart:
            raise InvalidValue(
                f"{record.name!r} is a smart set: its documents follow its query "
                f"({record.query.describe() if record.query else ''}); edit the query instead."
            )
        return record

    def _checked(self, query: SmartQuery) -> SmartQuery:
        """The query with attribute names as the project spells them; unknown ones refused."""
        attributes: dict[str, tuple[str, ...]] = {}
        for name, values in query.attributes.items():
            attribute = self._p.attributes.by_name(name)
            cleaned = tuple(v.strip() for v in values if v.strip())
            if not cleaned:
                raise InvalidValue(f"{attribute.name}: give at least one value to match.")
            attributes[attribute.name] = cleaned
        for kind in query.kinds:
            if kind not in DOCUMENT_KINDS:
                raise InvalidValue(f"kind {kind!r}: one of {', '.join(DOCUMENT_KINDS)}.")
        return SmartQuery(attributes, tuple(dict.fromkeys(query.kinds)))

    @staticmethod
    def _check_documents(conn: Connection, document_ids: Sequence[int]) -> None:
        wanted = set(document_ids)
        found: set[int] = set()
        for batch in chunks(sorted(wanted)):
            found.update(conn.scalars(select(Document.id).where(Document.id.in_(batch))))
        missing = sorted(wanted - found)
        if missing:
            raise NotFound(f"No document with id {missing[0]} in this project.")


def _members(conn: Connection, record: SetRecord) -> set[int]:
    if record.query is None:
        rows = conn.scalars(
            select(DocumentSetMember.document_id).where(DocumentSetMember.set_id == record.id)
        )
        return set(rows)
    return matching_documents(conn, record.query)


def matching_documents(conn: Connection, query: SmartQuery) -> set[int]:
    """The documents ``query`` matches now.

    An attribute the project no longer has matches nothing (the condition cannot hold), so a
    smart set never widens when its attribute is deleted.
    """
    documents = select(Document.id, Document.case_id)
    if query.kinds:
        documents = documents.where(Document.kind.in_(query.kinds))
    found = {r.id: r.case_id for r in conn.execute(documents)}
    for name, values in query.attributes.items():
        wanted = {v.casefold() for v in values}
        rows = conn.execute(
            select(AttributeValue.case_id, AttributeValue.value)
            .join(Attribute, Attribute.id == AttributeValue.attribute_id)
            .where(Attribute.name == name)
        )
        cases = {r.case_id for r in rows if r.value.casefold() in wanted}
        found = {d: c for d, c in found.items() if c in cases}
    return set(found)
