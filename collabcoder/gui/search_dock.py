"""The Search dock (Analyse > Search, Ctrl+Shift+F): text search and coding queries.

Results are keyword-in-context lines with their speaker; activating one shows the passage in
its document. Ticked results can be coded after a preview (one undo step, with an existing or a
new code), listed in the Segments dock (the coding they touch), exported to CSV or Excel, and the
query saved in the project (a saved query is also a column of the Matrix). Searching runs on a
worker thread; the Search button turns into Cancel meanwhile. The scope row is ``search_scope``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.changes import Changes, Kind
from collabcoder.core.errors import Cancelled, CollabCoderError
from collabcoder.core.search_eval import CONTEXTS, Hit
from collabcoder.core.search_saved import (
    get_query,
    save_query,
    saved_queries,
)

from . import search_tasks as tasks
from .project_bridge import ProjectBridge
from .search_autocode_dialog import AutocodeDialog
from .search_model import ResultsModel, results_table
from .search_scope import ScopePanel

if TYPE_CHECKING:
    from collabcoder.core.project import Project
    from collabcoder.core.search_autocode import AutocodeResult

    from .ops import OpHandle

TEXT, CODING, HEADINGS = "Text search", "Coding query", "Code by heading"
MODES = {TEXT: "text", CODING: "coding", HEADINGS: "headings"}
SEARCH, CANCEL = "&Search", "&Cancel"
Report = Callable[[str], None]
SCOPE_KINDS = (
    Kind.DOCUMENTS,
    Kind.CASES,
    Kind.ATTRIBUTES,
    Kind.CODES,
    Kind.CODERS,
    Kind.SETS,
    Kind.SPEAKERS,
)


class SearchDock(QDockWidget):
    """``hit_activated(document_id, start, end)`` when a result is activated;
    ``segments_requested(segment_ids, label)`` to list results' coding in the Segments dock."""

    hit_activated = Signal(int, int, int)
    segments_requested = Signal(list, str)
    search_action: QAction  # set by install_search
    coding_action: QAction
    headings_action: QAction

    def __init__(self, bridge: ProjectBridge, report: Report, parent: QWidget) -> None:
        super().__init__("Search", parent)
        self.setObjectName("searchDock")
        self.bridge = bridge
        self.report = report
        self.last_query = ""
        self.last_provenance = ""
        self.results_kind = "text"  # what the rows shown came from
        self.running: OpHandle | None = None
        self._scope_dirty = True
        self.current_code: Callable[[], int | None] = lambda: None
        self._build()
        bridge.changed.connect(self._on_changes)
        bridge.project_replaced.connect(self._project_replaced)

    def _build(self) -> None:
        body = QWidget(self)
        self.mode = QComboBox(body)
        self.mode.addItems(list(MODES))
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
        self.scope = ScopePanel(body)
        options = QHBoxLayout()
        self.text_options: list[QWidget] = [self.exact, self.regex, self.within]
        within_label = QLabel("within the same", body)
        self.text_options.append(within_label)
        for option in (self.exact, self.regex, within_label, self.within):
            options.addWidget(option)
        options.addWidget(self.scope, 1)
        self.model = ResultsModel()
        self.shown, self.table = results_table(self.model, body)
        self.result_filter = QLineEdit(body)
        self.result_filter.setPlaceholderText("Filter results (document, speaker, words)")
        self.result_filter.setAccessibleName("Filter results")
        self.result_filter.textChanged.connect(self.shown.setFilterFixedString)
        self.table.activated.connect(self._activated)
        self.status = QLabel("Type words to find in every document.", body)
        # A long summary elides instead of widening the dock past a small screen.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setMinimumWidth(120)
        self.tick_all = QCheckBox("Tick &all", body)
        self.tick_all.setChecked(True)
        self.tick_all.toggled.connect(self.model.set_all_ticked)
        self.code_button = QPushButton("&Code…", body)
        self.code_button.setToolTip("Code the ticked results, after a preview")
        self.code_button.clicked.connect(self.code_ticked)
        self.segments_button = QPushButton("&List in Segments", body)
        self.segments_button.setToolTip("List the coding of the ticked results in Segments")
        self.segments_button.clicked.connect(self.list_in_segments)
        self.export_button = QPushButton("&Export…", body)
        self.export_button.clicked.connect(self.export)
        self.save_button = QPushButton("Sa&ve…", body)
        self.save_button.setToolTip("Save the query in the project (a Matrix column too)")
        self.save_button.clicked.connect(self.save)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.result_filter, 1)
        for control in (
            self.tick_all,
            self.code_button,
            self.segments_button,
            self.export_button,
            self.save_button,
        ):
            bottom.addWidget(control)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(options)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.setWidget(body)
        self.visibilityChanged.connect(self._shown)
        self._mode_changed()
        self._results_changed()

    # -- modes and saved queries ---------------------------------------------------------------
    @property
    def kind(self) -> str:
        return MODES[self.mode.currentText()]

    def _mode_changed(self) -> None:
        kind = self.kind
        for widget in self.text_options:
            widget.setVisible(kind == "text")
        self.regex.setVisible(kind != "coding")
        self.scope.set_kind(kind)
        self.query.setPlaceholderText(
            {
                "coding": '"Trust" NEAR/20 Funding   ·   Trust SAME TURN Barriers',
                "headings": "words of the headings whose sections to code, e.g. Funding",
                "text": 'trust NEAR/10 funding   ·   "public sector"   ·   partner*',
            }[kind]
        )
        self._results_changed()
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
        self._fill_scope()
        self.scope.load(definition)
        self.search()

    def definition(self) -> dict[str, Any]:
        """The query, its options and scope as a saved query keeps them (the CLI's keys)."""
        kind = self.kind
        definition: dict[str, Any] = {"query": self.query.text().strip()}
        if kind == "text":
            definition |= {"exact": self.exact.isChecked(), "within": self.within.currentText()}
        if kind != "coding":
            definition["regex"] = self.regex.isChecked()
        return definition | self.scope.definition(kind)

    # -- searching -----------------------------------------------------------------------------
    def open(self, coding: bool = False, headings: bool = False) -> None:
        """Show the dock with the query box focused (Ctrl+Shift+F)."""
        self.mode.setCurrentText(HEADINGS if headings else CODING if coding else TEXT)
        self.show()
        self.raise_()
        self.query.setFocus()
        self.query.selectAll()

    def search(self) -> None:
        """Run the query on the worker (or, while one runs, cancel it)."""
        if self.running is not None:
            self.cancel()
            return
        project = self.bridge.project
        query = self.query.text().strip()
        if project is None or not query:
            return
        kind, definition = self.kind, self.definition()
        self.status.setText("Searching…")
        self.go.setText(CANCEL)
        # With the writes: the first search of a copied or upgraded project builds its index.
        self.running = self.bridge.ops.run_long(
            None,
            "Searching",
            lambda work: tasks.run(project, kind, definition, work.cancel),
            self._found,
            on_error=self._failed,
        )

    def cancel(self) -> None:
        """Stop the search running (it returns nothing and changes nothing)."""
        if self.running is not None:
            self.running.work.cancel.cancel()
            self.status.setText("Cancelling…")

    def _ended(self) -> None:
        self.running = None
        self.go.setText(SEARCH)

    def _found(self, result: tasks.Outcome) -> None:
        self._ended()
        summary = result.summary
        self.last_query = self.query.text().strip()
        self.last_provenance = result.provenance
        self.results_kind = result.kind
        self.model.set_rows(result.hits)
        self.tick_all.setChecked(True)
        scope = self.scope.describe()
        self.status.setText(summary + (f" · {scope}" if scope != "everywhere" else ""))
        self._results_changed()

    def _failed(self, error: BaseException) -> None:
        self._ended()
        if isinstance(error, Cancelled):
            self.status.setText("Search cancelled; the results shown are the earlier ones.")
            return
        self.status.setText(str(error) or type(error).__name__)
        self.report(str(error))

    def _results_changed(self) -> None:
        for button in (self.code_button, self.segments_button, self.export_button):
            button.setEnabled(bool(self.model.rows))
        # Heading searches are not saved queries (KINDS of core.search_saved).
        self.save_button.setEnabled(bool(self.query.text().strip()) and self.kind != "headings")

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
            units=self.results_kind == "text",
            current_code=self.current_code(),
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        spans, provenance, new = dialog.spans, self.last_provenance, dialog.new_code
        code_id = None if new else dialog.code_id
        path = new or self.bridge.paths().get(dialog.code_id, "")

        def code(p: Project) -> AutocodeResult:
            if code_id is None:
                return p.search.autocode_new(spans, path, provenance)
            return p.search.autocode(spans, code_id, provenance)

        def coded(result: AutocodeResult) -> None:
            self.report(
                f"Coded {len(result.segments)} passage(s) as {'new code ' if new else ''}{path}"
                + (f"; {result.already_coded} already were" if result.already_coded else "")
            )

        self.bridge.ops.run_op(
            f"Auto-coding as {path}", code, coded, on_error=lambda error: self.report(str(error))
        )

    def list_in_segments(self) -> None:
        """List in the Segments dock the segments that share text with the ticked results (of
        a coding query: only its codes' segments)."""
        hits = self.chosen()
        if self.bridge.project is None or not hits:
            self.report("Tick the results to list first.")
            return
        kind, query = self.results_kind, self.last_query
        what = {"coding": "Coding query", "headings": "Headings"}.get(kind, "Search")
        label = f"{what} {query!r}"
        self.bridge.ops.run_query(
            "Listing results in Segments",
            lambda project: tasks.segments_touched(project, kind, query, hits),
            lambda ids: self.segments_requested.emit(ids, label),
            on_error=lambda error: self.report(str(error)),
        )

    def export(self, path: str | None = None) -> None:
        from collabcoder.io.search_export import (
            HIT_COLUMNS,
            PASSAGE_COLUMNS,
            hit_rows,
            passage_rows,
            write_rows,
        )

        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export results", "", "Excel (*.xlsx);;CSV (*.csv)"
            )
        if not path:
            return
        try:
            if self.results_kind != "text":
                passages = [tasks.hit_passage(h) for h in self.chosen()]
                write_rows(path, PASSAGE_COLUMNS, passage_rows(passages))
            else:
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
        try:
            save_query(project, name, self.kind, self.definition())
        except CollabCoderError as error:
            self.report(str(error))
            return
        self.fill_saved()
        self.report(f"Saved the query {name.strip()!r}")

    # -- reacting ------------------------------------------------------------------------------
    def _on_changes(self, changes: Changes) -> None:
        if changes.touched(Kind.QUERIES):
            self.fill_saved()
        if changes.touched(*SCOPE_KINDS):
            self._scope_dirty = True
            if self.isVisible():
                self._fill_scope()

    def _shown(self, visible: bool) -> None:
        if visible:
            self._fill_scope()

    def _fill_scope(self) -> None:
        # The names offered are read when the dock is shown or they change while it is.
        if self._scope_dirty:
            self._scope_dirty = False
            self.scope.fill(self.bridge)

    def _project_replaced(self) -> None:
        self.cancel()
        self.model.set_rows([])
        self.status.setText("Type words to find in every document.")
        self.fill_saved()
        self._scope_dirty = True
        self.scope.clear()
        if self.isVisible():
            self._fill_scope()
        self._results_changed()
