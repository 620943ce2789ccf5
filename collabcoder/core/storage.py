"""Where a project lives: a SQLite ``.ccproj`` file or a SQLAlchemy URL (PostgreSQL).

Opening checks what the location holds before touching it: a file that is not SQLite, or a
SQLite database that is not a CollabCoder project, is refused unmodified. A project written by an
older CollabCoder is backed up, then migrated (Alembic); one from a newer version is refused.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.pool import QueuePool

from .errors import (
    NoSpaceLeft,
    NotAProject,
    ProjectDamaged,
    ProjectError,
    ProjectExists,
    ProjectNotFound,
    ProjectReadOnly,
    ProjectTooNew,
    StorageFailed,
)
from .limits import install_limits
from .progress import Progress, no_progress

# Every schema revision this version knows, oldest first (tests check it against Alembic).
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_search",
    "0003_team",
    "0004_speakers",
    "0005_sets",
    "0006_headings",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]


def is_url(location: str | Path) -> bool:
    """True when the location is a database URL rather than a file path."""
    return "://" in str(location)


@dataclass(frozen=True)
class Store:
    """An opened project location."""

    engine: Engine
    location: str
    is_sqlite: bool
    read_only: bool = False

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_engine(path: Path, *, read_only: bool = False) -> Engine:
    # A pooled connection stays open between calls: closing the last one would make SQLite
    # checkpoint the WAL (with an fsync) after every single facade call.
    uri = f"{path.resolve().as_uri()}?mode=ro" if read_only else f"{path.resolve().as_uri()}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=15)

    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool)
    install_limits(engine)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=15000")
        cur.execute("PRAGMA foreign_keys=ON")
        if read_only:
            # A reader never changes the file, not even its journal mode.
            cur.execute("PRAGMA query_only=ON")
        elif cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock up front: a deferred transaction that reads and then writes
        # cannot wait for the lock (SQLite refuses the upgrade at once to avoid a deadlock).
        write = conn.get_execution_options().get("cc_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _stored_revision_sqlite(path: Path) -> str | None:
    """Read the schema revision without writing anything; refuse what is not a project.

    Only SQLite itself opens the file: closing any other descriptor of it would drop every
    POSIX lock this process holds on it (SQLite's documented pitfall), under live connections.
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.OperationalError as exc:
        raise _unopenable(path, exc) from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables or "project_info" not in tables:
            raise NotAProject(f"{path}: a SQLite database, but not a CollabCoder project")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise NotAProject(
                f"{path}: not a CollabCoder project (not a SQLite database file)"
            ) from exc
        raise _unopenable(path, exc) from exc
    finally:
        conn.close()
    return row[0] if row else None


def _unopenable(path: Path, exc: sqlite3.Error) -> ProjectError:
    """Say what is true when SQLite cannot open a file that exists."""
    if not os.access(path, os.R_OK):
        return ProjectReadOnly(f"{path}: you do not have permission to read this file")
    if not os.access(path.parent, os.W_OK):
        return ProjectReadOnly(
            f"{path}: the folder {path.parent} is read-only and SQLite needs to keep its "
            "journal beside the file; copy the project to a folder you can write to"
        )
    return NotAProject(f"{path}: cannot be opened as a project ({exc})")


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
    if revision is None:
        raise ProjectDamaged(
            f"{location}: the project records no schema revision (its alembic_version table "
            "is empty); it was not created completely or has been damaged"
        )
    if revision not in KNOWN_REVISIONS:
        raise ProjectTooNew(
            f"{location}: written by a newer CollabCoder (schema {revision}); "
            "please upgrade CollabCoder to open it"
        )
    return True


def upgrade_schema(engine: Engine) -> None:
    """Run Alembic migrations up to head, in one transaction."""
    with engine.begin() as conn:
        upgrade_in(conn)


def upgrade_in(conn: Connection) -> None:
    """Run the migrations inside the caller's transaction (imported lazily: rarely needed)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
    _regrant_team(conn)


def _regrant_team(conn: Connection) -> None:
    """On a team project, reinstall the grants once the schema is current: a table a migration
    added would otherwise be unreadable to members until the lead ran `team init` again. Here,
    not in each migration, because the grants name every table of the current schema."""
    if conn.dialect.name != "postgresql":
        return
    import json

    from .team_security import GroupRoles, install

    roles = conn.execute(text("SELECT value FROM project_info WHERE key = 'team'")).scalar()
    if roles:
        install(conn, GroupRoles(**json.loads(roles)))


def create_store(location: str | Path) -> Store:
    """Create an empty project with the current schema; refuse to overwrite anything."""
    if is_url(location):
        store = empty_url_store(str(location))
        upgrade_schema(store.engine)
        return store
    path = Path(location)
    if path.exists():
        raise ProjectExists(f"{path}: a file of that name already exists")
    if not path.parent.is_dir():
        raise ProjectNotFound(f"{path}: the folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise ProjectReadOnly(f"{path}: the folder {path.parent} is read-only")
    engine = _sqlite_engine(path)
    upgrade_schema(engine)
    return Store(engine, str(path), is_sqlite=True)


def empty_url_store(url: str) -> Store:
    """An engine on an empty database (no schema yet); refuse one that holds tables."""
    engine = create_engine(url, pool_pre_ping=True)
    install_limits(engine)
    if inspect(engine).get_table_names():
        engine.dispose()
        raise ProjectExists(f"{_safe_url(url)}: the database is not empty")
    return Store(engine, _safe_url(url), is_sqlite=False)


@contextmanager
def building(location: str | Path) -> Iterator[str]:
    """Build a new project under a temporary name beside ``location``, then rename it there.

    Yields the location to create. A failure (a bad argument, a full disk, Ctrl-C) removes the
    half-built file, so nothing is left that would block a retry. A database URL is yielded as
    it is: the database server has no rename.
    """
    if is_url(location):
        yield str(location)
        return
    final = Path(location)
    if final.exists():
        raise ProjectExists(f"{final}: a file of that name already exists")
    if not final.parent.is_dir():
        raise ProjectNotFound(f"{final}: the folder {final.parent} does not exist")
    # A hidden folder beside the target keeps the file's own name (a project's default title)
    # and the same file system, so the final step is a rename.
    folder = final.with_name(f".{final.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part")
    try:
        folder.mkdir()
    except OSError as exc:
        raise _unwritable_folder(final, exc) from exc
    temporary = folder / final.name
    try:
        yield str(temporary)
        _fold_wal(temporary)
        _move_into_place(temporary, final)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _unwritable_folder(final: Path, exc: OSError) -> ProjectError | NoSpaceLeft:
    if exc.errno == errno.ENOSPC:
        return NoSpaceLeft(f"{final.name}: no space left on device")
    return ProjectReadOnly(f"{final}: cannot create it, the folder {final.parent} is read-only")


def _fold_wal(path: Path) -> None:
    """Copy everything in the WAL into the file itself, so the file alone is the project."""
    conn = sqlite3.connect(path)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    if busy:
        raise ProjectError(f"{path}: still in use while being created; try again")


def _move_into_place(temporary: Path, final: Path) -> None:
    # Link, not rename, so a file that appeared meanwhile is refused rather than overwritten.
    try:
        os.link(temporary, final)
    except FileExistsError as exc:
        raise ProjectExists(f"{final}: a file of that name already exists") from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise NoSpaceLeft(f"{final.name}: no space left on device") from exc
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
            raise
        if final.exists():  # a file system without hard links: check, then rename
            raise ProjectExists(f"{final}: a file of that name already exists") from exc
        os.replace(temporary, final)


def open_store(
    location: str | Path, *, read_only: bool = False, progress: Progress = no_progress
) -> Store:
    """Open an existing project, migrating an older one after a backup.

    ``read_only`` opens it so that nothing, not even the journal mode, can change; an older
    project is then refused rather than migrated. ``progress`` hears of the backup and the
    migration (opening a current project reports nothing).
    """
    if is_url(location):
        return _open_url(str(location), read_only=read_only, progress=progress)
    path = Path(location)
    if not path.is_file():
        raise ProjectNotFound(f"{path}: no such project file")
    needs_upgrade = _check_revision(str(path), _stored_revision_sqlite(path))
    if needs_upgrade and read_only:
        raise ProjectReadOnly(
            f"{path}: written by an older CollabCoder; open it once for writing to upgrade it"
        )
    if needs_upgrade:
        progress(0, 2, f"Keeping a copy of {path.name} as it was before upgrading it…")
        _backup_sqlite(path, HEAD_REVISION)
    engine = _sqlite_engine(path, read_only=read_only)
    if needs_upgrade:
        progress(1, 2, f"Upgrading {path.name} for this version of CollabCoder…")
        upgrade_schema(engine)
        progress(2, 2, f"Upgraded {path.name}.")
    return Store(engine, str(path), is_sqlite=True, read_only=read_only)


def _open_url(url: str, *, read_only: bool = False, progress: Progress = no_progress) -> Store:
    engine = create_engine(url, pool_pre_ping=True)
    install_limits(engine)
    if read_only:

        @event.listens_for(engine, "connect")
        def _read_only_session(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            cur.close()
            dbapi_conn.commit()

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
        if read_only:
            engine.dispose()
            raise ProjectReadOnly(
                f"{shown}: written by an older CollabCoder; open it once for writing to upgrade it"
            )
        progress(0, 1, f"Upgrading {shown} for this version of CollabCoder…")
        upgrade_schema(engine)
        progress(1, 1, f"Upgraded {shown}.")
    return Store(engine, shown, is_sqlite=False, read_only=read_only)


def _safe_url(url: str | Path) -> str:
    """The URL without its password, for messages and titles."""
    return make_url(str(url)).render_as_string(hide_password=True)


def database_failure(exc: DBAPIError, location: str) -> StorageFailed:
    """One sentence for a failed database statement: what went wrong, never the SQL or values.

    SQLAlchemy's own message carries the statement and its parameters, which would print a
    participant's words on a terminal or in a log.
    """
    original = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else ""
    lowered = original.lower()
    if "disk is full" in lowered or "no space left" in lowered:
        return NoSpaceLeft(f"{Path(location).name}: no space left on device; nothing was written")
    if "locked" in lowered or "busy" in lowered:
        return StorageFailed(
            f"{location}: another program kept the project locked for too long; nothing was "
            "written, try again"
        )
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return StorageFailed(f"{location}: the project cannot be written here ({original})")
    if isinstance(exc, IntegrityError):
        return StorageFailed(
            f"{location}: the change would break a rule of the project ({original}); "
            "nothing was written"
        )
    return StorageFailed(f"{location}: the database failed ({original}); nothing was written")


def failure_message(exc: BaseException, location: str | None) -> str:
    """One line for an error nothing else handled: what failed and where, never the SQL, the
    values being written (a participant's words) or a password in a URL."""
    where = (_safe_url(location) if is_url(location) else location) if location else None
    if isinstance(exc, DBAPIError):
        return str(database_failure(exc, where or "the project"))
    prefix = f"{where}: " if where else ""
    if isinstance(exc, SQLAlchemyError | sqlite3.Error):
        return f"{prefix}the database failed ({exc.__class__.__name__}); nothing more was written"
    return f"{prefix}unexpected error ({exc.__class__.__name__})"
