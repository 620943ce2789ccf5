"""Coders: the team members whose work every segment, memo and summary records.

On a ``.ccproj`` file a coder is the name typed (one laptop, one person). On a team project a
coder is bound to the database login that connects (``session_user``): the typed name is not
used, so nobody can work under someone else's name.
"""

from __future__ import annotations

import builtins

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from .errors import InvalidValue, NotFound, ProjectReadOnly
from .manager import Manager
from .model import Coder, Segment
from .records import CoderRecord
from .team import team_login
from .team_errors import NotAllowed


def ensure_coder(conn: Connection, name: str) -> CoderRecord:
    """Return the coder called ``name``, adding them if new (not an undoable step: identity).

    On a team project, the coder bound to the connected login instead, whatever ``name`` says.
    """
    login = team_login(conn)
    if login is not None:
        return _ensure_member(conn, login)
    clean = name.strip()
    if not clean:
        raise InvalidValue("A coder needs a name.")
    row = conn.execute(select(Coder).where(Coder.name == clean)).mappings().first()
    if row is None:
        try:
            # A savepoint: on PostgreSQL another coder of the same name may commit first.
            with conn.begin_nested():
                row = (
                    conn.execute(insert(Coder).values(name=clean).returning(*Coder.__table__.c))
                    .mappings()
                    .one()
                )
        except IntegrityError:
            row = conn.execute(select(Coder).where(Coder.name == clean)).mappings().one()
    return CoderRecord(**row)


def _ensure_member(conn: Connection, login: str) -> CoderRecord:
    """The coder bound to ``login``; a member writing for the first time joins under it."""
    query = select(Coder).where(Coder.login == login)
    row = conn.execute(query).mappings().first()
    if row is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(Coder).values(name=login, login=login))
        except IntegrityError as exc:  # the same login joined at this moment: theirs is ours
            if conn.execute(query).first() is None:
                raise NotAllowed(
                    f"a coder called {login!r} exists without a login; a lead binds it to you "
                    f"with `collabcoder team add-member URL {login} --role coder`"
                ) from exc
        row = conn.execute(query).mappings().one()
    return CoderRecord(**row)


class CoderManager(Manager):
    def register(self, name: str) -> CoderRecord:
        """Make sure ``name`` is a coder of the project.

        Inside an undo group it joins the group's transaction (all or nothing); otherwise it
        is a write of its own, taking the write lock up front like every write.
        """
        with self._p.write("Register coder") as journal:
            return ensure_coder(journal.conn, name)

    def find(self, name: str) -> CoderRecord:
        """The coder called ``name`` (on a team project, the login's), for a session that cannot
        add one (opened read-only, or a viewer)."""
        clean = name.strip()
        with self._p.read() as conn:
            login = team_login(conn)
            which = Coder.name == clean if login is None else Coder.login == login
            row = conn.execute(select(Coder).where(which)).mappings().first()
        if row is None and login is not None:
            raise NotAllowed(
                f"{self._p.location}: the login {login!r} has no coder record here and cannot "
                "add one; a lead adds it with `collabcoder team add-member`"
            )
        if row is None:
            raise ProjectReadOnly(
                f"{self._p.location}: opened read-only, so {clean!r} cannot be added as a coder"
            )
        return CoderRecord(**row)

    def list(self) -> list[CoderRecord]:
        with self._p.read() as conn:
            rows = conn.execute(select(Coder).order_by(Coder.name)).mappings()
            return [CoderRecord(**r) for r in rows]

    def by_name(self, name: str) -> CoderRecord:
        for coder in self.list():
            if coder.name.casefold() == name.strip().casefold():
                return coder
        raise NotFound(f"No coder called {name!r} in this project.")

    def with_segments(self) -> builtins.list[CoderRecord]:
        """Coders who have coded at least one segment."""
        with self._p.read() as conn:
            ids = set(conn.scalars(select(Segment.coder_id).distinct()))
        return [c for c in self.list() if c.id in ids]
