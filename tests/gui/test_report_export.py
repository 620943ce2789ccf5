"""File > Export report and the Excel export as the user meets them: suggested file names,
the options dialog, the worker, and the "Saved to" notice whose links open the folder or file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.gui import export_files, report_export
from collabcoder.gui.export_files import SavedNotice, default_export_path
from collabcoder.gui.main_window import MainWindow


def _code(project: Project, words: str, path: str) -> None:
    text = project.documents.text(1)
    start = text.index(words)
    project.segments.add(1, project.codes.by_path(path).id, start, start + len(words))


def _save_as(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    """Answer the save dialog with ``target``; returns the names it suggested."""
    suggested: list[str] = []

    def answer(_parent: Any, _title: str, proposed: str, _filter: str) -> tuple[str, str]:
        suggested.append(proposed)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return suggested


def _opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    opened: list[QUrl] = []
    monkeypatch.setattr(export_files.QDesktopServices, "openUrl", staticmethod(opened.append))
    return opened


def test_default_export_path_names_project_and_date(tmp_path: Path) -> None:
    """A suggested name is the project's, what is exported and today's date, beside the project
    file, with characters no file name may hold replaced; database projects go home."""
    today = date.today().isoformat()
    path = default_export_path(str(tmp_path / "s.ccproj"), 'Study: A/B "x"', "report", ".docx")
    assert path == tmp_path / f"Study- A-B -x- report {today}.docx"
    remote = default_export_path("postgresql://h/db", "Team", "synthesis", ".xlsx")
    assert remote == Path.home() / f"Team synthesis {today}.xlsx"


def test_export_report_from_the_file_menu(
    qtbot: QtBot,
    window: MainWindow,
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """File > Export report asks for the options, suggests '<project> report <date>.docx', writes
    the report on the worker with the options chosen, and says where it went with links that
    open the folder and the file."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    _code(project, "Funding was the hard part", "Drivers/Funding")

    def choose(dialog: report_export.ReportDialog) -> int:
        dialog.by.setCurrentIndex(dialog.by.findData("case"))
        dialog.depth_box.setValue(2)
        dialog.quotes_box.setValue(1)
        dialog.cases.set_chosen(["Wirral Council"])
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(report_export.ReportDialog, "exec", choose)
    target = tmp_path / "out" / "study report.docx"
    target.parent.mkdir()
    suggested = _save_as(monkeypatch, target)
    opened = _opened(monkeypatch)
    window.commands["export_report"].trigger()
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=20000)
    assert Path(suggested[0]).name == f"{project.name} report {date.today().isoformat()}.docx"
    document = docx.Document(str(target))
    headings = [(p.style.name, p.text) for p in document.paragraphs]
    findings = headings[headings.index(("Heading 1", "Findings by case")) :]
    assert [t for s, t in findings if s.startswith("Heading")] == [
        "Findings by case",
        "Wirral Council",
        "Drivers / Trust",  # depth 2: the sub-codes are sections of their own
        "Drivers / Funding",
    ]
    assert [p.text for p in document.paragraphs if p.style.name == "Quote"] == [
        "Trust grew slowly",
        "Funding was the hard part",
    ]
    notice = window.findChild(SavedNotice, "savedNotice")
    assert notice is not None and notice.isVisible()
    assert "Saved to study report.docx" in notice.text()
    for link in ("Open folder", "Open file"):
        href = notice.text().split(f'">{link}')[0].rsplit('href="', 1)[1]
        notice.linkActivated.emit(href)
    assert [Path(url.toLocalFile()) for url in opened] == [target.parent, target]


def test_excel_export_suggests_a_name_and_says_where(
    qtbot: QtBot,
    window: MainWindow,
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The Matrix window's Export to Excel suggests '<project> synthesis <date>.xlsx' beside the
    project and shows the same Saved to notice."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    matrix = window.analysis.show_matrix()
    assert matrix is not None
    target = tmp_path / "m.xlsx"
    suggested = _save_as(monkeypatch, target)
    matrix.export_dialog()
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=20000)
    assert Path(suggested[0]).parent == Path(project.location).resolve().parent
    assert Path(suggested[0]).name.endswith(f"synthesis {date.today().isoformat()}.xlsx")
    notice = window.findChild(SavedNotice, "savedNotice")
    assert notice is not None and "Saved to m.xlsx" in notice.text() and target.exists()
