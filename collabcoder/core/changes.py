"""The record of what a mutation changed, broadcast to whoever shows project data.

After Anki's OpChanges: each mutation (and each undo or redo) yields one ``Changes``; a view
refreshes only when the kinds it shows were touched, and an item model applies the inserted,
removed and updated ids as row inserts, removals and updates instead of rebuilding itself.
Kinds are an enum, so asking about a misspelt kind raises instead of quietly saying "no".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """Which kind of thing changed, in the researcher's words."""

    PROJECT = "project"
    CODERS = "coders"
    CASES = "cases"
    ATTRIBUTES = "attributes"
    DOCUMENTS = "documents"
    CODES = "codes"
    SEGMENTS = "segments"
    MEMOS = "memos"
    SUGGESTIONS = "suggestions"
    SUMMARIES = "summaries"
    MODELS = "models"
    QUERIES = "queries"  # saved queries and the provenance of autocoded segments
    PROPOSALS = "proposals"
    SETS = "sets"  # document sets, static and smart
    SPEAKERS = "speakers"  # the project's speakers, their aliases and attributes


class Source(StrEnum):
    """Why the rows changed: a new step, an undo or redo of one, or another coder's steps."""

    DO = "do"
    UNDO = "undo"
    REDO = "redo"
    REMOTE = "remote"


# Which kind of thing each table holds.
TABLE_KINDS: dict[str, Kind] = {
    "project_info": Kind.PROJECT,
    "coder": Kind.CODERS,
    "case_": Kind.CASES,
    "attribute": Kind.ATTRIBUTES,
    "attribute_value": Kind.ATTRIBUTES,
    "document": Kind.DOCUMENTS,
    "turn": Kind.DOCUMENTS,
    "document_heading": Kind.DOCUMENTS,  # structure beside the text, like turns
    "code": Kind.CODES,
    "segment": Kind.SEGMENTS,
    "memo": Kind.MEMOS,
    "suggestion": Kind.SUGGESTIONS,
    "summary": Kind.SUMMARIES,
    "learned_model": Kind.MODELS,
    "saved_query": Kind.QUERIES,
    "segment_provenance": Kind.QUERIES,  # which query found an autocoded segment
    "proposal": Kind.PROPOSALS,
    "document_set": Kind.SETS,
    "document_set_member": Kind.SETS,  # reported as an update of the set
    "speaker": Kind.SPEAKERS,
    "speaker_alias": Kind.SPEAKERS,
    "speaker_attribute": Kind.SPEAKERS,
}

EMPTY: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Delta:
    """The rows of one kind a step inserted, removed and updated.

    ``known`` is False when only the kind is known (another coder's steps, seen in the operation
    log): a view then reloads everything of that kind.
    """

    inserted: frozenset[int] = EMPTY
    removed: frozenset[int] = EMPTY
    updated: frozenset[int] = EMPTY
    known: bool = True
    # What the touched rows point to, by column: the values before and after of each referenced
    # column that a step set (a new or removed segment's code and document, both codes of a
    # recode), so a view can recount just those. None when not known.
    refs: Mapping[str, frozenset[int]] | None = field(default=None, compare=False)

    def refs_of(self, column: str) -> frozenset[int] | None:
        """Ids in ``column`` whose rows may have changed, or None when not known (recount all)."""
        if not self.known or self.refs is None:
            return None
        return self.refs.get(column, EMPTY)

    @property
    def ids(self) -> frozenset[int]:
        return self.inserted | self.removed | self.updated

    def reversed(self) -> Delta:
        """The same rows seen from the other side of an undo: inserts become removals."""
        return replace(self, inserted=self.removed, removed=self.inserted)


UNKNOWN = Delta(known=False)


def _kinds(kinds: Iterable[Kind | str]) -> list[Kind]:
    return [Kind(kind) for kind in kinds]  # ValueError on a kind that does not exist


@dataclass(frozen=True)
class Changes:
    """Which kinds of things a step touched, and which rows of each.

    ``source`` says why the rows changed; ``initiator`` is the object that started the op (a dock
    that made the change can skip refreshing what it already shows), or None.
    """

    label: str
    source: Source = Source.DO
    kinds: Mapping[Kind, Delta] = field(default_factory=dict)
    initiator: object | None = field(default=None, compare=False)

    def touched(self, *kinds: Kind | str) -> bool:
        """True when any of ``kinds`` changed."""
        return any(kind in self.kinds for kind in _kinds(kinds))

    def delta(self, kind: Kind | str) -> Delta | None:
        """The rows of ``kind`` that changed, or None when it was not touched."""
        return self.kinds.get(Kind(kind))

    def ids_of(self, kind: Kind | str) -> frozenset[int]:
        """Every id of ``kind`` inserted, removed or updated."""
        delta = self.delta(kind)
        return delta.ids if delta is not None else EMPTY

    def known(self, kind: Kind | str) -> bool:
        """True unless ``kind`` changed in ways not known row by row (then reload it whole)."""
        delta = self.delta(kind)
        return delta is None or delta.known

    def as_source(self, source: Source) -> Changes:
        """This step's changes as an undo (reversed) or a redo of it."""
        kinds = self.kinds
        if source is Source.UNDO:
            kinds = {kind: delta.reversed() for kind, delta in kinds.items()}
        return replace(self, source=source, kinds=kinds)

    def started_by(self, initiator: object | None) -> Changes:
        return replace(self, initiator=initiator)

    @property
    def empty(self) -> bool:
        return not self.kinds

    @classmethod
    def everything(cls, label: str, source: Source, kinds: Iterable[Kind | str]) -> Changes:
        """A record that says only which kinds changed (a view reloads each of them)."""
        return cls(label, source, {kind: UNKNOWN for kind in _kinds(kinds)})


def merged(label: str, records: Sequence[Changes]) -> Changes:
    """Several steps as one record (an import makes one step per file): ids united per kind.

    A row inserted by one step and removed by another is reported as updated (looked up again).
    """
    if len(records) == 1:
        return records[0]
    kinds: dict[Kind, Delta] = {}
    for record in records:
        for kind, delta in record.kinds.items():
            before = kinds.get(kind, Delta())
            inserted, removed = before.inserted | delta.inserted, before.removed | delta.removed
            both = inserted & removed
            first = kind not in kinds
            refs = None
            if (first or before.refs is not None) and delta.refs is not None:
                old = before.refs or {}
                refs = {
                    c: old.get(c, EMPTY) | delta.refs.get(c, EMPTY) for c in {*old, *delta.refs}
                }
            kinds[kind] = Delta(
                inserted - both,
                removed - both,
                (before.updated | delta.updated | both) - (inserted - both) - (removed - both),
                before.known and delta.known,
                refs,
            )
    sources = {record.source for record in records}
    source = sources.pop() if len(sources) == 1 else Source.DO
    return Changes(label, source, kinds)


LOGGED_IDS = 500  # a step touching more rows of a kind logs only how many


def detail_of(changes: Changes) -> str:
    """The operation log's record of a step: per kind its ids (or, for big steps, a count).

    Other coders' windows read it to refresh only those rows; a version that knows only the
    kinds reads the keys.
    """
    detail: dict[str, Any] = {}
    for kind, delta in changes.kinds.items():
        if not delta.known or len(delta.ids) > LOGGED_IDS:
            detail[str(kind)] = len(delta.ids)
        else:
            detail[str(kind)] = {
                "inserted": sorted(delta.inserted),
                "removed": sorted(delta.removed),
                "updated": sorted(delta.updated),
                **(
                    {}
                    if delta.refs is None
                    else {"refs": {c: sorted(v) for c, v in delta.refs.items()}}
                ),
            }
    return json.dumps(detail)


def changes_from_detail(label: str, detail: str) -> Changes:
    """Read :func:`detail_of` back (source REMOTE); unknown or count-only kinds reload whole.

    Raises ``ValueError`` for a detail this version cannot read (a newer version wrote it).
    """
    kinds: dict[Kind, Delta] = {}
    for name, value in json.loads(detail or "{}").items():
        kind = Kind(name)
        if isinstance(value, dict):
            refs = value.get("refs")
            kinds[kind] = Delta(
                frozenset(int(i) for i in value.get("inserted", ())),
                frozenset(int(i) for i in value.get("removed", ())),
                frozenset(int(i) for i in value.get("updated", ())),
                refs=None
                if refs is None
                else {str(c): frozenset(int(i) for i in v) for c, v in refs.items()},
            )
        else:
            kinds[kind] = UNKNOWN
    return Changes(label, Source.REMOTE, kinds)
