"""The record of what a mutation changed, broadcast to whoever shows project data.

After Anki's OpChanges: each mutation (and each undo or redo) yields one ``Changes``; a view
refreshes only when the kinds it shows were touched, and an item model applies the inserted,
removed and updated ids as row inserts, removals and updates instead of rebuilding itself.
Kinds are an enum, so asking about a misspelt kind raises instead of quietly saying "no".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum


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
    "code": Kind.CODES,
    "segment": Kind.SEGMENTS,
    "memo": Kind.MEMOS,
    "suggestion": Kind.SUGGESTIONS,
    "summary": Kind.SUMMARIES,
    "learned_model": Kind.MODELS,
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
