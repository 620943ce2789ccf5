"""The Matrix and Agreement views on the real main window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.matrix_model import STALE_MARK, SUMMARY_MARK
from tests.gui.waiting import settle


def _code(project: Project, words: str, path: str, coder_id: int | None = None) -> None:
    text = project.documents.text(1)
    start = text.index(words)
    code_id = project.codes.by_path(path).id
    project.segments.add(1, code_id, start, start + len(words), coder_id=coder_id)


def test_matrix_measure_drill_summary_and_stale(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """The matrix counts segments, changes measure, shows a cell's quotes, stores its summary
    and marks it stale once the evidence under it changes."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    settle(qtbot, window)
    _code(project, "Funding was the hard part", "Drivers/Funding")
    settle(qtbot, window)
    matrix = window.analysis.show_matrix()
    settle(qtbot, window)
    assert matrix is not None and matrix.isVisible()
    model = matrix.model
    assert model.heat.rows == ["Wirral Council"]
    assert [path for _, path, _ in model.heat.codes] == ["Drivers", "Barriers"]
    assert model.data(model.index(0, 0)) == "2"  # parent rolls up its two children
    matrix.measure.setCurrentIndex(matrix.measure.findData("words"))
    settle(qtbot, window)
    assert model.heat.measure == "words" and model.value(0, 0) == 8
    assert model.shade(model.value(0, 0)) is not None and model.shade(0) is None
    matrix.measure.setCurrentIndex(matrix.measure.findData("segments"))
    settle(qtbot, window)
    matrix.open_cell(model.index(0, 0))
    panel = matrix.cell_panel
    assert panel.quotes.rowCount() == 2
    quotes = {panel.quotes.item(r, 0).text() for r in range(2)}
    assert quotes == {"Trust grew slowly", "Funding was the hard part"}
    assert panel.quotes.item(0, 2).text() == "Participant"
    panel.summary.setPlainText("Trust and money drive it.")
    panel.save()
    settle(qtbot, window)
    (summary,) = project.summaries.list()
    assert summary.text == "Trust and money drive it."
    assert str(model.data(model.index(0, 0))).endswith(SUMMARY_MARK)
    _code(project, "What changed?", "Drivers/Trust")  # new evidence under the summary
    settle(qtbot, window)
    assert model.data(model.index(0, 0)) == "3" + STALE_MARK
    assert "STALE" in panel.status.text()
    panel.quotes.cellActivated.emit(0, 0)
    assert window.panel.view.document_id == 1


def test_summary_conflict_shows_both_versions(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """When another coder saved the cell first, nothing is overwritten and both texts show."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    settle(qtbot, window)
    matrix = window.analysis.show_matrix()
    settle(qtbot, window)
    assert matrix is not None
    matrix.open_cell(matrix.model.index(0, 0))
    panel = matrix.cell_panel
    other = Project.open(project.location, coder="Bob")
    try:
        case_id = project.cases.by_name("Wirral Council").id
        code_id = project.codes.by_path("Drivers").id
        other.summaries.set(case_id, code_id, "Bob's view", "x", expected_version=0)
    finally:
        other.close()
    panel.summary.setPlainText("Alice's view")
    panel.save()
    settle(qtbot, window)
    assert "Bob" in panel.conflict.text() and "Alice's view" in panel.conflict.text()
    assert project.summaries.list()[0].text == "Bob's view"
    panel.save()  # saving again, having seen theirs, replaces it knowingly
    settle(qtbot, window)
    assert panel.conflict.text() == ""
    assert project.summaries.list()[0].text == "Alice's view"


def test_matrix_filters_and_case_groups(qtbot: QtBot, window: MainWindow, project: Project) -> None:
    """Coder filter drops other coders' segments; rows by attribute disable summaries."""
    bob = project.coders.register("Bob")
    _code(project, "Trust grew slowly", "Drivers/Trust")
    settle(qtbot, window)
    _code(project, "Funding was the hard part", "Barriers", coder_id=bob.id)
    settle(qtbot, window)
    attribute = project.attributes.add("Scope", "text")
    project.attributes.set_value(project.cases.by_name("Wirral Council").id, attribute.id, "local")
    matrix = window.analysis.show_matrix()
    settle(qtbot, window)
    assert matrix is not None
    matrix.coders.set_chosen(["Bob"])
    settle(qtbot, window)
    assert matrix.model.heat.values == [[0.0, 1.0]]
    matrix.coders.set_chosen([])
    settle(qtbot, window)
    matrix.rows.setCurrentIndex(matrix.rows.findData("Scope"))
    settle(qtbot, window)
    assert matrix.model.heat.rows == ["local"]
    matrix.open_cell(matrix.model.index(0, 1))
    assert not matrix.cell_panel.summary.isEnabled()
    assert matrix.cell_panel.quotes.rowCount() == 1


def test_agreement_view_shows_kappa_and_jumps(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Only coders who coded are offered (both ticked when there are two); their overlapping
    coding gives kappa per code; a disagreement jumps to its text."""
    bob = project.coders.register("Bob")
    _code(project, "Trust grew slowly", "Drivers/Trust")
    settle(qtbot, window)
    _code(project, "Trust grew", "Drivers/Trust", coder_id=bob.id)
    settle(qtbot, window)
    project.coders.register("Cy")  # a team member who has coded nothing
    view = window.analysis.show_agreement()
    assert view is not None
    listed = [view.coders.item(row).text() for row in range(view.coders.count())]
    assert listed == ["Alice", "Bob"] and view.chosen_coders() == ["Alice", "Bob"]
    view.unit.setCurrentIndex(view.unit.findData("char"))
    settle(qtbot, window)
    view.compute()
    settle(qtbot, window)
    assert view.report is not None and view.report.overall.kappa is not None
    headers = [view.scores.horizontalHeaderItem(c).text() for c in range(view.scores.columnCount())]
    assert "cohen kappa" in headers and "krippendorff alpha" in headers
    assert "Cohen's kappa" in view.message.text()
    assert view.disagreements.rowCount() == 1
    view.disagreements.cellActivated.emit(0, 0)
    cursor = window.panel.view.textCursor()
    assert cursor.selectedText() == " slowly"


def test_agreement_needs_two_coders(qtbot: QtBot, window: MainWindow) -> None:
    """With fewer than two coders ticked the view says so instead of failing."""
    view = window.analysis.show_agreement()
    assert view is not None
    view.set_coders(["Alice"])
    view.compute()
    settle(qtbot, window)
    assert view.report is None and "2 to" in view.message.text()


def test_matrix_export_to_excel(
    qtbot: QtBot, window: MainWindow, project: Project, tmp_path: Path
) -> None:
    """Export to Excel writes the workbook on the worker with its Matrix and Evidence sheets."""
    from openpyxl import load_workbook

    _code(project, "Trust grew slowly", "Drivers/Trust")
    settle(qtbot, window)
    matrix = window.analysis.show_matrix()
    settle(qtbot, window)
    assert matrix is not None
    target = tmp_path / "out.xlsx"
    matrix.export_to(target)
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=20000)
    sheets = load_workbook(target, read_only=True).sheetnames
    assert sheets[:3] == ["Matrix", "Framework", "Evidence"]


def test_cooccurrence_view_counts_and_jaccard(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Codes coded in one turn co-occur there, not as overlapping passages; Jaccard is shown on
    request; new coding refreshes the open view."""
    _code(project, "Trust grew slowly", "Drivers/Trust")
    settle(qtbot, window)
    _code(project, "Funding was the hard part", "Drivers/Funding")
    settle(qtbot, window)
    view = window.analysis.show_cooccurrence()
    settle(qtbot, window)
    assert view is not None
    view.depth_box.setValue(0)  # every code
    settle(qtbot, window)
    names = [
        view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(view.model.columnCount())
    ]
    trust, funding = names.index("Trust"), names.index("Funding")
    assert view.model.value(trust, funding) == 0  # the passages do not overlap
    view.mode.setCurrentIndex(view.mode.findData("turn"))
    settle(qtbot, window)
    assert view.model.value(trust, funding) == 1 and view.model.value(trust, trust) == 1
    view.value.setCurrentIndex(view.value.findData("jaccard"))
    settle(qtbot, window)
    assert view.model.value(trust, funding) == 1.0
    assert view.model.data(view.model.index(trust, funding)) == "1.00"
    _code(project, "decided to trust each other", "Drivers/Trust")
    settle(qtbot, window)
    assert view.model.value(trust, funding) == 0.5  # trust now in two turns, funding in one


def test_cli_and_gui_offer_the_measures_of_the_registry(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """The Matrix window's Measure box and ``collabcoder matrix --measure`` read one registry."""
    from collabcoder.cli import build_parser
    from collabcoder.synthesis.measures import MEASURES, REGISTRY

    matrix = window.analysis.show_matrix()
    assert matrix is not None
    box = matrix.measure
    assert [box.itemData(i) for i in range(box.count())] == list(MEASURES)
    assert [box.itemText(i) for i in range(box.count())] == [m.name for m in REGISTRY]
    parser = build_parser()
    for measure in MEASURES:
        assert parser.parse_args(["matrix", "p.ccproj", "--measure", measure]).measure == measure
    settle(qtbot, window)
