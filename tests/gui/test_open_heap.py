"""Opening a project leaves what the window built for it out of later collector passes."""

from __future__ import annotations

import gc

from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow


def test_opening_a_project_freezes_what_it_built(window: MainWindow, project: Project) -> None:
    """The open project and the Segments dock's model, built while opening, are no longer
    walked by the collector's full passes (they took up to a second at project scale)."""
    try:
        tracked = gc.get_objects()
        assert not any(o is project for o in tracked)
        assert not any(o is window.segments_dock.model for o in tracked)
    finally:
        gc.unfreeze()
