"""The Shell protocol: modules get only what it holds, and find menus by key, not by text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.core.records import CodeRecord
from collabcoder.gui.actions import ActionRegistry, plain
from collabcoder.gui.codebook_editing import CodebookEditor
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.settings import AppSettings
from collabcoder.gui.shell import MENUS, Shell

from .waiting import settle

# Everything the protocol declares: attributes, properties and methods.
SHELL_MEMBERS = set(Shell.__annotations__) | {
    name for name in vars(Shell) if not name.startswith("_")
}


class ShellOnly:
    """The real main window seen through the Shell protocol alone: asking for anything else
    fails the test. It has its own command registry, so a second editor can register."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.commands = ActionRegistry()
        self.asked: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        assert name in SHELL_MEMBERS, f"{name} is not part of the Shell"
        self.asked.add(name)
        return getattr(self._window, name)


class Answers:
    """Stands in for the codebook dialogs: the name of a new code, the name of a split."""

    def code_fields(self, parent: Any, code: CodeRecord | None, title: str) -> dict[str, Any]:
        assert parent is not None  # dialogs get the shell's widget as their parent
        return {"name": "Leadership"}

    def split(
        self, parent: Any, name: str, segments: list[tuple[int, str, str]], chosen: set[int]
    ) -> tuple[str, list[int]]:
        return "Trust in people", sorted(chosen)


def test_codebook_editing_works_through_the_shell_alone(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """A codebook editor built on nothing but the Shell (the real window behind it) adds a
    code and splits off the segments picked in the Segments dock."""
    assert {"bridge", "widget", "menu", "report"} <= SHELL_MEMBERS
    assert "codebook_dock" not in SHELL_MEMBERS and "panel" not in SHELL_MEMBERS
    shell = ShellOnly(window)
    editor = CodebookEditor(cast(Shell, shell), window.codebook_dock, questions=Answers())
    assert set(shell.commands) == {name for name in editor.actions}
    editor.actions["new_code"].trigger()
    settle(qtbot, window)  # the edit is a write op
    leadership = project.codes.by_path("Leadership")
    assert window.codebook_dock.current_code() == leadership.id
    trust = project.codes.by_path("Drivers/Trust").id
    project.segments.add(1, trust, 0, 10)
    picked = project.segments.add(1, trust, 20, 30)
    window.codebook_dock.select_code(trust)
    dock = window.segments_dock
    dock.table.selectRow([r.segment.id for r in dock.model.rows].index(picked.id))
    editor.actions["split_code"].trigger()
    settle(qtbot, window)
    new = project.codes.by_path("Drivers/Trust in people")
    assert project.segments.get(picked.id).code_id == new.id
    assert {"bridge", "widget", "selected_segment_ids"} <= shell.asked


@pytest.fixture
def translated(
    qtbot: QtBot, project: Project, settings: AppSettings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    """A main window whose menus carry other titles (as a translation would give them)."""
    titles = {"file": "Datei", "edit": "Bearbeiten", "code": "Kodieren", "project": "Projekt",
              "view": "Ansicht", "analyse": "Auswertung", "help": "Hilfe"}  # fmt: skip
    for key, title in titles.items():
        monkeypatch.setitem(MENUS, key, title)
    main = MainWindow(settings=settings, coder="Alice", ask_coder=lambda _w: None)
    qtbot.addWidget(main)
    main.set_project(project)
    yield main
    main.bridge.set_project(None)


def test_menus_are_found_by_key_not_by_their_titles(translated: MainWindow) -> None:
    """With every menu title changed, the modules still put their commands in the right menus:
    codebook editing and suggestions in Code, search in Analyse, speakers in Project, the docks'
    toggles in View."""
    window = translated
    titles = [plain(a.text()) for a in window.menuBar().actions()]
    assert titles == [
        "Datei", "Bearbeiten", "Kodieren", "Projekt", "Ansicht", "Auswertung", "Hilfe"
    ]  # fmt: skip

    submenus = [cast(QMenu, a.menu()) for a in window.menu("code").actions() if a.menu()]
    assert any(window.commands["new_code"] in m.actions() for m in submenus)
    assert window.commands["suggest"] in window.menu("code").actions()
    assert window.commands["train"] in window.menu("code").actions()
    assert window.commands["search"] in window.menu("analyse").actions()
    assert window.commands["speakers"] in window.menu("project").actions()
    view = window.menu("view").actions()
    assert window.search_dock.toggleViewAction() in view
    assert window.suggestions_dock.toggleViewAction() in view
    assert window.commands.menus["undo"] == "Bearbeiten"  # the shortcuts dialog lists titles
