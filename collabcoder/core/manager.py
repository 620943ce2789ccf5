"""What every manager of the Project facade shares."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, select

from .errors import NotFound
from .model import Base

if TYPE_CHECKING:
    from .project import Project

R = TypeVar("R")
_CHUNK = 900  # stays under SQLite's bound-parameter limit in IN (...) lists


class Manager:
    """A facade section: reads through ``project.read()``, writes through ``project.write()``."""

    def __init__(self, project: Project) -> None:
        self._p = project

    def _one(self, conn: Connection, model: type[Base], ident: int, what: str) -> dict[str, Any]:
        row = conn.execute(select(model).where(model.id == ident)).mappings().first()  # type: ignore[attr-defined]
        if row is None:
            raise NotFound(f"No {what} with id {ident} in this project.")
        return dict(row)


def chunks(ids: Iterable[int], size: int = _CHUNK) -> Iterator[list[int]]:
    """Split ids into lists small enough for one ``IN (...)`` clause."""
    batch: list[int] = []
    for ident in ids:
        batch.append(ident)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
