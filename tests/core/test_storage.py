"""Storage: creating, opening, refusing and migrating project files."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from collabcoder.core import storage
from collabcoder.core.errors import NotAProject, ProjectExists, ProjectNotFound, ProjectTooNew
from collabcoder.core.model import Base
from collabcoder.core.project import Project
from collabcoder.core.search_schema import INDEX_TABLES


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _script_directory() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(Path(storage.__file__).parent / "migrations"))
    return ScriptDirectory.from_config(config)


def test_known_revisions_match_alembic_history() -> None:
    """The revisions storage knows are exactly Alembic's history, oldest first."""
    history = [rev.revision for rev in reversed(list(_script_directory().walk_revisions()))]
    assert list(storage.KNOWN_REVISIONS) == history
    assert _script_directory().get_current_head() == storage.HEAD_REVISION


def test_migrated_schema_equals_the_model(backend: str) -> None:
    """After all migrations the database schema has no difference from the ORM model."""
    Project.create(backend, coder="Ann").close()
    url = backend if "://" in backend else f"sqlite:///{backend}"
    engine = create_engine(url)

    # The search index is derived data outside the ORM model (core.search_schema).
    def include_name(name: str | None, _kind: str, _parent: object) -> bool:
        return name not in INDEX_TABLES

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_sqlite_project_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    """A .ccproj file is SQLite in WAL mode with foreign keys enforced."""
    with Project.create(tmp_path / "p.ccproj", coder="Ann") as project, project.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    """Creating a project where a file exists is refused and leaves the file alone."""
    target = tmp_path / "notes.ccproj"
    target.write_text("my precious notes")
    with pytest.raises(ProjectExists, match="already exists"):
        Project.create(target, coder="Ann")
    assert target.read_text() == "my precious notes"


def test_open_missing_project(tmp_path: Path) -> None:
    """Opening a path with no file says so."""
    with pytest.raises(ProjectNotFound, match="no such project file"):
        Project.open(tmp_path / "missing.ccproj", coder="Ann")


@pytest.mark.parametrize(
    "content",
    [b"", b"this is a text file, not a project\n", b"SQLite format 3\x00" + b"\xff" * 5000,
     b"PK\x03\x04 a zip file"],
    ids=["empty", "text", "corrupt-sqlite", "zip"],
)  # fmt: skip
def test_non_project_file_is_refused_unmodified(tmp_path: Path, content: bytes) -> None:
    """Corrupt or foreign files are refused with a clear message and are not modified."""
    target = tmp_path / "thing.ccproj"
    target.write_bytes(content)
    before = _digest(target)
    with pytest.raises(NotAProject, match="not a CollabCoder project"):
        Project.open(target, coder="Ann")
    assert _digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thing.ccproj"]


def test_other_sqlite_database_is_refused_unmodified(tmp_path: Path) -> None:
    """A valid SQLite database of another program is refused and keeps its journal mode."""
    target = tmp_path / "other.db"
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    before = _digest(target)
    with pytest.raises(NotAProject, match="not a CollabCoder project"):
        Project.open(target, coder="Ann")
    assert _digest(target) == before


def test_project_from_newer_version_is_refused(tmp_path: Path) -> None:
    """A schema revision this version does not know means a newer CollabCoder: refused."""
    target = tmp_path / "p.ccproj"
    Project.create(target, coder="Ann").close()
    conn = sqlite3.connect(target)
    conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectTooNew, match="newer CollabCoder"):
        Project.open(target, coder="Ann")


def test_initial_schema_upgrades_cleanly(tmp_path: Path) -> None:
    """A project built by the first migration alone opens, upgraded to head, data intact."""
    target = tmp_path / "old.ccproj"
    engine = storage._sqlite_engine(target)
    from alembic import command

    config = Config()
    config.set_main_option("script_location", str(Path(storage.__file__).parent / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, storage.KNOWN_REVISIONS[0])
        conn.exec_driver_sql("INSERT INTO project_info (key, value) VALUES ('name', 'old')")
    engine.dispose()
    with Project.open(target, coder="Ann") as project:
        assert project.name == "old"
        project.codes.add("Works")
        with project.read() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == (
                storage.HEAD_REVISION
            )


def test_older_project_is_backed_up_before_migrating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a project at an older revision first writes a complete backup copy beside it."""
    target = tmp_path / "old.ccproj"
    with Project.create(target, coder="Ann") as project:
        project.codes.add("Trust")
    upgraded: list[str] = []
    monkeypatch.setattr(storage, "KNOWN_REVISIONS", (storage.HEAD_REVISION, "0002_next"))
    monkeypatch.setattr(storage, "HEAD_REVISION", "0002_next")
    monkeypatch.setattr(storage, "upgrade_schema", lambda engine: upgraded.append("yes"))
    Project.open(target, coder="Ann").close()
    backups = list(tmp_path.glob("old.ccproj.backup-*"))
    assert upgraded == ["yes"] and len(backups) == 1
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT name FROM code").fetchall() == [("Trust",)]
    conn.close()


def test_migrating_reports_the_backup_then_the_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening an older project tells its progress of the backup, then of the upgrade (the GUI
    shows these in its progress dialog); opening a current project reports nothing."""
    target = tmp_path / "old.ccproj"
    Project.create(target, coder="Ann").close()
    heard: list[tuple[int, int, str]] = []
    Project.open(target, coder="Ann", progress=lambda *a: heard.append(a)).close()
    assert heard == []
    order: list[str] = []
    monkeypatch.setattr(storage, "KNOWN_REVISIONS", (storage.HEAD_REVISION, "0002_next"))
    monkeypatch.setattr(storage, "HEAD_REVISION", "0002_next")
    monkeypatch.setattr(storage, "upgrade_schema", lambda engine: order.append("upgraded"))

    def progress(done: int, total: int, message: str) -> None:
        order.append(message.split()[0])

    Project.open(target, coder="Ann", progress=progress).close()
    assert order == ["Keeping", "Upgrading", "upgraded", "Upgraded"]


def test_operation_log_survives_reopening(backend: str) -> None:
    """Who did what and when is kept in the project and read back after reopening."""
    with Project.create(backend, coder="Ann") as project:
        code = project.codes.add("Trust")
        project.codes.update(code.id, name="Trusting relationships")
        project.undo()
    with Project.open(backend, coder="Bob") as project:
        coders = {c.id: c.name for c in project.coders.list()}
        log = [(coders[o.coder_id or 0], o.label) for o in project.operations()]
    assert log == [
        ("Ann", "Undo Rename code to Trusting relationships"),
        ("Ann", "Rename code to Trusting relationships"),
        ("Ann", "Add code Trust"),
    ]


def test_reading_a_project_writes_nothing(tmp_path: Path) -> None:
    """Opening and reading (info, listing) do not register a coder or change the file."""
    target = tmp_path / "p.ccproj"
    Project.create(target, coder="Ann").close()
    with Project.open(target, coder="Reader") as project:
        project.counts()
        project.codes.list()
        assert "Reader" not in [c.name for c in project.coders.list()]
