"""A batch import that stopped (disk full) tells the researcher, in the real main window, which
files went in and which did not."""

from __future__ import annotations

import pytest

from collabcoder.gui.main_window import MainWindow
from collabcoder.io.batch import BatchResult, ImportedFile


def test_stopped_import_names_what_went_in_and_what_did_not(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stop's reason and both lists of files appear in one message."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(window, "show_error", lambda title, text: shown.append((title, text)))
    result = BatchResult(
        imported=[ImportedFile("/data/a.txt", 1, "a", "document", None, 0, 3)],
        stopped="t.ccproj: no space left on device; nothing was written",
        not_imported=["/data/b.txt", "/data/c.txt"],
    )
    window.files._imported(result)
    assert shown == [
        (
            "The import stopped",
            "t.ccproj: no space left on device; nothing was written\n\n"
            "Imported: a.txt\nNot imported: b.txt, c.txt",
        )
    ]
