"""File > Import REFI-QDA project with an ambiguous file: preview, choice, then the import."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow
from tests.io import refi_tools as tools


def test_ambiguous_file_asks_for_the_model_then_imports_exactly(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """The dialog previews each model's reading; choosing UTF-16 imports every quote exactly."""
    text = "Ann: We 😀 met early.\nBob: Trust grew slowly.\nCat: The café was our office.\n"
    phrases = ["met", "Trust grew", "café"]
    archive = tools.write_qdpx(
        tmp_path / "in.qdpx",
        "SomeTool 2",
        tools.NVIVO_WINDOWS,
        [tools.Source("talk", text, phrases)],
    )
    location = tmp_path / "new.ccproj"
    refi = window.files.refi
    refi.import_as_new(archive, location)
    qtbot.waitUntil(lambda: refi.positions_dialog is not None, timeout=20000)
    dialog = refi.positions_dialog
    assert dialog is not None and not location.exists()
    assert "utf16-crlf2-nobom" in dialog.preview.toPlainText()
    dialog.choice.setCurrentIndex(dialog.choice.findData("utf16-crlf2-nobom"))
    dialog.accept()
    qtbot.waitUntil(lambda: refi.report_dialog is not None, timeout=20000)
    assert "chosen by the user" in refi.report_dialog.text.toPlainText()  # type: ignore[union-attr]
    refi.report_dialog.close()  # type: ignore[union-attr]
    with Project.open(location, coder="Alice") as back:
        segments = sorted(back.segments.list(), key=lambda s: s.start)
        assert back.segments.quotes(segments) == phrases
