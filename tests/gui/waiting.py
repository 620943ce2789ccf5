"""Waiting for the op runner in GUI tests: ops run on worker threads and finish by signal."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from collabcoder.gui.main_window import MainWindow


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Let every op asked for so far finish and its Changes reach the docks."""
    qtbot.waitUntil(lambda: not window.bridge.ops.busy, timeout=10_000)
