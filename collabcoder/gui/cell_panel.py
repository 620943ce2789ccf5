"""One matrix cell opened: its quotes (the framework evidence) and the analyst's summary.

Saving uses optimistic locking: the summary is written against the version the analyst started
from, so when another coder saved the same cell first the store refuses, both versions are shown
here, and nothing is overwritten. Saving again after reading theirs replaces it on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.errors import CollabCoderError, Conflict
from collabcoder.core.project import Project
from collabcoder.core.records import SummaryRecord

from .project_bridge import ProjectBridge

REFERENCE_WIDTH = 120  # widest a document / speaker / code column grows, in pixels
NO_BREAK = "\u00a0"
QUOTE_SHARE = 0.45  # the quote keeps at least this share of the table's width, at every size


@dataclass(frozen=True)
class Quote:
    document_id: int
    document: str
    speaker: str
    timestamp: str
    code: str
    coder: str
    start: int
    end: int
    text: str


@dataclass
class CellView:
    """What the panel shows for one cell; ``case_id`` None when no summary can be written."""

    title: str
    code_id: int
    case_id: int | None = None
    quotes: list[Quote] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)  # the cases in the cell's row
    fingerprint: str = ""  # the cell's evidence now, stored with a saved summary
    stale: bool = False
    author: str = ""
    note: str = ""  # why there is no summary editor (e.g. rows are case groups)


class QuoteTable(QTableWidget):
    """The cell's quotes; the reference columns give way so the quote column stays readable."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        fit_reference_columns(self)


def fit_reference_columns(table: QTableWidget) -> None:
    """Size columns 1.. to their contents, capped so column 0 keeps ``QUOTE_SHARE`` of the room;
    empty columns (no speakers or times in these documents) are hidden."""
    shown = [
        c
        for c in range(1, table.columnCount())
        if any(
            (item := table.item(r, c)) is not None and item.text() for r in range(table.rowCount())
        )
    ]
    for column in range(1, table.columnCount()):
        table.setColumnHidden(column, column not in shown and table.rowCount() > 0)
    room = table.viewport().width()
    cap = min(REFERENCE_WIDTH, int(room * (1 - QUOTE_SHARE) / max(len(shown), 1)))
    for column in shown:
        table.resizeColumnToContents(column)
        table.setColumnWidth(column, max(min(table.columnWidth(column), cap), 24))
    table.resizeRowsToContents()


class CellPanel(QWidget):
    """``quote_activated(document_id, start, end)`` when a quote row is activated."""

    quote_activated = Signal(int, int, int)
    list_requested = Signal()  # list this cell's passages in the main window's Segments dock
    HEADERS = ("Quote", "Document", "Speaker", "Time", "Code", "Coder")

    def __init__(self, bridge: ProjectBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.cell: CellView | None = None
        self.expected_version = 0
        self._saving = False
        self._save_again = False
        self.title = QLabel("Click a cell to see its evidence.", self)
        self.title.setWordWrap(True)
        self.quotes = QuoteTable(0, len(self.HEADERS), self)
        self.quotes.setAccessibleName("Quotes in this cell")
        self.quotes.setHorizontalHeaderLabels(list(self.HEADERS))
        self.quotes.verticalHeader().hide()
        self.quotes.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.quotes.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.quotes.setWordWrap(True)
        self.quotes.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.quotes.horizontalHeader()
        # The quote takes the room; the reference columns fit their contents, up to a cap.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.quotes.cellActivated.connect(self._activated)
        self.quotes.cellDoubleClicked.connect(self._activated)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.summary = QPlainTextEdit(self)
        self.summary.setAccessibleName("Summary of this cell")
        self.summary.setPlaceholderText("Write the analyst's summary of this cell…")
        self.conflict = QLabel("", self)
        self.conflict.setWordWrap(True)
        self.conflict.setStyleSheet("color: #a01010;")
        self.conflict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save summary", self)
        self.save_button.clicked.connect(self.save)
        self.list_button = QPushButton("List in Segments", self)
        self.list_button.setToolTip(
            "Show this cell's coded passages in the main window's Segments dock"
        )
        self.list_button.setEnabled(False)
        self.list_button.clicked.connect(self.list_requested.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.list_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.quotes, 3)
        layout.addWidget(self.summary, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.conflict)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        self.summary.setEnabled(on)
        self.save_button.setEnabled(on)

    def show_cell(self, cell: CellView | None) -> None:
        """Show ``cell``; an unsaved edit of the same cell is kept (only its status refreshes)."""
        same = (
            cell is not None
            and self.cell is not None
            and (cell.case_id, cell.code_id) == (self.cell.case_id, self.cell.code_id)
        )
        keep_edit = same and self.summary.document().isModified()
        # A step elsewhere recomputes the map: an open cell whose evidence is the same keeps
        # its rows (refilling and sizing hundreds of wrapped quotes is the costly part).
        previous, self.cell = self.cell, cell
        if not same or cell is None or previous is None or cell.quotes != previous.quotes:
            self._fill_quotes(cell)
        self.list_button.setEnabled(cell is not None and len(cell.case_ids) == 1)
        if cell is None:
            self.title.setText("Click a cell to see its evidence.")
            self.status.setText("")
            self.summary.clear()
            self._enable(False)
            return
        self.title.setText(f"<b>{cell.title}</b> — {len(cell.quotes)} coded segment(s)")
        self._enable(cell.case_id is not None)
        if not same:
            self.conflict.setText("")
        if cell.case_id is None:
            self.summary.clear()
            self.status.setText(cell.note)
            return
        record = self.bridge.require().summaries.get(cell.case_id, cell.code_id)
        if not keep_edit:
            self.expected_version = record.version if record else 0
            self.summary.setPlainText(record.text if record else "")
            self.summary.document().setModified(False)
        self.status.setText(self._describe(record, cell))

    @staticmethod
    def _describe(record: SummaryRecord | None, cell: CellView) -> str:
        if record is None:
            return "No summary yet."
        said = f"Summary by {cell.author or 'a coder'}, {record.modified[:16].replace('T', ' ')}"
        if cell.stale:
            return f"⚠ STALE — the evidence changed after this summary was written. {said}."
        return f"{said}."

    def _fill_quotes(self, cell: CellView | None) -> None:
        quotes = cell.quotes if cell else []
        self.quotes.setRowCount(len(quotes))
        for row, quote in enumerate(quotes):
            code = quote.code.rsplit("/", 1)[-1]  # the full path is in the tooltip
            values = (quote.text, quote.document, quote.speaker, quote.timestamp, code, quote.coder)
            for column, text in enumerate(values):
                # References stay on one line (elided; whole in the tooltip): only quotes wrap.
                item = QTableWidgetItem(text if column == 0 else text.replace(" ", NO_BREAK))
                item.setToolTip(quote.code if column == 4 else text)
                self.quotes.setItem(row, column, item)
        fit_reference_columns(self.quotes)

    def _activated(self, row: int, _column: int) -> None:
        if self.cell is not None and 0 <= row < len(self.cell.quotes):
            quote = self.cell.quotes[row]
            self.quote_activated.emit(quote.document_id, quote.start, quote.end)

    def save(self) -> None:
        """Store the summary against the version it was started from, as one write op; a Save
        pressed while one runs saves again after it (against the version it stored)."""
        cell = self.cell
        if cell is None or cell.case_id is None:
            return
        if self._saving:
            self._save_again = True
            return
        case_id, code_id, fingerprint = cell.case_id, cell.code_id, cell.fingerprint
        text, version = self.summary.toPlainText().strip(), self.expected_version

        def write(project: Project) -> tuple[SummaryRecord | None, str, int]:
            try:
                record = project.summaries.set(
                    case_id, code_id, text, evidence_hash=fingerprint, expected_version=version
                )
            except Conflict as error:  # refused, nothing written: read theirs here too
                theirs = project.summaries.get(case_id, code_id)
                return None, str(error), theirs.version if theirs else 0
            return record, "", record.version

        def saved(outcome: tuple[SummaryRecord | None, str, int]) -> None:
            self._saving = False
            record, conflict, stored = outcome
            shown = self.cell
            if shown is None or (shown.case_id, shown.code_id) != (case_id, code_id):
                self._save_again = False
                return  # another cell is shown now, with its own version
            # Saving again after a conflict replaces theirs knowingly: the analyst saw both.
            self.expected_version = stored
            self.conflict.setText(
                f"Not saved. {conflict} Save again to replace their version." if conflict else ""
            )
            if record is not None:  # typed on since Save was pressed: still unsaved
                self.summary.document().setModified(self.summary.toPlainText().strip() != text)
            if self._save_again:
                self._save_again = False
                if record is not None:
                    self.save()

        def failed(error: BaseException) -> None:
            self._saving, self._save_again = False, False
            if isinstance(error, CollabCoderError):
                self.conflict.setText(f"Not saved: {error}")
            else:
                self.bridge.ops.failed.emit("Write summary", error)

        self._saving = True
        self.bridge.ops.run_op("Write summary", write, saved, initiator=self, on_error=failed)
