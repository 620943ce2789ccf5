"""The codebook inside a project: a tree of codes, edited through undoable steps."""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, func, select

from .codebook_spec import CodeSpec
from .errors import Conflict, InvalidValue, NotFound
from .manager import Manager
from .model import Code, Coder, Memo, Segment, Suggestion, Summary, utcnow
from .palette import colour_for, normalise_colour
from .records import CodeRecord

PATH_SEPARATOR = "/"
EDITABLE_FIELDS = ("name", "colour", "definition", "inclusion", "exclusion", "example", "keywords")


def _record(row: dict[str, Any]) -> CodeRecord:
    row = dict(row)
    row["keywords"] = tuple(k for k in str(row["keywords"]).split("\n") if k)
    return CodeRecord(**row)


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidValue(f"Codes have no field {', '.join(sorted(unknown))}.")
    out = dict(fields)
    if "name" in out:
        out["name"] = str(out["name"]).strip()
        if not out["name"]:
            raise InvalidValue("A code needs a name.")
    if "colour" in out:
        colour = normalise_colour(out["colour"])
        if colour is None:
            raise InvalidValue(f"{out['colour']!r} is not a colour (#RRGGBB).")
        out["colour"] = colour
    if "keywords" in out and not isinstance(out["keywords"], str):
        out["keywords"] = "\n".join(k.strip() for k in out["keywords"] if k.strip())
    return out


def spec_fields(spec: CodeSpec) -> dict[str, Any]:
    """A codebook entry's editable fields, cleaned by the same rules as every code edit."""
    return _clean_fields(
        {
            "name": spec.name,
            "definition": spec.definition,
            "inclusion": spec.inclusion,
            "exclusion": spec.exclusion,
            "example": spec.example,
            "keywords": spec.keywords,
        }
    )


class CodeManager(Manager):
    # -- reading -------------------------------------------------------------------------------
    def list(self) -> list[CodeRecord]:
        """Every code in tree order: each parent before its children, siblings by position."""
        with self._p.read() as conn:
            rows = [_record(dict(r)) for r in conn.execute(select(Code)).mappings()]
        children: dict[int | None, list[CodeRecord]] = defaultdict(list)
        for code in rows:
            children[code.parent_id].append(code)
        ordered: list[CodeRecord] = []
        stack = sorted(children[None], key=lambda c: (c.position, c.id), reverse=True)
        while stack:
            code = stack.pop()
            ordered.append(code)
            stack.extend(sorted(children[code.id], key=lambda c: (c.position, c.id), reverse=True))
        return ordered

    def get(self, code_id: int) -> CodeRecord:
        with self._p.read() as conn:
            return _record(self._one(conn, Code, code_id, "code"))

    def paths(self) -> dict[int, str]:
        """Every code's path ("Parent/Child") by id."""
        codes = {c.id: c for c in self.list()}
        out: dict[int, str] = {}
        for code in codes.values():
            names = [code.name]
            parent = code.parent_id
            while parent is not None:
                names.append(codes[parent].name)
                parent = codes[parent].parent_id
            out[code.id] = PATH_SEPARATOR.join(reversed(names))
        return out

    def path(self, code_id: int) -> str:
        return self.paths()[code_id]

    def by_path(self, path: str) -> CodeRecord:
        """The code at ``path``; a bare name is accepted when it is unique."""
        wanted = path.strip().strip(PATH_SEPARATOR).casefold()
        paths = self.paths()
        hits = [i for i, p in paths.items() if p.casefold() == wanted]
        if not hits:
            hits = [
                i for i, p in paths.items() if p.rsplit(PATH_SEPARATOR, 1)[-1].casefold() == wanted
            ]
        if len(hits) != 1:
            problem = "No code" if not hits else "More than one code"
            raise NotFound(f"{problem} at {path!r} in this project.")
        return self.get(hits[0])

    def descendants(self, code_id: int) -> builtins.list[int]:
        """Ids of ``code_id`` and every code below it."""
        children: dict[int | None, list[int]] = defaultdict(list)
        for code in self.list():
            children[code.parent_id].append(code.id)
        out, todo = [], [code_id]
        while todo:
            current = todo.pop()
            out.append(current)
            todo.extend(children[current])
        return out

    def counts(self, code_ids: Sequence[int] | None = None) -> dict[int, tuple[int, int]]:
        """(segments, documents) coded with each code (only ``code_ids``, if given), not
        including its children; a code with no segments is left out."""
        query = select(
            Segment.code_id, func.count(), func.count(func.distinct(Segment.document_id))
        ).group_by(Segment.code_id)
        if code_ids is not None:
            query = query.where(Segment.code_id.in_(list(code_ids)))
        with self._p.read() as conn:
            return {r[0]: (int(r[1]), int(r[2])) for r in conn.execute(query)}

    # -- creating ------------------------------------------------------------------------------
    def add(self, name: str, parent_id: int | None = None, **fields: Any) -> CodeRecord:
        """Add a code at the end of its parent's children."""
        guid = fields.pop("guid", None)
        values = _clean_fields({"name": name, **fields})
        with self._p.write(f"Add code {values['name']}") as journal:
            position, total = self._slot(journal.conn, parent_id)
            row = self._new_row(values, parent_id, guid, position, total)
            (stored,) = journal.insert(Code, [row])
        return _record(stored)

    @staticmethod
    def _slot(conn: Any, parent_id: int | None) -> tuple[int, int]:
        """(codes under ``parent_id``, codes in all): a new code's position and colour index."""
        siblings = conn.scalar(
            select(func.count()).select_from(Code).where(Code.parent_id == parent_id)
        )
        total = conn.scalar(select(func.count()).select_from(Code))
        return int(siblings or 0), int(total or 0)

    def _new_row(
        self,
        values: dict[str, Any],
        parent_id: int | None,
        guid: str | None,
        position: int,
        index: int,
    ) -> dict[str, Any]:
        row = {
            "parent_id": parent_id,
            "position": position,
            "colour": colour_for(index),
            "modified_by": self._p.coder.id,
            **values,
        }
        if guid:
            row["guid"] = guid
        return row

    def import_specs(
        self, specs: Sequence[CodeSpec], parent_id: int | None = None, label: str = "Import codes"
    ) -> builtins.list[CodeRecord]:
        """Add a whole tree of codes (e.g. a codebook file) as one step."""
        created: list[CodeRecord] = []
        with self._p.write(label) as journal:
            # Count once: inside this transaction every new code is ours, so count them here.
            top, total = self._slot(journal.conn, parent_id)

            def add_level(items: Iterable[CodeSpec], parent: int | None, first: int) -> None:
                nonlocal total
                for position, spec in enumerate(items, start=first):
                    values = spec_fields(spec)
                    row = self._new_row(values, parent, spec.guid, position, total)
                    row["colour"] = normalise_colour(spec.colour) or row["colour"]
                    (stored,) = journal.insert(Code, [row])
                    total += 1
                    created.append(_record(stored))
                    add_level(spec.children, stored["id"], 0)

            add_level(specs, parent_id, top)
        return created

    def to_specs(self) -> builtins.list[CodeSpec]:
        """The project's codebook as plain data (for export, diff and merge)."""
        specs: dict[int, CodeSpec] = {}
        roots: list[CodeSpec] = []
        for code in self.list():
            spec = CodeSpec(
                name=code.name,
                guid=code.guid,
                colour=code.colour,
                definition=code.definition,
                inclusion=code.inclusion,
                exclusion=code.exclusion,
                example=code.example,
                keywords=list(code.keywords),
            )
            specs[code.id] = spec
            (specs[code.parent_id].children if code.parent_id else roots).append(spec)
        return roots

    # -- editing -------------------------------------------------------------------------------
    def update(self, code_id: int, expected_version: int | None = None, **fields: Any) -> None:
        """Change a code's fields. With ``expected_version``, refuse if someone else changed it."""
        values = _clean_fields(fields)
        current = self.get(code_id)
        label = (
            f"Rename code to {values['name']}" if "name" in values else f"Edit code {current.name}"
        )
        version = current.version if expected_version is None else expected_version
        with self._p.write(label) as journal:
            stamp = {"version": version + 1, "modified_by": self._p.coder.id, "modified": utcnow()}
            where = and_(Code.id == code_id, Code.version == version)
            if not journal.update_where(Code, where, {**values, **stamp}):
                self._raise_conflict(journal.conn, code_id, values)

    def _raise_conflict(self, conn: Any, code_id: int, yours: dict[str, Any]) -> None:
        row = (
            conn.execute(
                select(Code, Coder.name.label("who"))
                .join(Coder, Coder.id == Code.modified_by, isouter=True)
                .where(Code.id == code_id)
            )
            .mappings()
            .one()
        )
        theirs = {k: row[k] for k in yours}
        raise Conflict(
            f"Code {row['name']!r} was changed by {row['who'] or 'someone'} at {row['modified']}; "
            f"your edit was not saved. Theirs: {theirs}; yours: {yours}."
        )

    def move(self, code_id: int, parent_id: int | None, position: int | None = None) -> None:
        """Move a code under ``parent_id`` (None for top level) at ``position`` among siblings."""
        if parent_id is not None and parent_id in self.descendants(code_id):
            raise InvalidValue("A code cannot move inside itself.")
        code = self.get(code_id)
        siblings = [c.id for c in self.list() if c.parent_id == parent_id and c.id != code_id]
        index = len(siblings) if position is None else max(0, min(position, len(siblings)))
        siblings.insert(index, code_id)
        with self._p.write(f"Move code {code.name}") as journal:
            journal.update_row(Code, code_id, {"parent_id": parent_id})
            for pos, ident in enumerate(siblings):
                journal.update_row(Code, ident, {"position": pos})

    def merge(self, source_id: int, target_id: int) -> None:
        """Merge ``source`` into ``target``: its segments, children, memos and summaries move."""
        if source_id == target_id:
            raise InvalidValue("A code cannot be merged into itself.")
        if target_id in self.descendants(source_id):
            raise InvalidValue("A code cannot be merged into one of its own children.")
        source, target = self.get(source_id), self.get(target_id)
        with self._p.write(f"Merge {source.name} into {target.name}") as journal:
            conn = journal.conn
            # Segments identical to one already on the target would be duplicates: drop them.
            existing = {
                (r.document_id, r.coder_id, r.start, r.end)
                for r in conn.execute(select(Segment).where(Segment.code_id == target_id))
            }
            moving = conn.execute(select(Segment).where(Segment.code_id == source_id)).all()
            duplicate_ids = [
                r.id for r in moving if (r.document_id, r.coder_id, r.start, r.end) in existing
            ]
            if duplicate_ids:
                journal.delete_where(
                    Memo, and_(Memo.target_kind == "segment", Memo.target_id.in_(duplicate_ids))
                )
                journal.delete_where(Segment, Segment.id.in_(duplicate_ids))
            journal.update_where(Segment, Segment.code_id == source_id, {"code_id": target_id})
            journal.update_where(
                Suggestion, Suggestion.code_id == source_id, {"code_id": target_id}
            )
            target_cases = set(
                conn.scalars(select(Summary.case_id).where(Summary.code_id == target_id))
            )
            journal.delete_where(
                Summary, and_(Summary.code_id == source_id, Summary.case_id.in_(target_cases))
            )
            journal.update_where(Summary, Summary.code_id == source_id, {"code_id": target_id})
            journal.update_where(
                Memo,
                and_(Memo.target_kind == "code", Memo.target_id == source_id),
                {"target_id": target_id},
            )
            journal.update_where(Code, Code.parent_id == source_id, {"parent_id": target_id})
            journal.delete_where(Code, Code.id == source_id)

    def split(self, code_id: int, new_name: str, segment_ids: Sequence[int]) -> CodeRecord:
        """Split a code: a new sibling takes over the given segments."""
        code = self.get(code_id)
        with self._p.undo_group(f"Split {code.name}"):
            new = self.add(new_name, code.parent_id, colour=colour_for(len(self.list()) + 3))
            with self._p.write("Move segments") as journal:
                journal.update_where(
                    Segment,
                    and_(Segment.id.in_(list(segment_ids)), Segment.code_id == code_id),
                    {"code_id": new.id},
                )
        return new

    def delete(self, code_id: int, segments: str = "delete") -> None:
        """Delete a code and the codes below it.

        ``segments`` says what happens to their coding: ``"delete"`` removes it, ``"parent"``
        moves it to the deleted code's parent (refused for a top-level code).
        """
        code = self.get(code_id)
        doomed = self.descendants(code_id)
        if segments not in ("delete", "parent"):
            raise InvalidValue("segments must be 'delete' or 'parent'.")
        if segments == "parent" and code.parent_id is None:
            raise InvalidValue(
                f"{code.name} is a top-level code: there is no parent to keep its segments."
            )
        with self._p.write(f"Delete code {code.name}") as journal:
            in_doomed = Segment.code_id.in_(doomed)
            if segments == "parent":
                journal.update_where(Segment, in_doomed, {"code_id": code.parent_id})
            else:
                segment_ids = select(Segment.id).where(in_doomed)
                journal.delete_where(
                    Memo, and_(Memo.target_kind == "segment", Memo.target_id.in_(segment_ids))
                )
                journal.delete_where(Segment, in_doomed)
            journal.delete_where(Suggestion, Suggestion.code_id.in_(doomed))
            journal.delete_where(Summary, Summary.code_id.in_(doomed))
            journal.delete_where(Memo, and_(Memo.target_kind == "code", Memo.target_id.in_(doomed)))
            # Children first, so no foreign key ever points at a deleted parent.
            for ident in reversed(doomed):
                journal.delete_where(Code, Code.id == ident)
