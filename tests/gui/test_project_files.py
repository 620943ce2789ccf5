"""File menu on the real main window: import preview, REFI-QDA exchange, team projects."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.team import TeamProjectDialog, connection_url, without_password
from tests.gui.waiting import poll


def _write_files(folder: Path) -> tuple[Path, Path]:
    good = folder / "call.txt"
    good.write_text(
        "Ann: We trust each other now.\nBob: Since when?\nAnn: Since last spring.\n",
        encoding="utf-8",
    )
    bad = folder / "empty.txt"
    bad.write_bytes(b"")
    return good, bad


def test_import_preview_then_import_into_chosen_case(
    qtbot: QtBot, window: MainWindow, project: Project, tmp_path: Path
) -> None:
    """The preview lists speakers with turn counts and bad files; accepting imports the good
    file into the case typed in the dialog, and importing it again skips the duplicate."""
    good, bad = _write_files(tmp_path)
    window.files.preview([good, bad])
    qtbot.waitUntil(lambda: window.files.import_preview is not None, timeout=10000)
    dialog = window.files.import_preview
    assert dialog is not None
    assert dialog.table.item(0, 3).text() == "Ann ×2, Bob ×1"
    assert "empty" in dialog.table.item(1, 3).text()
    assert dialog.importable() == [good]
    dialog.case.setEditText("Leeds")
    dialog.accept()
    qtbot.waitUntil(lambda: len(project.documents.list()) == 2, timeout=10000)
    added = project.documents.list()[-1]
    assert added.case_id is not None and project.cases.get(added.case_id).name == "Leeds"
    assert [t.speaker for t in project.documents.turns(added.id)] == ["Ann", "Bob", "Ann"]
    window.files.import_preview = None
    window.files.preview([good])
    qtbot.waitUntil(lambda: window.files.import_preview is not None, timeout=10000)
    again = window.files.import_preview
    assert again is not None
    again.accept()
    qtbot.waitUntil(lambda: "skipped 1" in window.statusBar().currentMessage(), timeout=10000)
    assert len(project.documents.list()) == 2


def test_files_dropped_on_documents_dock_are_previewed(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """Dropping a folder on the Documents dock previews the readable files inside it."""
    _write_files(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path))])
    target = window.cases_dock.documents.viewport()
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Qt delivers a real drop only during a platform drag, so hand the event to the filter.
    assert window.file_drops.eventFilter(target, event)
    qtbot.waitUntil(lambda: window.files.import_preview is not None, timeout=10000)
    names = {p.name for p in window.files.import_preview.importable()}  # type: ignore[union-attr]
    assert names == {"call.txt"}


def test_qdpx_export_then_import_as_new_project(
    qtbot: QtBot, window: MainWindow, project: Project, tmp_path: Path
) -> None:
    """Export writes a .qdpx and shows the fidelity report; importing it as a new project opens
    that project with the same document and coded text."""
    text = project.documents.text(1)
    start = text.index("Trust grew slowly")
    project.segments.add(1, project.codes.by_path("Drivers/Trust").id, start, start + 17)
    archive = tmp_path / "out.qdpx"
    window.files.refi.export_to(archive)
    qtbot.waitUntil(lambda: window.files.refi.report_dialog is not None, timeout=20000)
    dialog = window.files.refi.report_dialog
    assert dialog is not None and archive.exists()
    assert "1 documents" in dialog.text.toPlainText()
    dialog.close()
    window.files.refi.report_dialog = None
    location = tmp_path / "copy.ccproj"
    window.files.refi.import_as_new(archive, location)
    qtbot.waitUntil(lambda: window.files.refi.report_dialog is not None, timeout=20000)
    opened = window.bridge.require()
    assert Path(opened.location) == location
    (document,) = opened.documents.list()
    (segment,) = opened.segments.list()
    assert opened.documents.text(document.id)[segment.start : segment.end] == "Trust grew slowly"
    report = window.files.refi.report_dialog
    assert report is not None
    report.close()


def test_qdpx_merge_into_open_project_reports(
    qtbot: QtBot, window: MainWindow, project: Project, tmp_path: Path
) -> None:
    """Merging a project's own export back adds nothing new and still shows the report."""
    from collabcoder.io.refi.project_export import export_qdpx

    archive = tmp_path / "same.qdpx"
    export_qdpx(project, archive)
    window.files.refi.merge_from(archive)
    qtbot.waitUntil(lambda: window.files.refi.report_dialog is not None, timeout=20000)
    assert len(project.documents.list()) == 1
    assert "Imported" in window.files.refi.report_dialog.text.toPlainText()  # type: ignore[union-attr]
    window.files.refi.report_dialog.close()  # type: ignore[union-attr]


def test_remote_changes_refresh_the_views(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Another coder's new document, seen by polling the shared file, appears in the dock."""
    other = Project.open(project.location, coder="Bob")
    try:
        other.documents.add(
            NewDocument(name="Field notes", text="Met at the café.", kind="document")
        )
    finally:
        other.close()
    assert window.cases_dock.documents.topLevelItemCount() == 1
    assert poll(qtbot, window)
    assert window.cases_dock.documents.topLevelItemCount() == 2  # plus "Not assigned"
    assert not window.remote.timer.isActive()  # a local file is not polled on a timer
    assert not poll(qtbot, window)  # nothing new since


def test_team_dialog_keeps_password_out_of_the_location(qtbot: QtBot, window: MainWindow) -> None:
    """The password goes into the connection URL only; what is shown or stored has none."""
    dialog = TeamProjectDialog(window, "postgresql+psycopg://ann@db.example/study")
    qtbot.addWidget(dialog)
    dialog.password.setText("s3cret/pw")
    url = dialog.location()
    assert (
        "s3cret" in url and without_password(url) == "postgresql+psycopg://ann:***@db.example/study"
    )
    assert connection_url("postgresql+psycopg://ann@h/db", "") == "postgresql+psycopg://ann@h/db"
    dialog.url.setText("not a url")
    assert not dialog.open_button.isEnabled()
