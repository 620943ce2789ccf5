"""The Suggestions dock in the real main window: review by keyboard, bulk accept, run suggesters."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from collabcoder.core.project import Project
from collabcoder.core.suggestions import NewSuggestion
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.suggestions_dock import SuggestionsDock
from tests.gui.waiting import settle

# (code path, words, score): offered best first.
OFFERED = (
    ("Drivers/Trust", "decided to trust each other", 0.95),
    ("Drivers/Funding", "Funding was the hard part", 0.9),
    ("Drivers/Trust", "Trust grew slowly", 0.85),
    ("Barriers", "It started badly", 0.4),
)


def _offer(project: Project) -> None:
    document = project.documents.list()[0]
    text = project.documents.text(document.id)
    items = []
    for path, words, score in OFFERED:
        start = text.index(words)
        code = project.codes.by_path(path).id
        items.append(
            NewSuggestion(document.id, code, start, start + len(words), score, "lexical", words)
        )
    project.suggestions.replace_open(items, [document.id])


def _dock(window: MainWindow) -> SuggestionsDock:
    dock = window.suggestions_dock
    dock.show()
    dock.raise_()
    dock.table.setFocus()
    return dock


def _passages(dock: SuggestionsDock) -> list[str]:
    return [row.passage for row in dock.model.rows]


def _current(dock: SuggestionsDock) -> str:
    row = dock.current()
    assert row is not None
    return row.passage


def test_dock_lists_suggestions_best_first_with_outlines(
    window: MainWindow, project: Project
) -> None:
    """Open suggestions of the document show by score with reason; each gets an outline."""
    _offer(project)
    dock = _dock(window)
    assert _passages(dock) == [words for _p, words, _s in OFFERED]
    assert dock.model.rows[0].suggestion.reason == "decided to trust each other"
    assert dock.model.index(0, 1).data() == "95 %"
    assert len(dock.overlay.outlines) == len(OFFERED)
    assert dock.overlay.current == dock.model.rows[0].suggestion.id
    assert not window.grab().isNull()  # painting the dashed outlines works


def test_accept_reject_and_skip_by_keyboard(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """A accepts (a "suggestion" segment), R rejects, S skips, Enter accepts, Delete rejects."""
    _offer(project)
    dock = _dock(window)
    table = dock.table
    qtbot.keyClick(table, Qt.Key.Key_A)
    settle(qtbot, window)
    (segment,) = project.segments.list()
    assert project.segments.quotes([segment]) == ["decided to trust each other"]
    assert segment.origin == "suggestion"
    assert window.commands["undo"].text().replace("&", "") == "Undo Accept suggestion"
    assert _current(dock) == "Funding was the hard part"
    qtbot.keyClick(table, Qt.Key.Key_R)
    settle(qtbot, window)
    rejected = project.suggestions.list(status="rejected")
    assert project.documents.text(1)[rejected[0].start : rejected[0].end] == (
        "Funding was the hard part"
    )
    assert _current(dock) == "Trust grew slowly"
    qtbot.keyClick(table, Qt.Key.Key_S)
    assert _current(dock) == "It started badly"
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert sorted(project.segments.quotes(project.segments.list())) == [
        "Trust grew slowly",
        "decided to trust each other",
    ]
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    settle(qtbot, window)
    assert _passages(dock) == []
    assert len(project.suggestions.list(status="rejected")) == 2
    window.undo()  # the last rejection
    settle(qtbot, window)
    window.undo()  # the Enter acceptance
    settle(qtbot, window)
    assert _passages(dock) == ["Trust grew slowly", "It started badly"]
    assert project.segments.quotes(project.segments.list()) == ["decided to trust each other"]


def test_scores_read_as_percentages_and_each_code_shows_its_track_record(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """A calibrated score shows as a percentage; the track record column says how often the
    team accepted the code's suggestions of that method, and it updates as soon as one of them
    is accepted or rejected."""
    _offer(project)
    dock = _dock(window)

    def record(passage: str) -> str:
        row = _passages(dock).index(passage)
        return str(dock.model.index(row, 2).data())

    assert record("Trust grew slowly") == "none decided yet"
    assert "about 85 % of such suggestions are right" in str(
        dock.model.index(_passages(dock).index("Trust grew slowly"), 1).data(
            Qt.ItemDataRole.ToolTipRole
        )
    )
    qtbot.keyClick(dock.table, Qt.Key.Key_A)  # accepts "decided to trust each other"
    settle(qtbot, window)
    assert record("Trust grew slowly") == "accepted 1 of 1"
    assert record("It started badly") == "none decided yet"  # another code
    qtbot.keyClick(dock.table, Qt.Key.Key_S)  # past Funding, to "Trust grew slowly"
    qtbot.keyClick(dock.table, Qt.Key.Key_R)
    settle(qtbot, window)
    assert project.suggestions.reliability()[
        (project.codes.by_path("Drivers/Trust").id, "lexical")
    ] == (1, 2)


def test_bulk_accept_above_threshold_for_one_code(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Accept all takes every suggestion of the chosen code at or above the threshold only, as
    one write op: one undo step."""
    _offer(project)
    dock = _dock(window)
    trust = project.codes.by_path("Drivers/Trust").id
    dock.bulk_code.setCurrentIndex(dock.bulk_code.findData(trust))
    dock.threshold.setValue(0.9)
    dock.accept_above()
    settle(qtbot, window)
    assert project.segments.quotes(project.segments.list()) == ["decided to trust each other"]
    assert window.statusBar().currentMessage() == "Accepted 1 suggestions scoring at least 0.90."
    dock.threshold.setValue(0.8)
    dock.bulk_code.setCurrentIndex(dock.bulk_code.findData(trust))
    dock.accept_above()
    settle(qtbot, window)
    assert _passages(dock) == ["Funding was the hard part", "It started badly"]
    assert window.commands["undo"].text().replace("&", "") == "Undo Accept 1 suggestions"


def test_quick_review_keys_never_decide_one_suggestion_twice(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """A then R pressed while another write holds the writer: both wait for it (nothing is
    written yet), the accepted row left the list at once, so R rejects the next suggestion, not
    the one just accepted."""
    _offer(project)
    dock = _dock(window)
    release = threading.Event()
    window.bridge.ops.run_op("Hold the writer", lambda _p: release.wait(10))
    qtbot.keyClick(dock.table, Qt.Key.Key_A)
    qtbot.keyClick(dock.table, Qt.Key.Key_R)
    assert _passages(dock) == ["Trust grew slowly", "It started badly"]
    assert project.segments.list() == [] and project.suggestions.list(status="rejected") == []
    release.set()
    settle(qtbot, window)
    assert project.segments.quotes(project.segments.list()) == ["decided to trust each other"]
    (rejected,) = project.suggestions.list(status="rejected")
    assert rejected.reason == "Funding was the hard part"
    assert _passages(dock) == ["Trust grew slowly", "It started badly"]


def test_suggest_codes_runs_on_the_worker(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """Suggest codes (keywords) runs in the background and fills the dock for this document."""
    trust = project.codes.by_path("Drivers/Trust").id
    project.codes.update(trust, keywords=["trust"])
    dock = window.suggestions_dock
    dock.suggest("lexical")
    qtbot.waitUntil(lambda: bool(dock.model.rows), timeout=60000)
    assert {r.suggestion.code_id for r in dock.model.rows} >= {trust}
    assert all(r.suggestion.method == "lexical" for r in dock.model.rows)


def _unrelated_document(window: MainWindow, project: Project) -> int:
    """Open a document that mentions none of the codes' names."""
    from collabcoder.core.documents import NewDocument

    doc = project.documents.add(NewDocument("Weather", "It rained all day in the hills.")).id
    window.open_document(doc)
    return doc


def test_a_run_that_finds_nothing_says_why(
    qtbot: QtBot, window: MainWindow, project: Project
) -> None:
    """With no keyword match and no coding, "Suggest codes" stores nothing and the dock says why
    (nothing matched, codes lack keywords; too few coded passages to learn from) and what to do;
    opening another document clears the explanation."""
    _unrelated_document(window, project)
    dock = window.suggestions_dock
    dock.suggest("both")
    qtbot.waitUntil(lambda: dock.explanation.isVisible(), timeout=60000)
    said = dock.explanation.text()
    assert "No passage here matched" in said and "add keywords" in said
    assert "nothing to learn from" in said and "Code at least 2 passages" in said
    assert dock.status.text().startswith("0 open")
    window.open_document(project.documents.list()[0].id)
    assert not dock.explanation.isVisible()


def test_suggesting_names_each_stage_in_the_progress_dialog(
    window: MainWindow, project: Project
) -> None:
    """The worker task reports what it is doing before the long, silent first steps."""
    from collabcoder.gui.ops import Work
    from collabcoder.gui.suggest_run import suggest_task

    said: list[str] = []
    task = suggest_task(project, "both", _unrelated_document(window, project))
    outcome = task(Work(lambda _done, _total, message: said.append(message)))
    assert said[0].startswith("Loading the language model")
    assert "Reading your coding to learn from…" in said
    assert outcome.run.stored == 0 and outcome.why_none
