"""Opening a project another window already has: the real main window says who has it and
opens it read-only or alongside, as the researcher chooses; never as an unaware second writer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from collabcoder.core.presence import Presence, current_holder
from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.settings import AppSettings
from tests.gui.waiting import open_project


def _answer(button_text: str, seen: list[str]) -> None:
    """Click ``button_text`` in the question box once it is shown, recording its message."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        for button in box.buttons():
            if button.text() == button_text:
                button.click()
                return
        box.reject()

    QTimer.singleShot(0, click)


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    path = tmp_path / "shared.ccproj"
    Project.create(path, coder="Bob").close()
    return path


@pytest.mark.parametrize(
    ("button", "read_only"), [("Open read-only", True), ("Work alongside", False)]
)
def test_second_window_is_told_who_has_the_project(
    qtbot: QtBot, window: MainWindow, shared: Path, button: str, read_only: bool
) -> None:
    """With Bob's window holding the file, opening it asks, naming Bob, and opens it as chosen."""
    bob = Presence.claim(shared, "Bob")
    seen: list[str] = []
    try:
        _answer(button, seen)
        assert open_project(qtbot, window, str(shared))
        assert seen and seen[0].startswith("shared.ccproj: open in another window by Bob (on ")
        project = window.bridge.project
        assert project is not None and project.location == str(shared)
        assert project.read_only is read_only
    finally:
        assert bob is not None
        bob.release()


def test_cancel_leaves_the_current_project_open(
    qtbot: QtBot, window: MainWindow, project: Project, shared: Path
) -> None:
    """Cancelling the question keeps the window on the project it had."""
    bob = Presence.claim(shared, "Bob")
    try:
        _answer("Cancel", [])
        assert not open_project(qtbot, window, str(shared))
        assert window.bridge.project is project
    finally:
        assert bob is not None
        bob.release()


def test_opening_claims_the_project_for_this_window(
    qtbot: QtBot, window: MainWindow, shared: Path
) -> None:
    """A project opened with nobody else on it is claimed, so the next window will be told."""
    assert open_project(qtbot, window, str(shared))
    holder = current_holder(shared)
    assert holder is not None and holder.coder == "Alice"
    assert window.files.presence is not None
    window.files.presence.release()


def test_closing_the_window_gives_up_its_claim(
    qtbot: QtBot, window: MainWindow, shared: Path, settings: AppSettings
) -> None:
    """A closed window no longer holds the project: a window opened after it in the same
    session opens it without being asked (the GUI bench hung on that question)."""
    assert open_project(qtbot, window, str(shared))
    window.close()
    assert current_holder(shared) is None
    later = MainWindow(settings=settings, coder="Alice", ask_coder=lambda _w: None)
    qtbot.addWidget(later)
    assert open_project(qtbot, later, str(shared)) and later.files.presence is not None
    later.close()
