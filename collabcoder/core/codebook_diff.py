"""Diff two codebooks: which codes were added, removed, renamed, moved, re-defined, recoloured.

Codes are matched by GUID first, then by path, then by a name that is unique on both sides, so
codebooks from tools that regenerate GUIDs still line up. The matching is shared with
``codebook_merge``, which decides what a merge takes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .codebook_spec import CodeSpec, walk_codebook

Path = tuple[str, ...]
TEXT_FIELDS = ("definition", "inclusion", "exclusion", "example", "keywords")
MERGED_FIELDS = ("name", "colour", *TEXT_FIELDS)
_NO_PARENT = "(top level)"


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its value locally and in the incoming codebook."""

    field: str
    local: str
    incoming: str


@dataclass(frozen=True)
class CodeDifference:
    """How one code differs. ``kind``: added, removed, renamed, moved, redefined, recoloured."""

    kind: str
    guid: str | None
    local_path: Path | None
    incoming_path: Path | None
    fields: tuple[FieldChange, ...] = ()


@dataclass
class CodebookDiff:
    """Every difference between a local and an incoming codebook, plus how many codes match."""

    differences: list[CodeDifference]
    matched: int

    def of_kind(self, kind: str) -> list[CodeDifference]:
        return [d for d in self.differences if d.kind == kind]

    @property
    def is_empty(self) -> bool:
        return not self.differences


class FlatCodebook:
    """One codebook flattened: paths, parents and GUIDs by the identity of each CodeSpec."""

    def __init__(self, roots: list[CodeSpec]) -> None:
        self.codes: list[CodeSpec] = []
        self.path: dict[int, Path] = {}
        self.parent: dict[int, CodeSpec | None] = {}
        for path, code in walk_codebook(roots):
            self.codes.append(code)
            self.path[id(code)] = path
        for code in self.codes:
            for child in code.children:
                self.parent[id(child)] = code
        for code in roots:
            self.parent[id(code)] = None


def guid_of(code: CodeSpec) -> str | None:
    return code.guid.strip("{}").lower() if code.guid else None


def _fold(path: Path) -> Path:
    return tuple(" ".join(part.split()).casefold() for part in path)


def match_codes(left: FlatCodebook, right: FlatCodebook) -> dict[int, CodeSpec]:
    """Pairs id(left code) -> right code: by GUID, then by path, then by a unique name."""
    pairs: dict[int, CodeSpec] = {}
    taken: set[int] = set()
    by_guid = {g: c for c in right.codes if (g := guid_of(c))}
    for code in left.codes:
        other = by_guid.get(guid_of(code) or "")
        if other is not None and id(other) not in taken:
            pairs[id(code)] = other
            taken.add(id(other))

    def unmatched_right() -> list[CodeSpec]:
        return [c for c in right.codes if id(c) not in taken]

    by_path = {_fold(right.path[id(c)]): c for c in unmatched_right()}
    for code in left.codes:
        other = by_path.get(_fold(left.path[id(code)]))
        if id(code) not in pairs and other is not None and id(other) not in taken:
            pairs[id(code)] = other
            taken.add(id(other))

    def unique_names(codes: list[CodeSpec]) -> dict[str, CodeSpec]:
        seen: dict[str, list[CodeSpec]] = {}
        for code in codes:
            seen.setdefault(_fold((code.name,))[0], []).append(code)
        return {name: found[0] for name, found in seen.items() if len(found) == 1}

    left_names = unique_names([c for c in left.codes if id(c) not in pairs])
    right_names = unique_names(unmatched_right())
    for name, code in left_names.items():
        if name in right_names:
            pairs[id(code)] = right_names[name]
            taken.add(id(right_names[name]))
    return pairs


def field_value(code: CodeSpec, name: str) -> str:
    if name == "keywords":
        return "; ".join(code.keywords)
    if name == "colour":
        return (code.colour or "").lower()
    return str(getattr(code, name)).strip()


def _field_changes(
    local: CodeSpec, incoming: CodeSpec, names: tuple[str, ...]
) -> list[FieldChange]:
    return [
        FieldChange(name, field_value(local, name), field_value(incoming, name))
        for name in names
        if field_value(local, name) != field_value(incoming, name)
    ]


def diff_codebooks(local: list[CodeSpec], incoming: list[CodeSpec]) -> CodebookDiff:
    """What differs between ``local`` and ``incoming`` (a report; nothing is decided)."""
    mine, theirs = FlatCodebook(local), FlatCodebook(incoming)
    pairs = match_codes(mine, theirs)
    paired_incoming = {id(c) for c in pairs.values()}
    found: list[CodeDifference] = []
    for code in mine.codes:
        path = mine.path[id(code)]
        other = pairs.get(id(code))
        if other is None:
            found.append(CodeDifference("removed", guid_of(code), path, None))
            continue
        where = (guid_of(code) or guid_of(other), path, theirs.path[id(other)])
        if code.name != other.name:
            found.append(
                CodeDifference("renamed", *where, (FieldChange("name", code.name, other.name),))
            )
        if _parent_moved(code, other, mine, theirs, pairs):
            old, new = (parent_label(s, c) for s, c in ((mine, code), (theirs, other)))
            found.append(CodeDifference("moved", *where, (FieldChange("parent", old, new),)))
        text = _field_changes(code, other, TEXT_FIELDS)
        if text:
            found.append(CodeDifference("redefined", *where, tuple(text)))
        colour = _field_changes(code, other, ("colour",))
        if colour:
            found.append(CodeDifference("recoloured", *where, tuple(colour)))
    for code in theirs.codes:
        if id(code) not in paired_incoming:
            found.append(CodeDifference("added", guid_of(code), None, theirs.path[id(code)]))
    return CodebookDiff(found, matched=len(pairs))


def parent_label(side: FlatCodebook, code: CodeSpec) -> str:
    parent = side.parent[id(code)]
    return "/".join(side.path[id(parent)]) if parent is not None else _NO_PARENT


def _parent_moved(
    code: CodeSpec,
    other: CodeSpec,
    mine: FlatCodebook,
    theirs: FlatCodebook,
    pairs: dict[int, CodeSpec],
) -> bool:
    parent, other_parent = mine.parent[id(code)], theirs.parent[id(other)]
    if parent is None or other_parent is None:
        return parent is not other_parent
    return pairs.get(id(parent)) is not other_parent
