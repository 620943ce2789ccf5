"""GUI test fixtures: offscreen Qt, throwaway settings, a small project, the real main window."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.settings import AppSettings

TURNS = [
    ("Interviewer", "[00:00:03] Interviewer: How did the partnership start?"),
    (
        "Participant",
        "[00:00:10] Participant: It started badly 😀 honestly. We had contracts that told "
        "providers what to do. Then we decided to trust each other.",
    ),
    ("Interviewer", "[00:01:02] Interviewer: What changed?"),
    (
        "Participant",
        "[00:01:09] Participant: Café owners joined 👩‍👩‍👧 the board. Trust grew slowly. "
        "Funding was the hard part.",
    ),
]


def transcript() -> tuple[str, list[NewTurn]]:
    """A transcript with emoji (astral characters) before the passages tests code."""
    text, turns = "", []
    for speaker, line in TURNS:
        if text:
            text += "\n\n"
        start = len(text)
        text += line
        turns.append(NewTurn(speaker, start, len(text), line[1:9], None))
    return text, turns


@pytest.fixture(autouse=True)
def _private_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point every default QSettings at a temporary folder: tests never touch real settings."""
    folder = tmp_path_factory.mktemp("settings")
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(folder))
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A project with three codes, one case and one transcript with emoji."""
    codebook = [
        CodeSpec(name="Drivers", children=[CodeSpec(name="Trust"), CodeSpec(name="Funding")]),
        CodeSpec(name="Barriers"),
    ]
    project = Project.create(tmp_path / "t.ccproj", coder="Alice", codebook=codebook)
    case = project.cases.add("Wirral Council")
    text, turns = transcript()
    project.documents.add(
        NewDocument(name="Interview 1", text=text, kind="transcript", turns=turns, case_id=case.id)
    )
    return project


@pytest.fixture
def window(qtbot: object, project: Project, settings: AppSettings) -> Iterator[MainWindow]:
    """The real main window, showing ``project`` as coder Alice."""
    main = MainWindow(settings=settings, coder="Alice", ask_coder=lambda _w: None)
    qtbot.addWidget(main)  # type: ignore[attr-defined]
    main.set_project(project)
    main.resize(1400, 900)
    main.show()
    yield main
    main.bridge.set_project(None)
