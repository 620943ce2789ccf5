"""Document sets from a bundle (a REFI-QDA file): sets and their members matched by GUID.

A set of a name the project already uses (another set) is renamed ``Name (2)``. A set the
project has gains the members it lacks; members naming documents neither in the
bundle nor in the project are left out with a warning. A smart set's query (CollabCoder's own
files carry it) is restored when the project has every attribute it names; otherwise the set is
kept as the members it had when it was written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, select

from .bundle import BundleOutcome, BundleSet
from .journal import Journal
from .model import Attribute, Document, DocumentSet, DocumentSetMember
from .sets import SmartQuery


def merge_sets(
    journal: Journal,
    sets: Sequence[BundleSet],
    documents: Mapping[str, int],
    outcome: BundleOutcome,
) -> None:
    """Add ``sets`` (``documents``: the bundle's document GUIDs and their ids in the project)."""
    if not sets:
        return
    conn = journal.conn
    known = {**dict(conn.execute(select(Document.guid, Document.id)).tuples().all()), **documents}
    attributes = set(conn.scalars(select(Attribute.name)))
    rows = list(conn.execute(select(DocumentSet.id, DocumentSet.guid, DocumentSet.name,
                                    DocumentSet.query)))  # fmt: skip
    by_guid = {r.guid: (r.id, r.query) for r in rows}
    taken = {r.name.casefold() for r in rows}
    for bundle_set in sets:
        missing = [g for g in bundle_set.document_guids if g not in known]
        if missing:
            outcome.warnings.append(
                f"set {bundle_set.name!r} names {len(missing)} source(s) that are neither among "
                "the documents imported nor in the project; they were left out of it"
            )
        members = sorted({known[g] for g in bundle_set.document_guids if g in known})
        found = by_guid.get(bundle_set.guid)
        if found is not None:
            set_id, query = found
            if not query:  # a smart set's members are its query's, not the file's
                have = set(
                    conn.scalars(
                        select(DocumentSetMember.document_id).where(
                            DocumentSetMember.set_id == set_id
                        )
                    )
                )
                journal.insert(
                    DocumentSetMember,
                    [{"set_id": set_id, "document_id": i} for i in members if i not in have],
                )
            continue
        query = _query(bundle_set, attributes, outcome)
        name = _free(bundle_set.name.strip() or "Set", taken)
        (row,) = journal.insert(
            DocumentSet,
            [{"guid": bundle_set.guid, "name": name, "description": bundle_set.description,
              "query": query}],
        )  # fmt: skip
        by_guid[bundle_set.guid] = (row["id"], query)
        taken.add(name.casefold())
        if not query:
            journal.insert(
                DocumentSetMember, [{"set_id": row["id"], "document_id": i} for i in members]
            )
        outcome.added["sets"] += 1


def _query(bundle_set: BundleSet, attributes: set[str], outcome: BundleOutcome) -> str:
    """The smart set's query to store, or "" (a static set of the members written)."""
    if bundle_set.query is None:
        return ""
    try:
        query = SmartQuery.from_json(bundle_set.query)
    except (ValueError, AttributeError, TypeError):
        outcome.warnings.append(
            f"set {bundle_set.name!r}: its smart set query could not be read; kept as its members"
        )
        return ""
    unknown = sorted(set(query.attributes) - attributes)
    if unknown:
        outcome.warnings.append(
            f"set {bundle_set.name!r}: its query names attributes the project lacks "
            f"({', '.join(unknown)}); kept as the members it had"
        )
        return ""
    return query.to_json()


def _free(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``... when a set of that name (any case) exists."""
    candidate, n = name[:290], 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name[:290]} ({n})"
    return candidate


def merge_copied_sets(src: Connection, journal: Journal) -> int:
    """Add the sets of a project copy read through ``src`` (push or pull into an existing
    project), matched like a bundle's; how many were new."""
    guid_of = dict(src.execute(select(Document.id, Document.guid)).tuples().all())
    members: dict[int, list[str]] = {}
    for set_id, document_id in src.execute(
        select(DocumentSetMember.set_id, DocumentSetMember.document_id)
    ):
        members.setdefault(set_id, []).append(guid_of[document_id])
    bundle = [
        BundleSet(r.guid, r.name, r.description, members.get(r.id, []), r.query or None)
        for r in src.execute(select(DocumentSet))
    ]
    outcome = BundleOutcome()
    merge_sets(journal, bundle, {}, outcome)
    return outcome.added["sets"]
