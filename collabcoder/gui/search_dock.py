"""The Search dock (Analyse > Search, Ctrl+Shift+F): text search and coding queries.

Results are keyword-in-context lines with their speaker; activating one shows the passage in
its document. Ticked results can be coded after a preview (one undo step), exported to CSV or
Excel, and the query saved in the project. Searching runs on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.changes import Changes, Kind
from collabcoder.core.errors import CollabCoderError
from collabcoder.core.search_coding import Passage
from collabcoder.core.search_eval import CONTEXTS, Hit, SearchOptions
from collabcoder.core.search_saved import get_query, save_query, saved_queries

from .project_bridge import ProjectBridge
from .search_autocode_dialog import AutocodeDialog
from .search_model import ResultsModel
from .set_filter import SetFilterButton

if TYPE_CHECKING:
    from collabcoder.core.project import Project
    from collabcoder.core.search_autocode import AutocodeResult

    from .shell import Shell

TEXT, CODING = "Text search", "Coding query"
Report = Callable[[str], None]


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def passage_hit(passage: Passage) -> Hit:
    """A coding-query passage as a result line (its own sentence and paragraph)."""
    span = (passage.start, passage.end)
    return Hit(passage.document_id, passage.document, passage.start, passage.end, passage.text,
               "", "", passage.speaker, "", span, span)  # fmt: skip


class SearchDock(QDockWidget):
    """``hit_activated(document_id, start, end)`` when a result is activated."""

    hit_activated = Signal(int, int, int)
    search_action: QAction  # set by install_search
    coding_action: QAction

    def __init__(self, bridge: ProjectBridge, report: Report, parent: QWidget) -> None:
        super().__init__("Search", parent)
        self.setObjectName("searchDock")
        self.bridge = bridge
        self.report = report
        self.last_query = ""
        self.last_provenance = ""
        self.current_code: Callable[[], int | None] = lambda: None
        self._build()
        bridge.changed.connect(self._on_changes)
        bridge.project_replaced.connect(self._project_replaced)

    def _build(self) -> None:
        body = QWidget(self)
        self.mode = QComboBox(body)
        self.mode.addItems([TEXT, CODING])
        self.mode.setAccessibleName("Search text or coding")
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.query = QLineEdit(body)
        self.query.setAccessibleName("Query")
        self.query.returnPressed.connect(self.search)
        self.go = QPushButton("&Search", body)
        self.go.clicked.connect(self.search)
        self.saved = QComboBox(body)
        self.saved.setAccessibleName("Saved queries")
        self.saved.activated.connect(self._load_saved)
        top = QHBoxLayout()
        top.addWidget(self.mode)
        top.addWidget(self.query, 1)
        top.addWidget(self.go)
        top.addWidget(self.saved)
        self.exact = QCheckBox("E&xact words", body)
        self.exact.setToolTip("Match the words as typed, not every form of them (lemmas)")
        self.regex = QCheckBox("&Regex", body)
        self.within = QComboBox(body)
        self.within.setAccessibleName("AND, NOT and NEAR look within the same")
        self.within.addItems(list(CONTEXTS))
        self.within.setCurrentText("paragraph")
        self.leave_out = QLineEdit(body)
        self.leave_out.setPlaceholderText("e.g. Interviewer")
        self.leave_out.setAccessibleName("Leave out these speakers' turns")
        options = QHBoxLayout()
        self.text_options: list[QWidget] = [self.exact, self.regex, self.within]
        within_label = QLabel("within the same", body)
        self.text_options.append(within_label)
        for option in (self.exact, self.regex, within_label, self.within):
            options.addWidget(option)
        options.addWidget(QLabel("Leave out speakers:", body))
        options.addWidget(self.leave_out, 1)
        self.sets = SetFilterButton(self.bridge, body)
        options.addWidget(self.sets)
        self.no_interviewer = QCheckBox("Exclude interviewer turns", body)
        self.no_interviewer.setToolTip("Leave out the turns of speakers whose role is interviewer")
        options.addWidget(self.no_interviewer)
        self.model = ResultsModel()
        # Sorted by clicking a column, narrowed by the filter box; ticks live in the model.
        self.shown = QSortFilterProxyModel(self)
        self.shown.setSourceModel(self.model)
        self.shown.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.shown.setFilterKeyColumn(-1)
        self.shown.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.result_filter = QLineEdit(body)
        self.result_filter.setPlaceholderText("Filter results (document, speaker, words)")
        self.result_filter.setAccessibleName("Filter results")
        self.result_filter.textChanged.connect(self.shown.setFilterFixedString)
        self.table = QTableView(body)
        self.table.setModel(self.shown)
        self.table.setAccessibleName("Search results")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for section in (0, 1, 3):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(100)
        self.table.activated.connect(self._activated)
        self.status = QLabel("Type words to find in every document.", body)
        self.tick_all = QCheckBox("Tick &all", body)
        self.tick_all.setChecked(True)
        self.tick_all.toggled.connect(self.model.set_all_ticked)
        self.code_button = QPushButton("&Code ticked…", body)
        self.code_button.clicked.connect(self.code_ticked)
        self.export_button = QPushButton("&Export…", body)
        self.export_button.clicked.connect(self.export)
        self.save_button = QPushButton("Sa&ve query…", body)
        self.save_button.clicked.connect(self.save)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.result_filter, 1)
        for control in (self.tick_all, self.code_button, self.export_button, self.save_button):
            bottom.addWidget(control)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(options)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.setWidget(body)
        self._mode_changed()
        self._results_changed()

    # -- modes and saved queries ---------------------------------------------------------------
    @property
    def kind(self) -> str:
        return "coding" if self.mode.currentText() == CODING else "text"

    def _mode_changed(self) -> None:
        coding = self.kind == "coding"
        for widget in self.text_options:
            widget.setVisible(not coding)
        self.query.setPlaceholderText(
            '"Trust" NEAR/20 Funding   ·   Trust SAME TURN Barriers'
            if coding
            else 'trust NEAR/10 funding   ·   "public sector"   ·   partner*'
        )
        self.fill_saved()

    def fill_saved(self) -> None:
        self.saved.clear()
        self.saved.addItem("Saved queries…", None)
        project = self.bridge.project
        for record in saved_queries(project, self.kind) if project else []:
            self.saved.addItem(record.name, record.name)

    def _load_saved(self, index: int) -> None:
        name = self.saved.itemData(index)
        if name is None:
            return
        definition = get_query(self.bridge.require(), name, self.kind).definition
        self.query.setText(definition.get("query", ""))
        self.exact.setChecked(bool(definition.get("exact")))
        self.regex.setChecked(bool(definition.get("regex")))
        self.within.setCurrentText(definition.get("within") or "paragraph")
        self.leave_out.setText(", ".join(_names(definition.get("exclude_speakers") or "")))
        self.sets.set_chosen(definition.get("sets") or [])
        self.no_interviewer.setChecked("interviewer" in (definition.get("exclude_role") or ()))
        self.search()

    # -- searching -----------------------------------------------------------------------------
    def open(self, coding: bool = False) -> None:
        """Show the dock with the query box focused (Ctrl+Shift+F)."""
        self.mode.setCurrentText(CODING if coding else TEXT)
        self.show()
        self.raise_()
        self.query.setFocus()
        self.query.selectAll()

    def search(self) -> None:
        project = self.bridge.project
        query = self.query.text().strip()
        if project is None or not query:
            return
        kind = self.kind
        options = SearchOptions(
            lemmas=not self.exact.isChecked(),
            context=self.within.currentText(),
            regex=self.regex.isChecked(),
        )
        leave_out = _names(self.leave_out.text())
        sets = self.sets.chosen()
        roles_out = ["interviewer"] if self.no_interviewer.isChecked() else []

        def task(project: Project) -> tuple[list[Hit], str, str]:
            scope = project.search.scope(
                exclude_speakers=leave_out, sets=sets, exclude_roles=roles_out
            )
            if kind == "coding":
                passages = project.search.coding_query(query, scope)
                hits = [passage_hit(p) for p in passages]
                return hits, f"coding query {query!r}", f"{len(hits)} passage(s)"
            result = project.search.run(query, options, scope)
            found = f"{len(result.hits)} hit(s) in {result.documents} document(s)"
            return result.hits, result.provenance(), found

        self.status.setText("Searching…")
        # A write op: the first search of a copied or upgraded project builds its index.
        self.bridge.ops.run_op("Searching", task, self._found, on_error=self._failed)

    def _found(self, result: tuple[list[Hit], str, str]) -> None:
        hits, provenance, summary = result
        self.last_query = self.query.text().strip()
        self.last_provenance = provenance
        self.model.set_rows(hits)
        self.tick_all.setChecked(True)
        self.status.setText(summary)
        self._results_changed()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(str(error) or type(error).__name__)
        self.report(str(error))

    def _results_changed(self) -> None:
        for button in (self.code_button, self.export_button):
            button.setEnabled(bool(self.model.rows))
        self.save_button.setEnabled(bool(self.query.text().strip()))

    def _activated(self, index: QModelIndex) -> None:
        hit = self.model.rows[self.shown.mapToSource(index).row()]
        self.hit_activated.emit(hit.document_id, hit.start, hit.end)

    # -- acting on results ---------------------------------------------------------------------
    def chosen(self) -> list[Hit]:
        """The ticked results the filter shows, in the order shown."""
        rows = [self.shown.mapToSource(self.shown.index(n, 0)).row()
                for n in range(self.shown.rowCount())]  # fmt: skip
        return [self.model.rows[r] for r in rows if r not in self.model.unticked]

    def code_ticked(self) -> None:
        project = self.bridge.project
        hits = self.chosen()
        if project is None or not hits:
            self.report("Tick the results to code first.")
            return
        dialog = AutocodeDialog(
            self.bridge.paths(),
            lambda unit: project.search.preview_autocode(hits, unit),
            self,
            units=self.kind == "text",
            current_code=self.current_code(),
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        spans, code_id, provenance = dialog.spans, dialog.code_id, self.last_provenance
        path = self.bridge.paths().get(code_id, "")

        def coded(result: AutocodeResult) -> None:
            self.report(
                f"Coded {len(result.segments)} passage(s) as {path}"
                + (f"; {result.already_coded} already were" if result.already_coded else "")
            )

        self.bridge.ops.run_op(
            f"Auto-coding as {path}",
            lambda p: p.search.autocode(spans, code_id, provenance),
            coded,
            on_error=lambda error: self.report(str(error)),
        )

    def export(self, path: str | None = None) -> None:
        from collabcoder.io.search_export import HIT_COLUMNS, hit_rows, write_rows

        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export results", "", "Excel (*.xlsx);;CSV (*.csv)"
            )
        if not path:
            return
        try:
            write_rows(path, HIT_COLUMNS, hit_rows(self.chosen()))
        except (CollabCoderError, OSError) as error:
            self.report(str(error))
            return
        self.report(f"Exported {len(self.chosen())} result(s) to {path}")

    def save(self, name: str | None = None) -> None:
        project = self.bridge.project
        if project is None or not self.query.text().strip():
            return
        if name is None:
            name, ok = QInputDialog.getText(self, "Save query", "Name of the query:")
            if not ok:
                return
        definition: dict[str, Any] = {"query": self.query.text().strip()}
        if self.kind == "text":
            definition |= {"exact": self.exact.isChecked(), "regex": self.regex.isChecked(),
                           "within": self.within.currentText()}  # fmt: skip
        if self.leave_out.text().strip():
            definition["exclude_speakers"] = self.leave_out.text().strip()
        if self.sets.chosen():
            definition["sets"] = list(self.sets.chosen())
        if self.no_interviewer.isChecked():  # the CLI's --exclude-role interviewer
            definition["exclude_role"] = ["interviewer"]
        try:
            save_query(project, name, self.kind, definition)
        except CollabCoderError as error:
            self.report(str(error))
            return
        self.fill_saved()
        self.report(f"Saved the query {name.strip()!r}")

    # -- reacting ------------------------------------------------------------------------------
    def _on_changes(self, changes: Changes) -> None:
        if changes.touched(Kind.QUERIES):
            self.fill_saved()

    def _project_replaced(self) -> None:
        self.model.set_rows([])
        self.status.setText("Type words to find in every document.")
        self.fill_saved()
        self._results_changed()


def install_search(window: Shell) -> SearchDock:
    """Add the Search dock beside the Segments dock and its commands to the Analyse menu."""
    dock = SearchDock(window.bridge, window.report, window.widget)
    window.add_dock(dock, "segments", tabbed=True)
    dock.hit_activated.connect(window.jump_to)
    dock.current_code = window.current_code
    search = QAction("&Search…", window.widget)
    search.setShortcut(QKeySequence("Ctrl+Shift+F"))
    search.setToolTip("Find words in every document; code what you find")
    search.triggered.connect(lambda: dock.open())
    coding = QAction("Coding &query…", window.widget)
    coding.setToolTip("Combine codes with AND, OR, NOT, OVERLAPS, NEAR…")
    coding.triggered.connect(lambda: dock.open(coding=True))
    analyse = window.menu("analyse")
    first = analyse.actions()[0] if analyse.actions() else None
    analyse.insertActions(first, [search, coding])  # type: ignore[arg-type]
    analyse.insertSeparator(first)  # type: ignore[arg-type]
    window.commands.register("search", search, "Analyse")
    window.commands.register("coding_query", coding, "Analyse")
    window.add_shortcuts([search, coding])
    dock.search_action, dock.coding_action = search, coding
    return dock
