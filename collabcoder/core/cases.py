"""Cases (research subjects) and their typed attributes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, select

from .errors import InvalidValue, NotFound
from .manager import Manager
from .model import Attribute, AttributeValue, Case, Document, Memo, Summary
from .records import AttributeRecord, CaseRecord

ATTRIBUTE_KINDS = ("text", "number", "date", "boolean", "choice")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def canonical_value(attribute: AttributeRecord, raw: str) -> str:
    """Check ``raw`` against the attribute's kind and return its stored form."""
    value = raw.strip()
    kind = attribute.kind
    if kind == "number":
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            raise InvalidValue(f"{attribute.name}: {raw!r} is not a number.") from None
        if not math.isfinite(number):
            raise InvalidValue(f"{attribute.name}: {raw!r} is not a finite number.")
        return str(int(number)) if number.is_integer() else repr(number)
    if kind == "date":
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise InvalidValue(f"{attribute.name}: {raw!r} is not a date (YYYY-MM-DD).") from None
    if kind == "boolean":
        lowered = value.casefold()
        if lowered in _TRUE:
            return "true"
        if lowered in _FALSE:
            return "false"
        raise InvalidValue(f"{attribute.name}: {raw!r} is not yes/no.")
    if kind == "choice":
        for choice in attribute.choices:
            if choice.casefold() == value.casefold():
                return choice
        allowed = ", ".join(attribute.choices)
        raise InvalidValue(f"{attribute.name}: {raw!r} is not one of: {allowed}.")
    return value


class CaseManager(Manager):
    def list(self) -> list[CaseRecord]:
        with self._p.read() as conn:
            rows = conn.execute(select(Case).order_by(Case.name)).mappings()
            return [CaseRecord(**r) for r in rows]

    def get(self, case_id: int) -> CaseRecord:
        with self._p.read() as conn:
            return CaseRecord(**self._one(conn, Case, case_id, "case"))

    def by_name(self, name: str) -> CaseRecord:
        with self._p.read() as conn:
            row = conn.execute(select(Case).where(Case.name == name.strip())).mappings().first()
        if row is None:
            raise NotFound(f"No case called {name!r} in this project.")
        return CaseRecord(**row)

    def find(self, name: str) -> CaseRecord | None:
        try:
            return self.by_name(name)
        except NotFound:
            return None

    def add(self, name: str, description: str = "", guid: str | None = None) -> CaseRecord:
        clean = name.strip()
        if not clean:
            raise InvalidValue("A case needs a name.")
        if self.find(clean) is not None:
            raise InvalidValue(f"A case called {clean!r} already exists.")
        row = {"name": clean, "description": description}
        if guid:
            row["guid"] = guid
        with self._p.write(f"Add case {clean}") as journal:
            (stored,) = journal.insert(Case, [row])
        return CaseRecord(**stored)

    def rename(self, case_id: int, name: str) -> None:
        clean = name.strip()
        if not clean:
            raise InvalidValue("A case needs a name.")
        with self._p.write(f"Rename case to {clean}") as journal:
            journal.update_row(Case, case_id, {"name": clean})

    def delete(self, case_id: int) -> None:
        """Delete a case; its documents stay in the project, unassigned."""
        case = self.get(case_id)
        with self._p.write(f"Delete case {case.name}") as journal:
            journal.update_where(Document, Document.case_id == case_id, {"case_id": None})
            journal.delete_where(AttributeValue, AttributeValue.case_id == case_id)
            journal.delete_where(Summary, Summary.case_id == case_id)
            journal.delete_where(Memo, and_(Memo.target_kind == "case", Memo.target_id == case_id))
            journal.delete_where(Case, Case.id == case_id)


class AttributeManager(Manager):
    def list(self) -> list[AttributeRecord]:
        with self._p.read() as conn:
            rows = conn.execute(select(Attribute).order_by(Attribute.position, Attribute.id))
            return [self._record(dict(r._mapping)) for r in rows]

    @staticmethod
    def _record(row: dict[str, object]) -> AttributeRecord:
        choices = tuple(c for c in str(row.pop("choices")).split("\n") if c)
        return AttributeRecord(choices=choices, **row)  # type: ignore[arg-type]

    def by_name(self, name: str) -> AttributeRecord:
        for attribute in self.list():
            if attribute.name.casefold() == name.strip().casefold():
                return attribute
        raise NotFound(f"No case attribute called {name!r} in this project.")

    def add(
        self,
        name: str,
        kind: str = "text",
        choices: Sequence[str] = (),
        guid: str | None = None,
    ) -> AttributeRecord:
        clean = name.strip()
        if not clean:
            raise InvalidValue("An attribute needs a name.")
        if kind not in ATTRIBUTE_KINDS:
            raise InvalidValue(f"{clean}: kind must be one of {', '.join(ATTRIBUTE_KINDS)}.")
        if kind == "choice" and not choices:
            raise InvalidValue(f"{clean}: a choice attribute needs its choices.")
        existing = self.list()
        if any(a.name.casefold() == clean.casefold() for a in existing):
            raise InvalidValue(f"An attribute called {clean!r} already exists.")
        row: dict[str, object] = {
            "name": clean,
            "kind": kind,
            "choices": "\n".join(c.strip() for c in choices if c.strip()),
            "position": len(existing),
        }
        if guid:
            row["guid"] = guid
        with self._p.write(f"Add attribute {clean}") as journal:
            (stored,) = journal.insert(Attribute, [row])
        return self._record(stored)

    def add_many(self, names: Sequence[str], kind: str = "text") -> Sequence[AttributeRecord]:
        """Add attributes of one ``kind`` (not choice) in one step, e.g. a wide table's columns.

        Checked like :meth:`add` (empty names, names taken or repeated), but with one listing
        and one statement, so 100,000 columns take seconds rather than hours.
        """
        if kind not in ATTRIBUTE_KINDS or kind == "choice":
            raise InvalidValue(f"kind must be one of {', '.join(ATTRIBUTE_KINDS)} but choice.")
        existing = self.list()
        taken = {a.name.casefold() for a in existing}
        rows: list[dict[str, object]] = []
        for name in names:
            clean = name.strip()
            if not clean:
                raise InvalidValue("An attribute needs a name.")
            if clean.casefold() in taken:
                raise InvalidValue(f"An attribute called {clean!r} already exists.")
            taken.add(clean.casefold())
            position = len(existing) + len(rows)
            rows.append({"name": clean, "kind": kind, "choices": "", "position": position})
        if not rows:
            return []
        with self._p.write(f"Add {len(rows)} attributes") as journal:
            return [self._record(stored) for stored in journal.insert(Attribute, rows)]

    def set_value(self, case_id: int, attribute_id: int, value: str | None) -> None:
        """Set (or with ``None``/empty, clear) one case's value for one attribute."""
        with self._p.read() as conn:
            attribute = self._record(self._one(conn, Attribute, attribute_id, "attribute"))
        stored = canonical_value(attribute, value) if value and value.strip() else None
        where = and_(AttributeValue.case_id == case_id, AttributeValue.attribute_id == attribute_id)
        with self._p.write(f"Set {attribute.name}") as journal:
            if stored is None:
                journal.delete_where(AttributeValue, where)
            elif not journal.update_where(AttributeValue, where, {"value": stored}):
                journal.insert(
                    AttributeValue,
                    [{"case_id": case_id, "attribute_id": attribute_id, "value": stored}],
                )

    def values(self) -> dict[tuple[int, int], str]:
        """Every stored value, keyed by (case id, attribute id)."""
        with self._p.read() as conn:
            rows = conn.execute(select(AttributeValue))
            return {(r.case_id, r.attribute_id): r.value for r in rows}

    def delete(self, attribute_id: int) -> None:
        with self._p.write("Delete attribute") as journal:
            journal.delete_where(AttributeValue, AttributeValue.attribute_id == attribute_id)
            journal.delete_where(Attribute, Attribute.id == attribute_id)
