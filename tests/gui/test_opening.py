"""Opening a project from the real main window runs on the op runner: the window says what it
is opening and keeps handling events, an older project is migrated there (after its backup)
with its progress shown, and a refusal is shown as one error naming the file."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from collabcoder.core import storage
from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow
from tests.gui.waiting import open_project


@pytest.fixture
def errors(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """What the window would show in error boxes (a modal box would stop the test)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(window, "show_error", lambda title, text: shown.append((title, text)))
    return shown


def _older_project(path: Path) -> None:
    """A project as the first released schema wrote it."""
    from alembic import command
    from alembic.config import Config

    engine = storage._sqlite_engine(path)
    config = Config()
    config.set_main_option("script_location", str(Path(storage.__file__).parent / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, storage.KNOWN_REVISIONS[0])
        conn.exec_driver_sql("INSERT INTO project_info (key, value) VALUES ('name', 'Older')")
    engine.dispose()


def test_opening_runs_off_the_gui_thread_and_says_so(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While Project.open runs (on a worker, never the GUI thread) the window's title and status
    bar say "Opening …" and its event loop keeps running; then the project is shown."""
    location = tmp_path / "next.ccproj"
    Project.create(location, coder="Alice").close()
    release, threads = threading.Event(), []
    real_open = Project.open

    def slow_open(*args: object, **kwargs: object) -> Project:
        threads.append(threading.current_thread())
        assert release.wait(10)
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Project, "open", slow_open)
    outcome: list[bool] = []
    window.open_location(str(location), outcome.append)
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: bool(ticks and threads), timeout=5000)  # events run meanwhile
    assert threads[0] is not threading.main_thread()
    assert window.windowTitle() == "Opening next.ccproj… — CollabCoder"
    assert window.statusBar().currentMessage() == "Opening next.ccproj…"
    release.set()
    qtbot.waitUntil(lambda: bool(outcome), timeout=10_000)
    project = window.bridge.project
    assert outcome == [True] and project is not None and project.location == str(location)
    assert window.windowTitle() == "next — CollabCoder"


def test_an_older_project_is_backed_up_and_migrated_with_progress(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a project of the first schema from the window keeps a backup, upgrades it on the
    op runner, tells the progress dialog of both steps and shows the upgraded project."""
    location = tmp_path / "older.ccproj"
    _older_project(location)
    heard: list[str] = []
    listening = threading.Event()
    real_open = Project.open

    def open_when_heard(*args: object, **kwargs: object) -> Project:
        assert listening.wait(10)  # the test hears every progress report
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Project, "open", open_when_heard)
    window.open_location(str(location))
    handle = window.files.opening
    assert handle is not None and handle.dialog is not None
    handle.progressed.connect(lambda _d, _t, message: heard.append(message.split()[0]))
    listening.set()
    qtbot.waitUntil(lambda: window.files.opening is None, timeout=20_000)
    project = window.bridge.project
    assert project is not None and project.name == "Older"
    assert heard == ["Keeping", "Upgrading", "Upgraded"]
    assert len(list(tmp_path.glob("older.ccproj.backup-*"))) == 1
    with project.read() as conn:
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert revision == storage.HEAD_REVISION


def test_a_newer_or_damaged_project_is_refused_with_one_error(
    qtbot: QtBot,
    window: MainWindow,
    project: Project,
    tmp_path: Path,
    errors: list[tuple[str, str]],
) -> None:
    """A project of a newer schema, and a file that is no project, each give one error naming
    the file; the window keeps the project it had, and says nothing is being opened."""
    newer = tmp_path / "newer.ccproj"
    Project.create(newer, coder="Alice").close()
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.commit()
    conn.close()
    damaged = tmp_path / "damaged.ccproj"
    damaged.write_bytes(b"not a database at all" * 100)
    assert not open_project(qtbot, window, str(newer))
    assert not open_project(qtbot, window, str(damaged))
    assert [title for title, _ in errors] == [
        "Could not open newer.ccproj",
        "Could not open damaged.ccproj",
    ]
    assert "newer CollabCoder" in errors[0][1] and "damaged.ccproj" in errors[1][1]
    assert window.bridge.project is project
    assert window.windowTitle() == "t — CollabCoder"


def test_a_second_open_while_one_runs_is_refused_politely(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking to open another project while one is opening says so and changes nothing."""
    first, second = tmp_path / "first.ccproj", tmp_path / "second.ccproj"
    for path in (first, second):
        Project.create(path, coder="Alice").close()
    release = threading.Event()
    real_open = Project.open

    def slow_open(*args: object, **kwargs: object) -> Project:
        assert release.wait(10)
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Project, "open", slow_open)
    outcomes: list[tuple[str, bool]] = []
    window.open_location(str(first), lambda shown: outcomes.append(("first", shown)))
    window.open_location(str(second), lambda shown: outcomes.append(("second", shown)))
    assert outcomes == [("second", False)]
    assert "Opening first.ccproj: wait" in window.statusBar().currentMessage()
    release.set()
    qtbot.waitUntil(lambda: len(outcomes) == 2, timeout=10_000)
    project = window.bridge.project
    assert project is not None and project.location == str(first)
