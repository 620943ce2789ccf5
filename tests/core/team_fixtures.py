"""A team project on the throwaway cluster: a non-superuser lead owning it, two coders, a viewer.

The cluster's own user (``cc``) is a superuser, which PostgreSQL exempts from row-level security,
so the project is created and run by ordinary logins, as on a real server.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg
import pytest

from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.core.team import init_team
from tests.postgres import create_database

TEXT = "Participant: We built trust slowly, one meeting at a time. Funding was short."


def as_login(url: str, login: str) -> str:
    """The same database URL, connecting as ``login`` (the test cluster trusts loopback)."""
    return url.replace("://cc@", f"://{login}@", 1)


def dsn(url: str) -> str:
    """A libpq connection string for hand-written SQL."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def superuser_sql(url: str, statement: str) -> None:
    with psycopg.connect(dsn(url), autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


@dataclass
class Team:
    url: str  # as the cluster superuser
    lead: str
    ann: str
    bob: str
    vera: str  # a viewer
    opened: list[Project] = field(default_factory=list)

    def open(self, login: str, typed: str = "someone") -> Project:
        """Open the project as ``login`` (``typed`` is the name they type; it must not count)."""
        project = Project.open(as_login(self.url, login), coder=typed)
        self.opened.append(project)
        return project

    def sql(self, login: str, statement: str, *params: object) -> list[tuple[object, ...]]:
        """Run hand-written SQL through ``login``'s own connection; return any rows."""
        with psycopg.connect(dsn(as_login(self.url, login)), autocommit=True) as conn:
            cursor = conn.execute(statement, params or None)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []


@pytest.fixture
def team(postgres_cluster: str) -> Iterator[Team]:
    """Codes Trust and Funding; lead Lena (owner, CREATEROLE, not superuser) and coder Bob have
    each coded a segment; coder Ann, viewer Vera. Logins are unique per test (roles are
    cluster-wide)."""
    url = create_database(postgres_cluster)
    tag = uuid.uuid4().hex[:6]
    t = Team(url, f"lena_{tag}", f"ann_{tag}", f"bob_{tag}", f"vera_{tag}")
    superuser_sql(url, f'CREATE ROLE "{t.lead}" LOGIN CREATEROLE')
    superuser_sql(url, f'ALTER DATABASE "{url.rsplit("/", 1)[1]}" OWNER TO "{t.lead}"')
    with Project.create(as_login(url, t.lead), coder="Lena") as lead:
        doc = lead.documents.add(NewDocument("i1", TEXT, "transcript"))
        trust = lead.codes.add("Trust")
        lead.codes.add("Funding")
        lead.cases.add("Wigan Council")
        init_team(lead)
        lead.team.add_member(t.ann, "coder", name="Ann")
        lead.team.add_member(t.bob, "coder", name="Bob")
        lead.team.add_member(t.vera, "viewer", name="Vera")
        lead.segments.add(doc.id, trust.id, 0, 11)
    bob = t.open(t.bob)
    bob.segments.add(doc.id, trust.id, 13, 31)
    bob.memos.add("code", trust.id, "Bob's note on trust")
    yield t
    for project in t.opened:
        project.close()
