"""The real main window on a real X server (``make test-xvfb`` runs this under Xvfb at 1280x720
and 1366x768): it opens, fits the screen, leaves the document most of the width, and a long
document name never widens it. Skipped on the offscreen platform."""

from __future__ import annotations

import os

import pytest
from PySide6.QtGui import QGuiApplication

from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.settings import AppSettings

pytestmark = pytest.mark.skipif(
    os.environ.get("QT_QPA_PLATFORM") != "xcb" or not os.environ.get("DISPLAY"),
    reason="needs an X server (make test-xvfb runs it under Xvfb)",
)


@pytest.fixture
def real_window(qtbot: object, project: Project, settings: AppSettings) -> MainWindow:
    """The main window as a user first sees it: fresh settings, sized by itself, shown."""
    main = MainWindow(settings=settings, coder="Alice", ask_coder=lambda _w: None)
    qtbot.addWidget(main)  # type: ignore[attr-defined]
    main.set_project(project)
    main.show()
    qtbot.waitExposed(main)  # type: ignore[attr-defined]
    return main


def test_the_window_opens_on_the_screen_and_fits_it(real_window: MainWindow) -> None:
    """On the xcb platform the window is exposed, lies wholly inside the available desktop, and
    the document pane gets at least half the window's width."""
    assert QGuiApplication.platformName() == "xcb"
    room = real_window.screen().availableGeometry()
    wanted = os.environ.get("CC_XVFB_SCREEN")
    if wanted:
        width, height = (int(n) for n in wanted.split("x"))
        assert real_window.screen().geometry().size().toTuple() == (width, height)
    assert room.contains(real_window.geometry())
    assert real_window.panel.view.width() >= real_window.width() * 0.5


def test_a_long_document_name_does_not_widen_the_window(
    qtbot: object, real_window: MainWindow, project: Project
) -> None:
    """Opening a document with a 300-character name keeps the window's width; the name is
    elided in the middle and whole in the tooltip."""
    name = "A very long interview title " * 10 + "ending here"
    doc = project.documents.add(NewDocument(name, "Some words.")).id
    before = real_window.width()
    real_window.open_document(doc)
    qtbot.wait(50)  # type: ignore[attr-defined]
    assert real_window.width() == before
    shown = real_window.panel.title.shown_text()
    assert "…" in shown and shown.endswith("document")
    assert name in real_window.panel.title.toolTip()


def test_the_analysis_windows_fit_the_screen(real_window: MainWindow) -> None:
    """The Matrix and co-occurrence windows open inside the available desktop."""
    room = real_window.screen().availableGeometry()
    for opened in (real_window.analysis.show_matrix(), real_window.analysis.show_cooccurrence()):
        assert opened is not None
        assert opened.width() <= room.width() and opened.height() <= room.height()
