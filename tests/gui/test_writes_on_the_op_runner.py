"""Every write the window makes runs on the op runner's writer thread, one undo step each, and
writes asked for while another runs wait for it and run in the order they were asked."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from collabcoder.core.changes import Changes
from collabcoder.core.project import Project
from collabcoder.core.records import CodeRecord
from collabcoder.core.suggestions import NewSuggestion
from collabcoder.gui.assign_cases import Assignment
from collabcoder.gui.main_window import MainWindow
from tests.gui.waiting import settle


class Answers:
    """Answers the codebook editor's questions at once (no modal dialogs)."""

    fields: dict[str, Any] = {"name": "Leadership"}

    def code_fields(self, parent: Any, code: CodeRecord | None, title: str) -> dict[str, Any]:
        return dict(self.fields)

    def choose_code(self, parent: Any, title: str, label: str, paths: list[str]) -> str:
        return "Barriers"

    def split(
        self, parent: Any, name: str, segments: list[tuple[int, str, str]], chosen: set[int]
    ) -> tuple[str, list[int]]:
        return "Trust in people", [segments[0][0]]

    def delete_segments(self, *args: Any) -> str:
        return "delete"


@pytest.fixture
def writers(project: Project) -> Iterator[list[threading.Thread]]:
    """The thread of every step the project broadcasts from now on."""
    seen: list[threading.Thread] = []

    def heard(_changes: Changes) -> None:
        seen.append(threading.current_thread())

    unsubscribe = project.subscribe(heard)
    yield seen
    unsubscribe()


def _code(window: MainWindow, path: str) -> int:
    project = window.bridge.require()
    return project.codes.by_path(path).id


def _select(window: MainWindow, path: str) -> None:
    window.codebook_dock.select_code(_code(window, path))


def _offer(project: Project) -> None:
    text = project.documents.text(1)
    items = []
    for path, words, score in (
        ("Drivers/Trust", "decided to trust each other", 0.95),
        ("Drivers/Funding", "Funding was the hard part", 0.9),
        ("Drivers/Trust", "Trust grew slowly", 0.85),
    ):
        start = text.index(words)
        code = project.codes.by_path(path).id
        items.append(NewSuggestion(1, code, start, start + len(words), score, "lexical", words))
    project.suggestions.replace_open(items, [1])


def new_code(window: MainWindow) -> None:
    window.codebook_editor.actions["new_code"].trigger()


def edit_code(window: MainWindow) -> None:
    _select(window, "Barriers")
    window.codebook_editor.actions["edit_code"].trigger()


def move_code(window: MainWindow) -> None:
    window.codebook_editor.move_codes([_code(window, "Barriers")], _code(window, "Drivers"))


def split_code(window: MainWindow) -> None:
    _select(window, "Drivers/Trust")
    window.codebook_editor.actions["split_code"].trigger()


def merge_code(window: MainWindow) -> None:
    _select(window, "Drivers/Funding")
    window.codebook_editor.actions["merge_code"].trigger()


def delete_code(window: MainWindow) -> None:
    _select(window, "Drivers/Funding")
    window.codebook_editor.actions["delete_code"].trigger()


def accept_suggestion(window: MainWindow) -> None:
    window.suggestions_dock.accept_current()


def reject_suggestion(window: MainWindow) -> None:
    window.suggestions_dock.reject_current()


def accept_above(window: MainWindow) -> None:
    dock = window.suggestions_dock
    dock.bulk_code.setCurrentIndex(dock.bulk_code.findData(_code(window, "Drivers/Trust")))
    dock.threshold.setValue(0.8)
    dock.accept_above()


def write_memo(window: MainWindow) -> None:
    window.memos_dock.start_memo("document", 1)
    window.memos_dock.body.setPlainText("Trust comes up in every answer.")
    window.memos_dock.save()


def assign_cases(window: MainWindow) -> None:
    window.cases_dock.apply(Assignment((1,), "Leeds Hub"))


def set_attribute(window: MainWindow) -> None:
    project = window.bridge.require()
    project.attributes.add("Scope", "text")  # set up on the test's thread, before the edit
    window.cases_dock.cases_model.reload()
    window.cases_dock.cases_model.setData(window.cases_dock.cases_model.index(0, 1), "local")


def add_case(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("Oldham Council", True))
    window.cases_dock.add_case()


ACTIONS: dict[str, Callable[..., None]] = {
    f.__name__: f
    for f in (
        new_code,
        edit_code,
        move_code,
        split_code,
        merge_code,
        delete_code,
        accept_suggestion,
        reject_suggestion,
        accept_above,
        write_memo,
        assign_cases,
        add_case,
    )
}


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_write_runs_on_the_writer_thread_as_one_step(
    qtbot: QtBot,
    window: MainWindow,
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    """The command's step is broadcast from the writer thread, never the GUI thread, and adds
    exactly one step to Edit > Undo."""
    window.codebook_editor.questions = Answers()
    text = project.documents.text(1)
    trust = project.codes.by_path("Drivers/Trust").id
    for words in ("Trust grew slowly", "Café owners"):
        start = text.index(words)
        project.segments.add(1, trust, start, start + len(words))
    _offer(project)
    settle(qtbot, window)
    before = len(project.operations())
    seen: list[threading.Thread] = []
    unsubscribe = project.subscribe(lambda _c: seen.append(threading.current_thread()))
    try:
        action = ACTIONS[name]
        action(window, monkeypatch) if name == "add_case" else action(window)
        settle(qtbot, window)
    finally:
        unsubscribe()
    assert seen and threading.main_thread() not in seen
    assert len(project.operations()) == before + 1


def test_attribute_edit_runs_on_the_writer_thread(
    qtbot: QtBot, window: MainWindow, project: Project, writers: list[threading.Thread]
) -> None:
    """Editing a case's attribute in the table writes on the writer thread."""
    set_attribute(window)
    settle(qtbot, window)
    assert project.attributes.values() and writers[-1] is not threading.main_thread()


def test_writes_asked_while_one_runs_queue_in_order(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """New code, then an edit of it, then Undo, all asked while another write holds the writer:
    nothing runs beside it, then they run in the order asked, so Undo undoes the edit."""
    answers = Answers()
    window.codebook_editor.questions = answers
    release, running = threading.Event(), threading.Event()

    def hold(_p: Project) -> None:
        running.set()
        assert release.wait(10)

    window.bridge.ops.run_op("Hold the writer", hold)
    assert running.wait(5)
    window.codebook_editor.actions["new_code"].trigger()
    _select(window, "Barriers")
    answers.fields = {"name": "Obstacles"}
    window.codebook_editor.actions["edit_code"].trigger()
    window.commands["undo"].trigger()
    qtbot.wait(50)
    assert "Leadership" not in project.codes.paths().values()  # nothing ran beside the hold
    release.set()
    settle(qtbot, window)
    paths = set(project.codes.paths().values())
    assert "Leadership" in paths and "Barriers" in paths and "Obstacles" not in paths
    assert project.undo_label == "Add code Leadership" and project.redo_label == (
        "Rename code to Obstacles"
    )
