"""Where a project lives: a SQLite ``.ccproj`` file or a SQLAlchemy URL (PostgreSQL).

Opening checks what the location holds before touching it: a file that is not SQLite, or a
SQLite database that is not a CollabCoder project, is refused unmodified. A project written by an
older CollabCoder is backed up, then migrated (Alembic); one from a newer version is refused.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

from .errors import NotAProject, ProjectExists, ProjectNotFound, ProjectTooNew

# Every schema revision this version knows, oldest first (tests check it against Alembic).
KNOWN_REVISIONS: tuple[str, ...] = ("0001_initial",)
HEAD_REVISION = KNOWN_REVISIONS[-1]
_SQLITE_MAGIC = b"SQLite format 3\x00"


def is_url(location: str | Path) -> bool:
    """True when the location is a database URL rather than a file path."""
    return "://" in str(location)


@dataclass(frozen=True)
class Store:
    """An opened project location."""

    engine: Engine
    location: str
    is_sqlite: bool

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_engine(path: Path) -> Engine:
    # A pooled connection stays open between calls: closing the last one would make SQLite
    # checkpoint the WAL (with an fsync) after every single facade call.
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock up front so two processes never deadlock upgrading a read lock.
        write = conn.get_execution_options().get("cc_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _stored_revision_sqlite(path: Path) -> str | None:
    """Read the schema revision without writing anything; refuse what is not a project."""
    with path.open("rb") as handle:
        header = handle.read(len(_SQLITE_MAGIC))
    if header != _SQLITE_MAGIC:
        raise NotAProject(f"{path}: not a CollabCoder project (not a SQLite database file)")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" not in tables or "project_info" not in tables:
                raise NotAProject(f"{path}: a SQLite database, but not a CollabCoder project")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotAProject(f"{path}: not a CollabCoder project ({exc})") from exc
    return row[0] if row else None


def _backup_sqlite(path: Path, revision: str) -> Path:
    """Copy the project (consistently, WAL included) beside itself before migrating it."""
    target = path.with_name(f"{path.name}.backup-{revision}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.backup-{revision}-{n}")
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _check_revision(location: str, revision: str | None) -> bool:
    """Return True when the schema needs upgrading; refuse unknown (newer) revisions."""
    if revision == HEAD_REVISION:
        return False
    if revision not in KNOWN_REVISIONS:
        raise ProjectTooNew(
            f"{location}: written by a newer CollabCoder (schema {revision}); "
            "please upgrade CollabCoder to open it"
        )
    return True


def upgrade_schema(engine: Engine) -> None:
    """Run Alembic migrations up to head (imported lazily: only needed on create or upgrade)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def create_store(location: str | Path) -> Store:
    """Create an empty project with the current schema; refuse to overwrite anything."""
    if is_url(location):
        engine = create_engine(str(location), pool_pre_ping=True)
        if inspect(engine).get_table_names():
            engine.dispose()
            raise ProjectExists(f"{_safe_url(location)}: the database is not empty")
        upgrade_schema(engine)
        return Store(engine, _safe_url(location), is_sqlite=False)
    path = Path(location)
    if path.exists():
        raise ProjectExists(f"{path}: a file of that name already exists")
    if not path.parent.is_dir():
        raise ProjectNotFound(f"{path}: the folder {path.parent} does not exist")
    engine = _sqlite_engine(path)
    upgrade_schema(engine)
    return Store(engine, str(path), is_sqlite=True)


def open_store(location: str | Path) -> Store:
    """Open an existing project, migrating an older one after a backup."""
    if is_url(location):
        return _open_url(str(location))
    path = Path(location)
    if not path.is_file():
        raise ProjectNotFound(f"{path}: no such project file")
    needs_upgrade = _check_revision(str(path), _stored_revision_sqlite(path))
    if needs_upgrade:
        _backup_sqlite(path, HEAD_REVISION)
    engine = _sqlite_engine(path)
    if needs_upgrade:
        upgrade_schema(engine)
    return Store(engine, str(path), is_sqlite=True)


def _open_url(url: str) -> Store:
    engine = create_engine(url, pool_pre_ping=True)
    shown = _safe_url(url)
    try:
        tables = set(inspect(engine).get_table_names())
    except Exception as exc:  # the driver's own error says why (auth, host, database)
        engine.dispose()
        raise ProjectNotFound(f"{shown}: cannot connect ({exc.__class__.__name__}: {exc})") from exc
    if "alembic_version" not in tables or "project_info" not in tables:
        engine.dispose()
        raise NotAProject(f"{shown}: the database holds no CollabCoder project")
    with engine.connect() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if _check_revision(shown, revision):
        upgrade_schema(engine)
    return Store(engine, shown, is_sqlite=False)


def _safe_url(url: str | Path) -> str:
    """The URL without its password, for messages and titles."""
    return make_url(str(url)).render_as_string(hide_password=True)
