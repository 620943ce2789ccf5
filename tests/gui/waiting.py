"""Waiting for the op runner in GUI tests: ops run on worker threads and finish by signal."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from collabcoder.gui.main_window import MainWindow


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Let every op asked for so far finish, its Changes reach the docks and the analysis
    windows recompute (they wait a moment after a change)."""
    qtbot.waitUntil(
        lambda: not window.bridge.ops.busy and not window.analysis.loading, timeout=10_000
    )


def poll(qtbot: QtBot, window: MainWindow) -> bool:
    """Poll the team project once, as the timer does; True when others' changes were found."""
    with qtbot.waitSignal(window.remote.polled, timeout=10_000) as blocker:
        window.remote.poll_now()
    settle(qtbot, window)
    return bool(blocker.args[0])


def open_project(qtbot: QtBot, window: MainWindow, location: str) -> bool:
    """Open ``location`` as File > Open does (on the op runner) and wait for the outcome: True
    once the project is shown, False when it was refused or cancelled."""
    outcome: list[bool] = []
    window.open_location(location, outcome.append)
    qtbot.waitUntil(lambda: bool(outcome), timeout=10_000)
    settle(qtbot, window)
    return outcome[0]
