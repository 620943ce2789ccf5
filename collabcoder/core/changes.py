"""The record of what a mutation changed, broadcast to whoever shows project data.

After Anki's OpChanges: each mutation (and each undo or redo) yields one ``Changes``; a view
refreshes only when the kinds it shows were touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Which kind of thing each table holds, in the researcher's words.
TABLE_KINDS: dict[str, str] = {
    "project_info": "project",
    "coder": "coders",
    "case_": "cases",
    "attribute": "attributes",
    "attribute_value": "attributes",
    "document": "documents",
    "turn": "documents",
    "code": "codes",
    "segment": "segments",
    "memo": "memos",
    "suggestion": "suggestions",
    "summary": "summaries",
    "learned_model": "models",
    "proposal": "proposals",
}

KINDS = frozenset(TABLE_KINDS.values())


@dataclass(frozen=True)
class Changes:
    """Which kinds of things a step touched, and the ids of the rows it touched per kind.

    ``initiator`` says why: ``"do"`` for a new step, ``"undo"``, ``"redo"``, or ``"remote"`` when
    another coder changed a shared project.
    """

    label: str
    initiator: str = "do"
    ids: Mapping[str, frozenset[int]] = field(default_factory=dict)

    def touched(self, *kinds: str) -> bool:
        """True when any of ``kinds`` changed."""
        return any(kind in self.ids for kind in kinds)

    def ids_of(self, kind: str) -> frozenset[int]:
        return self.ids.get(kind, frozenset())

    @property
    def empty(self) -> bool:
        return not self.ids
