"""Noticing what other coders changed in a shared project.

Every committed step writes one row to the operation log with the rows it touched per kind (only a
count for big steps; see `changes.detail_of`), so other windows refresh just those rows. Polling the
log for rows newer than the last one seen is cheap (one indexed query) and works the same on
PostgreSQL and on a SQLite file shared on one machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from .changes import Changes, Kind, Source, changes_from_detail, merged
from .model import Coder, Operation

# What reaching a team project's server can raise: the driver's errors (wrapped by SQLAlchemy:
# the server went away, the network dropped) and the operating system's.
CONNECTION_ERRORS = (SQLAlchemyError, OSError)


def connection_url(url: str, password: str) -> str:
    """``url`` with ``password`` filled in (unchanged when no password is given)."""
    if not password:
        return url.strip()
    return make_url(url.strip()).set(password=password).render_as_string(hide_password=False)


def without_password(url: str) -> str:
    """``url`` as it may be shown or remembered."""
    return make_url(url.strip()).render_as_string(hide_password=True)


@dataclass
class RemoteWatcher:
    """Remembers the newest operation seen; reports newer ones made by other coders."""

    last_seen: int = 0

    def start(self, conn: Connection) -> None:
        self.last_seen = int(conn.scalar(select(func.max(Operation.id))) or 0)

    def poll(self, conn: Connection, my_coder_id: int | None) -> Changes | None:
        """A Changes record (source REMOTE) for others' steps since the last poll, or None."""
        rows = conn.execute(
            select(Operation.id, Operation.coder_id, Operation.label, Operation.detail, Coder.name)
            .join(Coder, Coder.id == Operation.coder_id, isouter=True)
            .where(Operation.id > self.last_seen)
            .order_by(Operation.id)
        ).all()
        if not rows:
            return None
        self.last_seen = rows[-1].id
        theirs = [r for r in rows if r.coder_id != my_coder_id]
        if not theirs:
            return None
        who = sorted({r.name or "someone" for r in theirs})
        label = f"{', '.join(who)}: {theirs[-1].label}"
        steps = []
        for row in theirs:
            try:
                steps.append(changes_from_detail(label, row.detail))
            except ValueError:  # a log row from a future version: refresh everything
                steps.append(Changes.everything(label, Source.REMOTE, Kind))
        return merged(label, steps)
