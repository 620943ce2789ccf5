"""File > Team… on the real main window, against a real PostgreSQL team project."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.settings import AppSettings
from collabcoder.gui.team_dialog import TeamDialog
from tests.core.team_fixtures import Team, as_login, team
from tests.gui.waiting import open_project, settle

__all__ = ["team"]  # the fixture


@pytest.fixture
def open_as(qtbot: QtBot, settings: AppSettings, team: Team) -> Iterator[object]:
    """Open the team project in a real main window as one of the team's logins."""
    windows: list[MainWindow] = []

    def opener(login: str) -> MainWindow:
        main = MainWindow(settings=settings, coder="typed name", ask_coder=lambda _w: None)
        qtbot.addWidget(main)
        assert open_project(qtbot, main, as_login(team.url, login))
        main.show()
        windows.append(main)
        return main

    yield opener
    for main in windows:
        main.bridge.set_project(None)


def _team_dialog(window: MainWindow) -> TeamDialog:
    window.commands["team"].trigger()
    dialog = window.findChild(TeamDialog)
    assert dialog is not None
    return dialog


def test_a_lead_manages_members_blind_rounds_and_proposals(
    qtbot: QtBot, team: Team, open_as: object
) -> None:
    """The lead sees every member with their role, adds a viewer, opens and closes a blind
    round and accepts a coder's proposal, which then appears in the codebook dock; the status
    bar names the login and role, not the typed name."""
    ann = team.open(team.ann)
    ann.proposals.propose_code("Shared risk", definition="Risk pooled", reason="every deep dive")
    window = open_as(team.lead)  # type: ignore[operator]
    assert window.coder_label.text() == f"Coder: {team.lead} (lead, by database login)"
    dialog = _team_dialog(window)
    logins = {dialog.members.item(r, 0).text(): dialog.members.item(r, 2).text()
              for r in range(dialog.members.rowCount())}  # fmt: skip
    assert logins == {team.lead: "lead (owner)", team.ann: "coder", team.bob: "coder",
                      team.vera: "viewer"}  # fmt: skip
    dialog.login.setText(team.vera)
    dialog.role.setCurrentText("coder")
    dialog.add_member()
    settle(qtbot, window)
    assert any(dialog.members.item(r, 2).text() == "coder"
               and dialog.members.item(r, 0).text() == team.vera
               for r in range(dialog.members.rowCount()))  # fmt: skip
    assert dialog.blind_button.text() == "Start blind round"
    dialog.toggle_blind()
    settle(qtbot, window)
    assert window.bridge.project.team.blind  # type: ignore[union-attr]
    assert dialog.blind_button.text() == "Stop blind round"
    dialog.toggle_blind()
    settle(qtbot, window)
    assert not window.bridge.project.team.blind  # type: ignore[union-attr]
    assert dialog.proposals.rowCount() == 1 and dialog.proposals.item(0, 1).text() == "Ann"
    dialog.proposals.selectRow(0)
    dialog.accept_button.click()
    settle(qtbot, window)
    assert dialog.proposals.rowCount() == 0 and dialog.problem.text() == ""
    assert "Shared risk" in window.bridge.paths().values()


def test_a_coder_sees_the_team_but_cannot_change_it(
    qtbot: QtBot, team: Team, open_as: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A coder's Team dialog shows their role with the lead's controls disabled; asked anyway,
    the refusal appears in the dialog as one sentence and nothing changes; they can propose a
    code, which is then listed for the lead."""
    window = open_as(team.ann)  # type: ignore[operator]
    dialog = _team_dialog(window)
    assert "coder of this team project" in dialog.whoami.text()
    assert not dialog.add_button.isEnabled() and not dialog.blind_button.isEnabled()
    dialog.toggle_blind()
    settle(qtbot, window)
    assert "only a lead can start or stop a blind round" in dialog.problem.text()
    assert not window.bridge.project.team.blind  # type: ignore[union-attr]
    assert dialog.propose_button.isEnabled()
    dialog.propose("Tension", "Strain between partners")
    settle(qtbot, window)
    assert dialog.problem.text() == ""
    assert dialog.proposals.item(0, 2).text() == (
        "add code 'Tension' (definition: Strain between partners)"
    )


def test_team_on_a_project_file_says_one_laptop_one_person(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a .ccproj file Team… explains that coders are typed names, and opens no dialog."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    window.commands["team"].trigger()
    assert window.findChild(TeamDialog) is None
    assert shown and "one laptop, one person" in shown[0]
