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
    """The dialog shows each model's reading side by side; choosing the UTF-16 row imports every
    quote exactly."""
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
    names = [c.model.name for c in dialog.ambiguous.sources[0].candidates]
    row = names.index("utf16-crlf2-nobom")
    quotes = [dialog.table.item(row, column).text() for column in (1, 2, 3)]
    assert quotes == ["“met”", "“Trust grew”", "“café”"]
    dialog.table.selectRow(row)  # choosing the row whose quotes read right chooses its model
    assert dialog.chosen() == "utf16-crlf2-nobom"
    dialog.accept()
    qtbot.waitUntil(lambda: refi.report_dialog is not None, timeout=20000)
    assert "chosen by the user" in refi.report_dialog.text.toPlainText()  # type: ignore[union-attr]
    refi.report_dialog.close()  # type: ignore[union-attr]
    with Project.open(location, coder="Alice") as back:
        segments = sorted(back.segments.list(), key=lambda s: s.start)
        assert back.segments.quotes(segments) == phrases


def test_each_ambiguous_source_can_be_previewed(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """With two ambiguous sources the dialog names them and shows the one picked; the model
    chosen starts at the best-supported candidate and stays chosen across sources."""
    first = tools.Source("talk", "We 😀 met early.\nTrust grew.\n", ["met", "Trust"])
    second = tools.Source("notes", "Day 🌧 one.\nWe walked.\n", ["one", "walked"])
    archive = tools.write_qdpx(tmp_path / "in.qdpx", "SomeTool 2", tools.NVIVO_WINDOWS,
                               [first, second])  # fmt: skip
    refi = window.files.refi
    refi.import_as_new(archive, tmp_path / "new.ccproj")
    qtbot.waitUntil(lambda: refi.positions_dialog is not None, timeout=20000)
    dialog = refi.positions_dialog
    assert dialog is not None
    assert [dialog.source.itemText(i) for i in range(dialog.source.count())] == ["talk", "notes"]
    best = max(dialog.ambiguous.sources[0].candidates, key=lambda c: c.confirmed)
    assert dialog.chosen() == best.model.name
    dialog.source.setCurrentIndex(1)
    assert dialog.reason.text().startswith("Origin SomeTool 2")
    assert dialog.table.item(0, 1).text().startswith("“")
    assert dialog.chosen() == best.model.name
    dialog.reject()
