"""Plan a codebook merge that never loses a local edit or coded evidence, and apply it.

``plan_merge`` decides what to take from an incoming codebook: with a common ancestor (the codebook
both sides started from) a change made on one side only is taken and changes on both sides are
conflicts; without one, an incoming value only fills a field that is empty locally, and every
other difference is a conflict for the lead to decide (``take_incoming`` records that decision).
A code that has segments, or was edited here, is never removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .codebook_diff import (
    MERGED_FIELDS,
    FlatCodebook,
    Path,
    field_value,
    guid_of,
    match_codes,
    parent_label,
)
from .codebook_spec import CodeSpec
from .errors import InvalidValue
from .model import new_guid

if TYPE_CHECKING:
    from .project import Project


@dataclass(frozen=True)
class AddCode:
    """Add an incoming code (without its children, which have their own steps)."""

    guid: str
    parent_guid: str | None
    spec: CodeSpec
    path: Path


@dataclass(frozen=True)
class UpdateCode:
    """Set fields of a local code to the incoming values (``name`` included for a rename)."""

    guid: str
    path: Path
    fields: Mapping[str, object]


@dataclass(frozen=True)
class MoveCode:
    """Move a local code under another parent (None: top level)."""

    guid: str
    path: Path
    parent_guid: str | None
    parent_label: str


@dataclass(frozen=True)
class RemoveCode:
    """Remove a local code the incoming codebook dropped: unchanged here and never coded."""

    guid: str
    path: Path


@dataclass(frozen=True)
class MergeConflict:
    """A difference the merge will not decide; ``resolution`` is what taking incoming would do."""

    guid: str | None
    local_path: Path | None
    incoming_path: Path | None
    field: str
    local: str
    incoming: str
    reason: str
    resolution: UpdateCode | MoveCode | None = None


@dataclass
class MergePlan:
    """Ordered steps to apply (adds, updates, moves, removals) and what is left to the lead."""

    additions: list[AddCode] = field(default_factory=list)
    updates: list[UpdateCode] = field(default_factory=list)
    moves: list[MoveCode] = field(default_factory=list)
    removals: list[RemoveCode] = field(default_factory=list)
    conflicts: list[MergeConflict] = field(default_factory=list)
    local_only: list[Path] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.additions or self.updates or self.moves or self.removals)


def _raw(code: CodeSpec, name: str) -> object:
    return list(code.keywords) if name == "keywords" else getattr(code, name)


class _Planner:
    def __init__(
        self,
        local: list[CodeSpec],
        incoming: list[CodeSpec],
        ancestor: list[CodeSpec] | None,
        segment_counts: Mapping[str, int],
    ) -> None:
        self.mine, self.theirs = FlatCodebook(local), FlatCodebook(incoming)
        missing = [self.mine.path[id(c)] for c in self.mine.codes if not guid_of(c)]
        if missing:
            raise InvalidValue(f"local code {'/'.join(missing[0])!r} has no GUID; cannot merge")
        self.pairs = match_codes(self.mine, self.theirs)
        self.base = FlatCodebook(ancestor) if ancestor is not None else None
        self.base_of_mine = match_codes(self.mine, self.base) if self.base else {}
        self.base_of_theirs = match_codes(self.theirs, self.base) if self.base else {}
        self.segment_counts = {k.lower(): v for k, v in segment_counts.items()}
        self.local_guid: dict[int, str] = {}  # id(incoming code) -> GUID it has (or gets) here
        self.plan = MergePlan()

    def run(self) -> MergePlan:
        paired = {
            id(other): code for code in self.mine.codes if (other := self.pairs.get(id(code)))
        }
        for other in self.theirs.codes:  # walk order: parents before children
            if id(other) in paired:
                self.local_guid[id(other)] = str(guid_of(paired[id(other)]))
                self._reconcile(paired[id(other)], other)
            else:
                self._add(other)
        removing: set[int] = set()
        moving_out = {m.guid for m in self.plan.moves}
        for code in reversed(self.mine.codes):  # children before parents
            if id(code) not in self.pairs:
                self._drop(code, removing, moving_out)
        self.plan.local_only.reverse()  # collected children first; report in tree order
        return self.plan

    # -- codes on both sides -------------------------------------------------------------------
    def _reconcile(self, code: CodeSpec, other: CodeSpec) -> None:
        guid, path = str(guid_of(code)), self.mine.path[id(code)]
        ancestor = self.base_of_mine.get(id(code)) or self.base_of_theirs.get(id(other))
        taken: dict[str, object] = {}
        for name in MERGED_FIELDS:
            mine, theirs = field_value(code, name), field_value(other, name)
            if mine == theirs or (name == "colour" and not theirs):
                continue
            base = field_value(ancestor, name) if ancestor is not None else None
            if base == theirs or (base is None and not theirs):
                continue  # only this side changed it (or the other side simply lacks it)
            if base == mine or (base is None and not mine):
                taken[name] = _raw(other, name)
                continue
            why = "changed on both sides" if base is not None else "differs (no common ancestor)"
            resolution = UpdateCode(guid, path, {name: _raw(other, name)})
            self._conflict(code, other, name, mine, theirs, why, resolution)
        if taken:
            self.plan.updates.append(UpdateCode(guid, path, taken))
        self._reconcile_parent(code, other, guid, path, ancestor)

    def _reconcile_parent(
        self, code: CodeSpec, other: CodeSpec, guid: str, path: Path, ancestor: CodeSpec | None
    ) -> None:
        parent, other_parent = self.mine.parent[id(code)], self.theirs.parent[id(other)]
        mine = guid_of(parent) if parent is not None else None
        if other_parent is not None and id(other_parent) not in self.local_guid:
            return  # the incoming parent was not taken; its own conflict says why
        theirs = self.local_guid[id(other_parent)] if other_parent is not None else None
        if mine == theirs:
            return
        label = parent_label(self.theirs, other)
        move = MoveCode(guid, path, theirs, label)
        if ancestor is not None:
            base = self._base_parent_guid(ancestor)
            if base == theirs:
                return
            if base == mine:
                self.plan.moves.append(move)
                return
        why = "moved on both sides" if ancestor is not None else "differs (no common ancestor)"
        local_label = parent_label(self.mine, code)
        self._conflict(code, other, "parent", local_label, label, why, move)

    def _base_parent_guid(self, ancestor: CodeSpec) -> str | None:
        assert self.base is not None
        base_parent = self.base.parent[id(ancestor)]
        if base_parent is None:
            return None
        for code in self.mine.codes:
            if self.base_of_mine.get(id(code)) is base_parent:
                return guid_of(code)
        return "(gone)"

    # -- codes only in the incoming codebook ---------------------------------------------------
    def _add(self, other: CodeSpec) -> None:
        path = self.theirs.path[id(other)]
        ancestor = self.base_of_theirs.get(id(other))
        if ancestor is not None:  # it was in the common ancestor, so it was deleted here
            changed = [
                n for n in MERGED_FIELDS if field_value(other, n) != field_value(ancestor, n)
            ]
            if changed:
                self.plan.conflicts.append(
                    MergeConflict(
                        guid_of(other),
                        None,
                        path,
                        "deleted here",
                        "",
                        ", ".join(changed),
                        "deleted in this project but changed in the incoming codebook",
                    )
                )
            return
        parent = self.theirs.parent[id(other)]
        if parent is not None and id(parent) not in self.local_guid:
            return  # its parent is not being added, and that decision is already reported
        guid = guid_of(other) or new_guid()
        self.local_guid[id(other)] = guid
        leaf = replace(other, guid=guid, keywords=list(other.keywords), children=[])
        parent_guid = self.local_guid[id(parent)] if parent is not None else None
        self.plan.additions.append(AddCode(guid, parent_guid, leaf, path))

    # -- codes only in this project ------------------------------------------------------------
    def _drop(self, code: CodeSpec, removing: set[int], moving_out: set[str]) -> None:
        path, guid = self.mine.path[id(code)], str(guid_of(code))
        ancestor = self.base_of_mine.get(id(code))
        if ancestor is None:
            self.plan.local_only.append(path)
            return
        segments = self.segment_counts.get(guid, 0)
        edited = [n for n in MERGED_FIELDS if field_value(code, n) != field_value(ancestor, n)]
        staying = [
            c for c in code.children if id(c) not in removing and guid_of(c) not in moving_out
        ]
        reason = ""
        if segments:
            reason = f"removed in the incoming codebook but has {segments} segments here; kept"
        elif edited:
            reason = f"removed in the incoming codebook but edited here ({', '.join(edited)}); kept"
        elif staying:
            reason = "removed in the incoming codebook but holds codes that stay; kept"
        if reason:
            self.plan.conflicts.append(MergeConflict(guid, path, None, "removed", "", "", reason))
        else:
            removing.add(id(code))
            self.plan.removals.append(RemoveCode(guid, path))

    def _conflict(
        self,
        code: CodeSpec,
        other: CodeSpec,
        name: str,
        mine: str,
        theirs: str,
        reason: str,
        resolution: UpdateCode | MoveCode,
    ) -> None:
        self.plan.conflicts.append(
            MergeConflict(
                guid_of(code),
                self.mine.path[id(code)],
                self.theirs.path[id(other)],
                name,
                mine,
                theirs,
                reason,
                resolution,
            )
        )


def plan_merge(
    local: list[CodeSpec],
    incoming: list[CodeSpec],
    *,
    ancestor: list[CodeSpec] | None = None,
    segment_counts: Mapping[str, int] | None = None,
) -> MergePlan:
    """Plan merging ``incoming`` into ``local`` (whose codes must all have GUIDs).

    ``ancestor`` is the codebook both started from, if known; ``segment_counts`` maps a local
    code's GUID to its number of segments, so coded codes are never removed.
    """
    return _Planner(local, incoming, ancestor, segment_counts or {}).run()


def take_incoming(plan: MergePlan, chosen: list[MergeConflict] | None = None) -> MergePlan:
    """A copy of ``plan`` in which the lead resolved ``chosen`` conflicts (default: all that can
    be) in favour of the incoming codebook. Kept removals and local deletions stay conflicts."""
    picked = plan.conflicts if chosen is None else chosen
    resolved = [c for c in picked if c.resolution is not None]
    updates = [
        *plan.updates,
        *(c.resolution for c in resolved if isinstance(c.resolution, UpdateCode)),
    ]
    moves = [*plan.moves, *(c.resolution for c in resolved if isinstance(c.resolution, MoveCode))]
    left = [c for c in plan.conflicts if not any(c is r for r in resolved)]
    return replace(plan, updates=updates, moves=moves, conflicts=left)


def segment_counts(project: Project) -> dict[str, int]:
    """Segments per code GUID in ``project`` (each code's own, not its children's)."""
    counts = project.codes.counts()
    return {code.guid.lower(): counts.get(code.id, (0, 0))[0] for code in project.codes.list()}


@dataclass(frozen=True)
class MergeResult:
    """What applying a plan did; ``kept`` lists removals skipped because the code was not free."""

    added: int
    updated: int
    moved: int
    removed: int
    kept: list[Path]


def apply_merge_plan(
    project: Project, plan: MergePlan, label: str = "Merge codebook"
) -> MergeResult:
    """Apply ``plan`` to ``project`` as one undoable step (conflicts are left untouched).

    Updates run before additions and removals last. A removal is skipped, and reported in
    ``kept``, if the code gained segments since planning or would take codes that stay with it.
    """
    ids = {code.guid.lower(): code.id for code in project.codes.list()}
    fields_by_guid: dict[str, dict[str, Any]] = {}
    for update in plan.updates:
        fields_by_guid.setdefault(update.guid, {}).update(update.fields)
    removal_ids = {ids[r.guid] for r in plan.removals}
    counts = project.codes.counts()
    kept: list[Path] = []
    with project.undo_group(label):
        for guid, fields in fields_by_guid.items():
            project.codes.update(ids[guid], **fields)
        for addition in plan.additions:
            spec = addition.spec
            extra: dict[str, Any] = {"colour": spec.colour} if spec.colour else {}
            parent_id = ids[addition.parent_guid] if addition.parent_guid else None
            record = project.codes.add(
                spec.name,
                parent_id,
                guid=addition.guid,
                definition=spec.definition,
                inclusion=spec.inclusion,
                exclusion=spec.exclusion,
                example=spec.example,
                keywords=list(spec.keywords),
                **extra,
            )
            ids[addition.guid] = record.id
        for move in plan.moves:
            project.codes.move(ids[move.guid], ids[move.parent_guid] if move.parent_guid else None)
        removed = 0
        for removal in plan.removals:
            doomed = project.codes.descendants(ids[removal.guid])
            if any(counts.get(i, (0, 0))[0] for i in doomed) or not set(doomed) <= removal_ids:
                kept.append(removal.path)
                continue
            project.codes.delete(ids[removal.guid], segments="delete")
            removed += 1
    return MergeResult(len(plan.additions), len(fields_by_guid), len(plan.moves), removed, kept)
