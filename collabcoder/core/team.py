"""Team projects: who may do what, on PostgreSQL's own roles (``project.team``).

A project on a PostgreSQL server becomes a team project with :func:`init_team`: three group roles
(lead, coder, viewer) get their grants, row-level security and triggers (``core.team_security``),
and from then on each coder record is bound to the login that wrote it (``session_user``), so
attribution comes from authentication, not from a typed name. A ``.ccproj`` file keeps typed
names: one laptop, one person. Every check made here is made again by the server; these checks
only give the clearer sentence first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, insert, literal_column, select, text, update

from .manager import Manager
from .model import Coder, Operation, ProjectInfo
from .team_errors import NotAllowed, NotATeamProject
from .team_security import ROLES, GroupRoles, group_roles_for, install, quote_ident, quote_literal

if TYPE_CHECKING:
    from .project import Project

TEAM_KEY = "team"  # project_info: the group roles, as JSON; present only on team projects
BLIND_KEY = "team.blind"  # project_info: "on" while a blind round is open
_LOGIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.@-]{0,62}")


@dataclass(frozen=True)
class Member:
    """A login in the project's team and the coder record bound to it."""

    login: str
    role: str  # lead | coder | viewer
    coder: str | None  # the coder name shown on their work (None until they first write)
    owner: bool = False  # owns the project's tables: a lead by ownership


def team_roles(conn: Connection) -> GroupRoles | None:
    """The project's group roles, or None when it is not a team project."""
    if conn.dialect.name != "postgresql":
        return None
    stored = conn.scalar(select(ProjectInfo.value).where(ProjectInfo.key == TEAM_KEY))
    return GroupRoles(**json.loads(stored)) if stored else None


def team_login(conn: Connection) -> str | None:
    """The authenticated login a team project's work is attributed to (None off a team)."""
    if team_roles(conn) is None:
        return None
    return str(conn.scalar(text("SELECT session_user")))


def role_of(conn: Connection, roles: GroupRoles) -> str | None:
    """The connected login's project role: lead (owners too), coder, viewer, or None."""
    row = conn.execute(
        text(
            "SELECT pg_has_role(session_user, :lead, 'MEMBER') OR pg_has_role(session_user, "
            "(SELECT relowner FROM pg_class WHERE oid = 'project_info'::regclass), 'MEMBER'), "
            "pg_has_role(session_user, :coder, 'MEMBER'), "
            "pg_has_role(session_user, :viewer, 'MEMBER')"
        ),
        {"lead": roles.lead, "coder": roles.coder, "viewer": roles.viewer},
    ).one()
    for role, member in zip(ROLES, row, strict=True):
        if member:
            return role
    return None


def init_team(project: Project) -> GroupRoles:
    """Make a PostgreSQL project a team project (again, harmlessly, if it is one already).

    The login running it must own the project's tables (it created them) and be allowed to
    create roles. The coder it works as, if not bound yet, is bound to that login.
    """
    if not project.is_shared:
        raise NotATeamProject(
            f"{project.location}: a project file is one laptop, one person: its coders are the "
            "names typed. Team roles need a project on a PostgreSQL server "
            "(`collabcoder push FILE URL`)"
        )
    typed = project._coder_name.strip()  # work typed under this name becomes the login's
    with project._write_transaction() as conn:
        roles = team_roles(conn) or group_roles_for(
            str(conn.scalar(text("SELECT current_database()")))
        )
        install(conn, roles)
        conn.execute(
            insert(ProjectInfo).values(key=TEAM_KEY, value=json.dumps(roles.__dict__))
            if team_roles(conn) is None
            else update(ProjectInfo)
            .where(ProjectInfo.key == TEAM_KEY)
            .values(value=json.dumps(roles.__dict__))
        )
        login = str(conn.scalar(text("SELECT session_user")))
        if conn.scalar(select(Coder.id).where(Coder.login == login)) is None:
            _bind_coder(conn, login, typed or login, project.location)
        _log(conn, "Make it a team project", {"project": 1})
    project._coder = None  # registered again, now through the login
    project.team.forget()
    return roles


def _log(conn: Connection, label: str, detail: dict[str, int]) -> None:
    """Log a step that is not undoable (roles live in the cluster, outside the undo journal)."""
    me = conn.scalar(select(Coder.id).where(Coder.login == literal_column("session_user")))
    conn.execute(insert(Operation), {"coder_id": me, "label": label, "detail": json.dumps(detail)})


class TeamManager(Manager):
    """``project.team``: the project's team, its members' roles and blind rounds."""

    _roles: GroupRoles | None = None
    _role: str | None = None
    _known = False

    def forget(self) -> None:
        """Read roles again on next use (after init, or a change of membership)."""
        self._known = False

    def _load(self) -> None:
        if self._known:
            return
        with self._p.read() as conn:
            self._roles = team_roles(conn)
            self._role = role_of(conn, self._roles) if self._roles else None
        self._known = True

    @property
    def enabled(self) -> bool:
        """True on a team project (a PostgreSQL project after ``team init``)."""
        self._load()
        return self._roles is not None

    @property
    def roles(self) -> GroupRoles:
        self._load()
        if self._roles is None:
            raise self._not_team()
        return self._roles

    @property
    def role(self) -> str | None:
        """This session's role (lead, coder, viewer), or None off a team / outside the team."""
        self._load()
        return self._role

    @property
    def login(self) -> str:
        with self._p.read() as conn:
            return str(conn.scalar(text("SELECT session_user")))

    def _not_team(self) -> NotATeamProject:
        if not self._p.is_shared:
            return NotATeamProject(
                f"{self._p.location}: a project file is one laptop, one person, and its coders "
                "are the names typed; team roles need a project on a PostgreSQL server"
            )
        return NotATeamProject(
            f"{self._p.location}: not a team project yet; a lead runs `collabcoder team init`"
        )

    def require_lead(self, action: str) -> None:
        """Refuse ``action`` (e.g. "change the codebook") unless this session is a lead."""
        if self.enabled and self.role != "lead":
            raise NotAllowed(f"{self._p.location}: only a lead can {action}; nothing was changed")

    # -- membership ----------------------------------------------------------------------------
    def members(self) -> list[Member]:
        """Every login in the team with their role, the owner first, then by login."""
        roles = self.roles
        groups = {roles.of(r): r for r in ROLES}
        with self._p.read() as conn:
            owner = str(
                conn.scalar(
                    text(
                        "SELECT pg_get_userbyid(relowner) FROM pg_class "
                        "WHERE oid = 'project_info'::regclass"
                    )
                )
            )
            rows = conn.execute(
                text(
                    "SELECT m.rolname, g.rolname FROM pg_auth_members a "
                    "JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
                    "WHERE g.rolname = ANY(:groups) AND m.rolcanlogin"
                ),
                {"groups": list(groups)},
            ).all()
            names = dict(
                conn.execute(select(Coder.login, Coder.name).where(Coder.login.is_not(None)))
                .tuples()
                .all()
            )
        best: dict[str, str] = {owner: "lead"}
        for login, group in rows:
            role = groups[group]
            if login not in best or ROLES.index(role) < ROLES.index(best[login]):
                best[login] = role
        members = [
            Member(login, role, names.get(login), login == owner) for login, role in best.items()
        ]
        return sorted(members, key=lambda m: (not m.owner, m.login))

    def add_member(
        self, login: str, role: str, *, name: str | None = None, password: str | None = None
    ) -> Member:
        """Give ``login`` the project ``role`` (creating the login if it does not exist).

        ``name`` is the coder name shown on their work (default: the login); an existing coder
        of that name with no login yet is bound to it, so typed-name work becomes theirs. The
        password, for a new login, reaches the server only as a SCRAM verifier.
        """
        if not _LOGIN.fullmatch(login):
            raise NotAllowed(
                f"{login!r} is not a usable login name (letters, digits, _ . @ -; at most 63)"
            )
        if role not in ROLES:
            raise NotAllowed(f"A team role is one of {', '.join(ROLES)}, not {role!r}.")
        self.require_lead("add team members or change their roles")
        roles = self.roles
        with self._membership(f"Add {login} to the team as {role}") as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login})
            if not exists:
                conn.exec_driver_sql(
                    f"CREATE ROLE {quote_ident(login)} LOGIN{_password(conn, login, password)}"
                )
            for other in ROLES:
                if other != role and _is_direct_member(conn, login, roles.of(other)):
                    conn.exec_driver_sql(
                        f"REVOKE {quote_ident(roles.of(other))} FROM {quote_ident(login)}"
                    )
            conn.exec_driver_sql(f"GRANT {quote_ident(roles.of(role))} TO {quote_ident(login)}")
            _bind_coder(conn, login, name.strip() if name else None, self._p.location)
        return next(m for m in self.members() if m.login == login)

    def remove_member(self, login: str) -> None:
        """Take ``login`` out of the team (the login and their attributed work stay)."""
        self.require_lead("remove team members")
        roles = self.roles
        with self._membership(f"Remove {login} from the team") as conn:
            found = False
            for role in ROLES:
                if _is_direct_member(conn, login, roles.of(role)):
                    conn.exec_driver_sql(
                        f"REVOKE {quote_ident(roles.of(role))} FROM {quote_ident(login)}"
                    )
                    found = True
            if not found:
                raise NotAllowed(f"{self._p.location}: {login!r} is not a member of this team")

    @contextmanager
    def _membership(self, label: str) -> Iterator[Connection]:
        with self._p._write_transaction() as conn:
            yield conn
            _log(conn, label, {"coders": 1})
        self.forget()

    # -- blind rounds --------------------------------------------------------------------------
    @property
    def blind(self) -> bool:
        """True while a blind round is open: coders see only their own coding (server-enforced)."""
        with self._p.read() as conn:
            return (
                conn.scalar(select(ProjectInfo.value).where(ProjectInfo.key == BLIND_KEY)) == "on"
            )

    def start_blind(self) -> None:
        self._set_blind(True)

    def stop_blind(self) -> None:
        self._set_blind(False)

    def _set_blind(self, on: bool) -> None:
        if not self.enabled:
            raise self._not_team()
        self.require_lead("start or stop a blind round")
        value = "on" if on else "off"
        label = "Start blind round" if on else "Stop blind round"
        with self._p.write(label) as journal:
            where = ProjectInfo.key == BLIND_KEY
            if not journal.update_where(ProjectInfo, where, {"value": value}):
                journal.insert(ProjectInfo, [{"key": BLIND_KEY, "value": value}])

    def require_report(self) -> None:
        """Refuse the agreement report to non-leads while a blind round is open (they would see
        only their own coding, and the report is the lead's)."""
        if self.enabled and self.role != "lead" and self.blind:
            raise NotAllowed(
                f"{self._p.location}: a blind round is open, and the agreement report is for "
                "the lead until it is stopped"
            )


def _is_direct_member(conn: Connection, login: str, group: str) -> bool:
    return bool(
        conn.scalar(
            text(
                "SELECT 1 FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
                "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = :g AND m.rolname = :m"
            ),
            {"g": group, "m": login},
        )
    )


def _password(conn: Connection, login: str, password: str | None) -> str:
    """`` PASSWORD '<SCRAM verifier>'``: libpq hashes it here, so the server never sees it."""
    if not password:
        return ""
    pgconn = conn.connection.dbapi_connection.pgconn  # type: ignore[union-attr]
    verifier = pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256")
    return f" PASSWORD {quote_literal(verifier.decode())}"


def _bind_coder(conn: Connection, login: str, name: str | None, location: str) -> None:
    """Bind ``login`` to a coder record: theirs already (renamed when ``name`` is given), an
    unbound one called ``name``, or a new one (called ``name``, else the login)."""
    mine = conn.execute(select(Coder.id, Coder.name).where(Coder.login == login)).first()
    wanted = name or (mine.name if mine else login)
    named = conn.execute(select(Coder.id, Coder.login).where(Coder.name == wanted)).first()
    if named is not None and named.login not in (None, login):
        raise NotAllowed(
            f"{location}: the coder name {wanted!r} belongs to the login {named.login!r}; "
            "choose another name"
        )
    if mine is not None:
        if mine.name != wanted and named is None:
            conn.execute(update(Coder).where(Coder.id == mine.id).values(name=wanted))
    elif named is not None:
        conn.execute(update(Coder).where(Coder.id == named.id).values(login=login))
    else:
        conn.execute(insert(Coder).values(name=wanted, login=login))
