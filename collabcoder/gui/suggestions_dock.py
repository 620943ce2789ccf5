"""The Suggestions dock: review the current document's suggested codes from the keyboard.

A or Enter accepts the current suggestion (a segment with origin "suggestion"), R or Delete rejects
it (it never comes back), S or Down skips it; each moves on to the next. Suggestions run and the
model trains on the worker thread, with a progress dialog and Cancel.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.changes import Changes
from collabcoder.core.errors import CollabCoderError

from .elide import compact
from .ops import Work
from .project_bridge import ProjectBridge
from .spans import quote_context
from .suggest_run import SuggestOutcome, suggest_task
from .suggestion_overlay import Outline, SuggestionOverlay
from .suggestions_model import SuggestionRow, SuggestionsModel

if TYPE_CHECKING:
    from collabcoder.core.project import Project

    from .document_view import DocumentView
    from .shell import Shell

ACCEPT_KEYS = (Qt.Key.Key_A, Qt.Key.Key_Return, Qt.Key.Key_Enter)
REJECT_KEYS = (Qt.Key.Key_R, Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
SKIP_KEYS = (Qt.Key.Key_S,)  # Down moves to the next row by itself


class SuggestionsTable(QTableView):
    """The table, with the review keys."""

    accept_pressed = Signal()
    reject_pressed = Signal()
    skip_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            for keys, signal in (
                (ACCEPT_KEYS, self.accept_pressed),
                (REJECT_KEYS, self.reject_pressed),
                (SKIP_KEYS, self.skip_pressed),
            ):
                if event.key() in keys:
                    signal.emit()
                    event.accept()
                    return
        super().keyPressEvent(event)


class SuggestionsDock(QDockWidget):
    """Open suggestions of the document in the view, best first."""

    def __init__(
        self,
        bridge: ProjectBridge,
        view: DocumentView,
        report: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__("Suggestions", parent)
        self.setObjectName("suggestionsDock")
        self.bridge = bridge
        self.view = view
        self.report = report
        self.document_id: int | None = None
        self._row_after_change: int | None = None
        # Reviewed, their op not yet back: left out of the list, so the next key acts on the
        # next suggestion and never on one already decided.
        self._in_flight: set[int] = set()
        self.overlay = SuggestionOverlay(view)
        self.model = SuggestionsModel()
        self.table = SuggestionsTable(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Suggested codes")
        self.table.setAccessibleDescription(
            "A or Enter accepts the suggestion, R or Delete rejects it, S or Down skips it."
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((0, 170), (4, 190)):  # long names and reasons must not crowd out
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.accept_pressed.connect(self.accept_current)
        self.table.reject_pressed.connect(self.reject_current)
        self.table.skip_pressed.connect(self.skip)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.suggest_action = QAction("Suggest &codes for this document", self)
        self.suggest_action.setObjectName("action_suggest")
        self.suggest_action.triggered.connect(lambda: self.suggest())
        self.train_action = QAction("&Train suggestion model", self)
        self.train_action.setObjectName("action_train")
        self.train_action.triggered.connect(lambda: self.train())
        self._build(parent)
        bridge.changed.connect(self._on_changes)
        bridge.project_replaced.connect(lambda: self.show_document(view.document_id))
        view.layer_changed.connect(self._view_changed)

    def _build(self, parent: QWidget) -> None:
        self.method = QComboBox(self)
        self.method.setAccessibleName("Suggestion method")
        for label, method in (
            ("Keywords and model", "both"),
            ("Keywords", "lexical"),
            ("Model", "learned"),
        ):
            self.method.addItem(label, method)
        suggest, train = QPushButton("Suggest", self), QPushButton("Train", self)
        suggest.setToolTip("Suggest codes for this document")
        train.setToolTip("Train the suggestion model on the project's coding")
        suggest.clicked.connect(self.suggest_action.trigger)
        train.clicked.connect(self.train_action.trigger)
        self.status = QLabel(self)
        # The method box may shrink: the dock must stay narrow enough for a 1280 px screen.
        self.method.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.method.setMinimumContentsLength(6)
        self.no_interviewer = QCheckBox("Exclude interviewer turns", self)
        self.no_interviewer.setToolTip("Neither suggest on nor learn from interviewers' turns")
        top = QHBoxLayout()
        for widget in (suggest, train):
            top.addWidget(compact(widget))
        top.addWidget(self.method, 1)
        self.bulk_code = QComboBox(self)
        self.bulk_code.setAccessibleName("Code to accept in bulk")
        # Long code paths must not widen the dock (and with it the main window's minimum).
        self.bulk_code.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.bulk_code.setMinimumContentsLength(5)
        self.threshold = QDoubleSpinBox(self)
        self.threshold.setAccessibleName("Lowest score to accept")
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setValue(0.8)
        bulk = QPushButton("Accept all", self)
        bulk.clicked.connect(self.accept_above)
        bottom = QHBoxLayout()
        bottom.addWidget(compact(bulk))
        bottom.addWidget(self.bulk_code, 1)
        bottom.addWidget(QLabel("≥", self))
        bottom.addWidget(self.threshold)
        bulk.setToolTip("Accept every open suggestion of the chosen code from the chosen score")
        # Why the last run found nothing, and what to do (hidden while there is nothing to say).
        self.explanation = QLabel(self)
        self.explanation.setObjectName("suggestionsExplanation")
        self.explanation.setAccessibleName("Why there are no suggestions")
        self.explanation.setWordWrap(True)
        self.explanation.hide()
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(top)
        column.addWidget(self.no_interviewer)
        column.addWidget(self.status)
        column.addWidget(self.explanation)
        column.addWidget(self.table, 1)
        column.addLayout(bottom)
        self.setWidget(body)

    # -- what is shown ----------------------------------------------------------------------------
    def _view_changed(self) -> None:
        if self.view.document_id != self.document_id:
            self.show_document(self.view.document_id)

    def show_document(self, document_id: int | None) -> None:
        self.document_id = document_id if self.bridge.project is not None else None
        self._row_after_change = 0
        self.explanation.hide()  # it spoke of the last document's run
        self.reload()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touched("suggestions", "codes", "documents"):
            self.reload()

    def reload(self) -> None:
        """List the open suggestions again, keeping the review at the same row."""
        row = self._row_after_change
        if row is None:
            row = max(self.table.currentIndex().row(), 0)
        self._row_after_change = None
        project = self.bridge.project
        rows: list[SuggestionRow] = []
        if project is not None and self.document_id is not None:
            text, paths = self.bridge.text(self.document_id), self.bridge.paths()
            # re-read on every change, so accepting or rejecting one updates its code's record
            reliability = project.suggestions.reliability()
            for sug in project.suggestions.list(self.document_id):
                if sug.id in self._in_flight:
                    continue
                code = self.bridge.code(sug.code_id)
                _b, passage, _a = quote_context(text, sug.start, sug.end, width=0)
                rows.append(
                    SuggestionRow(
                        sug,
                        paths.get(sug.code_id, "?"),
                        code.colour if code else "#888888",
                        passage,
                        reliability.get((sug.code_id, sug.method), (0, 0)),
                    )
                )
        self._show_rows(rows, row)

    def _show_rows(self, rows: list[SuggestionRow], row: int) -> None:
        self.model.set_rows(rows)
        utf16 = self.view.utf16
        self.overlay.set_outlines(
            [
                Outline(
                    r.suggestion.id,
                    utf16.to_utf16(r.suggestion.start),
                    utf16.to_utf16(r.suggestion.end),
                    r.colour,
                )
                for r in rows
            ]
        )
        self._fill_bulk(rows)
        self.status.setText(f"{len(rows)} open" if self.document_id is not None else "No document")
        if rows:
            self.explanation.hide()
            self.table.setCurrentIndex(self.model.index(min(row, len(rows) - 1), 0))

    def _fill_bulk(self, rows: list[SuggestionRow]) -> None:
        chosen = self.bulk_code.currentData()
        counts = Counter((r.code, r.suggestion.code_id) for r in rows)
        self.bulk_code.clear()
        for (path, code_id), n in sorted(counts.items()):
            self.bulk_code.addItem(f"{path} ({n})", code_id)
        index = self.bulk_code.findData(chosen)
        self.bulk_code.setCurrentIndex(max(index, 0))

    def current(self) -> SuggestionRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.rows[current.row()] if current.isValid() else None
        self.overlay.set_current(row.suggestion.id if row else None)
        if row is not None and self.view.document_id == row.suggestion.document_id:
            self.view.select_range(row.suggestion.start, row.suggestion.end)

    # -- reviewing --------------------------------------------------------------------------------
    def accept_current(self) -> None:
        self._review(
            lambda project, sid: project.suggestions.accept(sid), "Accepted", "Accept suggestion"
        )

    def reject_current(self) -> None:
        self._review(
            lambda project, sid: project.suggestions.reject(sid), "Rejected", "Reject suggestion"
        )

    def _review(self, act: Callable[[Project, int], object], verb: str, label: str) -> None:
        row = self.current()
        if row is None or self.bridge.project is None:
            self.report("There is no suggestion to review here.")
            return
        sid = row.suggestion.id
        # The reviewed row leaves the list now, so the next suggestion takes its place at once;
        # the write follows on the writer thread.
        at = self.table.currentIndex().row()
        self._in_flight.add(sid)
        self._show_rows([r for r in self.model.rows if r.suggestion.id != sid], at)

        def done(_result: object) -> None:
            self._in_flight.discard(sid)
            self.report(f"{verb} {row.code} for “{row.passage[:60]}”.")

        def failed(error: BaseException) -> None:
            self._in_flight.discard(sid)
            self._row_after_change = at
            self.reload()  # it was not decided: back in the list
            self._refused(label, error)

        self.bridge.ops.run_op(label, lambda p: act(p, sid), done, initiator=self, on_error=failed)

    def _refused(self, label: str, error: BaseException) -> None:
        if isinstance(error, CollabCoderError):
            self.report(str(error))  # refused, and nothing was changed
        else:
            self.bridge.ops.failed.emit(label, error)

    def skip(self) -> None:
        index = self.table.currentIndex()
        if index.row() + 1 < self.model.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(index.row() + 1, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self.report("That was the last suggestion for this document.")

    def accept_above(self) -> None:
        """Accept every open suggestion of the chosen code scoring at least the threshold, as
        one write op (one undo step)."""
        code_id = self.bulk_code.currentData()
        document_id = self.document_id
        if self.bridge.project is None or document_id is None or code_id is None:
            return
        threshold = self.threshold.value()
        label = "Accept suggestions"
        self.bridge.ops.run_op(
            label,
            lambda p: p.suggestions.accept_above(document_id, code_id, threshold),
            lambda done: self.report(
                f"Accepted {done} suggestions scoring at least {threshold:.2f}."
            ),
            initiator=self,
            on_error=lambda error: self._refused(label, error),
        )

    # -- running the suggesters -------------------------------------------------------------------
    def suggest(self, method: str | None = None) -> None:
        project = self.bridge.project
        if project is None or self.document_id is None:
            self.report("Open a document to suggest codes for.")
            return
        chosen = method or str(self.method.currentData())
        roles_out = ("interviewer",) if self.no_interviewer.isChecked() else ()
        task = suggest_task(project, chosen, self.document_id, roles_out)
        self.bridge.ops.run_long(self, "Suggesting codes", task, self._suggested)

    def _suggested(self, outcome: SuggestOutcome) -> None:
        self.show()
        self.raise_()
        stored = outcome.run.stored
        self.report(f"{stored} suggestions for this document.")
        self.status.setText(f"{stored} open" if stored else "0 open — see why below")
        self.explanation.setText(outcome.why_none)
        self.explanation.setVisible(bool(outcome.why_none))

    def train(self) -> None:
        project = self.bridge.project
        if project is None:
            return

        def task(work: Work) -> Any:
            from collabcoder.nlp.service import train_learned

            work.progress(0, 0, "Reading your coding to learn from (slow only the first time)…")
            return train_learned(project, progress=work.progress, cancel=work.cancel)

        self.bridge.ops.run_long(self, "Training the suggestion model", task, self._trained)

    def _trained(self, model: Any) -> None:
        record = model.record
        learned = len(record.codes)
        left_out = sum(1 for c in self.bridge.codes() if c.id not in set(record.codes))
        self.report(
            f"Trained suggestion model {model.version} on {record.examples} passages: "
            f"{learned} code(s) learned"
            + (f", {left_out} without enough coded passages yet." if left_out else ".")
        )


def install_suggestions(window: Shell) -> SuggestionsDock:
    """Add the Suggestions dock below the Codebook dock and its commands to the menus."""
    dock = SuggestionsDock(window.bridge, window.document_view, window.report, window.widget)
    # Below the Codebook, whose codes it suggests. Tabifying here, after the main window has sized
    # its docks, leaves Qt 6.11 with a stray tab bar and a squeezed Codebook dock.
    window.add_dock(dock, "codebook", tabbed=False)
    code_menu = window.menu("code")
    code_menu.addSeparator()
    code_menu.addAction(window.commands.register("suggest", dock.suggest_action, "Code"))
    code_menu.addAction(window.commands.register("train", dock.train_action, "Code"))
    return dock
