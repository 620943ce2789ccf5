"""The Segments dock: coded segments of the selected codes, filtered, quoted, jumpable."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.changes import Changes, Delta, Kind
from collabcoder.core.records import DocumentRecord, SegmentRecord
from collabcoder.core.segments import ORIGINS, SegmentFilter

from .chips import ChipBar, ChipSpec
from .project_bridge import ProjectBridge
from .segments_model import QuoteDelegate, SegmentRow, SegmentsModel
from .spans import quote_context

ANY = "Any"
INCREMENTAL_LIMIT = 500  # more segments changed than this in one step: list them all again


class SegmentsDock(QDockWidget):
    """``segment_activated(document_id, start, end)`` when a row is activated."""

    segment_activated = Signal(int, int, int)
    clear_codes = Signal()  # the codes shown come from the Codebook's selection: clear it there

    def __init__(self, bridge: ProjectBridge, parent: QWidget) -> None:
        super().__init__("Segments", parent)
        self.setObjectName("segmentsDock")
        self.bridge = bridge
        self.code_ids: list[int] = []
        # Only these segments (a search's results, listed here), named by ``results_label``.
        self.result_ids: list[int] | None = None
        self.results_label = ""
        self._dirty = True
        self._documents: dict[int, DocumentRecord] = {}
        self._filter: SegmentFilter | None = None  # what the rows shown were listed with
        self.model = SegmentsModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Coded segments")
        self.table.setItemDelegateForColumn(0, QuoteDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(100)  # size columns from a sample, not every row
        for section in range(2, self.model.columnCount()):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
        # Code paths can be long: keep a fixed width and show their end (the code itself).
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 260)
        self.table.setTextElideMode(Qt.TextElideMode.ElideLeft)
        self.table.activated.connect(self._activated)
        self.copy_action = QAction("Copy quotes with references", self.table)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy_quotes)
        self.table.addAction(self.copy_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.filters: dict[str, QComboBox] = {}
        grid = QGridLayout()
        for n, (key, label) in enumerate(
            (
                ("case", "Case"),
                ("attribute", "Attribute"),
                ("document", "Document"),
                ("coder", "Coder"),
                ("origin", "Origin"),
            )
        ):
            box = QComboBox(self)
            box.setAccessibleName(f"Filter segments by {label.lower()}")
            box.currentIndexChanged.connect(self.refresh)
            # Long names (attribute = value) elide in the closed box: the filters share one row.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(5)
            caption = QLabel(f"{label}:", self)
            caption.setBuddy(box)
            grid.addWidget(caption, 0, 2 * n)
            grid.addWidget(box, 0, 2 * n + 1)
            grid.setColumnStretch(2 * n + 1, 1)
            self.filters[key] = box
        self.summary = QLabel(self)
        # What decides the rows, visibly, each with its clear button.
        self.chips = ChipBar("Showing:", "every segment (no filter)", self)
        self.chips.cleared.connect(self.clear_filter)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(self.chips, 1)
        top.addWidget(self.summary)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        self.setWidget(body)
        bridge.changed.connect(self._on_changes)
        bridge.project_replaced.connect(self._project_replaced)
        bridge.visibility.changed.connect(self.refresh)
        self.visibilityChanged.connect(self._shown)

    def _shown(self, visible: bool) -> None:
        if visible and self._dirty:
            self.refresh()

    # -- what to show -----------------------------------------------------------------------------
    def show_codes(self, code_ids: list[int]) -> None:
        self.code_ids = list(code_ids)
        self.result_ids = None  # choosing codes ends a listing of search results
        self.refresh()

    def show_cell(self, code_ids: list[int], case_id: int) -> None:
        """Show the segments of ``code_ids`` in the documents of one case (a matrix cell)."""
        self.code_ids = list(code_ids)
        for key, box in self.filters.items():
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(case_id)) if key == "case" else 0)
            box.blockSignals(False)
        self.show()
        self.raise_()
        self.refresh()

    def show_segments(self, segment_ids: list[int], label: str) -> None:
        """Show only ``segment_ids`` (the coding of search results), as a chip named ``label``;
        the other filters still narrow them."""
        self.result_ids, self.results_label = list(segment_ids), label
        self.code_ids = []
        self.show()
        self.raise_()
        self.refresh()

    def _project_replaced(self) -> None:
        self.result_ids = None
        self.code_ids = []
        self._fill_filters()
        self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        # Coders join a project without an undoable step, so a new one shows up with its coding
        # (the bridge's list of coders is cached, so this costs no query for most steps).
        new_coder = len(self.bridge.coders()) != self.filters["coder"].count() - 1
        if new_coder or changes.touched(Kind.CASES, Kind.ATTRIBUTES, Kind.DOCUMENTS, Kind.CODERS):
            self._fill_filters()
        if new_coder and self._filter is not None:
            self._filter = self._where()  # the newcomer's segments arrive by id like any others
        if self._moves_every_row(changes):
            self.refresh()  # names, paths and filters move every row
        elif changes.touched(Kind.SEGMENTS):
            delta = changes.delta(Kind.SEGMENTS)
            if (
                self._dirty
                or delta is None
                or not delta.known
                or len(delta.ids) > INCREMENTAL_LIMIT
            ):
                self.refresh()
            elif self.isVisible():
                self._apply(delta)
            else:
                self._dirty = True
        elif changes.touched(Kind.DOCUMENTS, Kind.CASES):
            self._documents = {}  # new ones: their segments come with their own ids

    def _moves_every_row(self, changes: Changes) -> bool:
        """A renamed code, document or case, or a filter whose meaning changed, touches every row;
        new documents and cases touch none (an import's segments arrive by id)."""
        if changes.touched(Kind.CODES):
            return True
        narrowed = any(self.filters[k].currentData() is not None for k in ("case", "attribute"))
        if changes.touched(Kind.ATTRIBUTES) and narrowed:
            return True
        for kind in (Kind.DOCUMENTS, Kind.CASES):
            delta = changes.delta(kind)
            if delta is not None and (
                not delta.known or delta.removed or delta.updated or narrowed
            ):
                return True
        return False

    def _apply(self, delta: Delta) -> None:
        """Move only the rows of the segments a step touched."""
        project = self.bridge.require()
        where = self._filter if self._filter is not None else self._where()
        wanted = delta.inserted | delta.updated
        if self.result_ids is not None:  # new coding is not among the results listed
            wanted &= set(self.result_ids)
        found = project.segments.list(replace(where, segment_ids=sorted(wanted))) if wanted else []
        self.model.apply(delta.removed | wanted, self._rows(found))
        self._show_count()

    def _fill_filters(self) -> None:
        project = self.bridge.project
        choices: dict[str, list[tuple[str, object]]] = {key: [] for key in self.filters}
        if project is not None:
            choices["case"] = [(c.name, c.id) for c in project.cases.list()]
            names = {a.id: a.name for a in project.attributes.list()}
            pairs = sorted({(names[a], a, v) for (_c, a), v in project.attributes.values().items()})
            # Plain string data, so the choice survives refilling (findData compares it).
            choices["attribute"] = [(f"{n} = {v}", f"{a}\n{v}") for n, a, v in pairs]
            choices["document"] = [(d.name, d.id) for d in self.bridge.documents()]
            choices["coder"] = [(c.name, c.id) for c in self.bridge.coders()]
            choices["origin"] = [(o, o) for o in ORIGINS]
        for key, box in self.filters.items():
            keep = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(ANY, None)
            for text, data in choices[key]:
                box.addItem(text, data)
            box.setCurrentIndex(max(0, box.findData(keep)))
            box.blockSignals(False)

    def refresh(self) -> None:
        project = self.bridge.project
        if project is None:
            self.model.set_rows([])
            return
        if not self.isVisible():
            self._dirty = True  # filled when shown; no work for a hidden dock
            return
        self._dirty = False
        where = self._filter = self._where()
        self.model.set_rows(self._rows(project.segments.list(where)))
        self._show_count()

    def _where(self) -> SegmentFilter:
        """The segments the code selection and the filters choose."""
        self._documents = {d.id: d for d in self.bridge.documents()}
        wanted_docs = self._document_ids(list(self._documents.values()))
        visibility = self.bridge.visibility
        coders = [c.id for c in self.bridge.coders()]
        chosen_coder = self.filters["coder"].currentData()
        coder_ids = [i for i in coders if visibility.visible(i)]
        if chosen_coder is not None:
            coder_ids = [i for i in coder_ids if i == chosen_coder]
        origin = self.filters["origin"].currentData()
        return SegmentFilter(
            code_ids=self.code_ids or None,
            document_ids=wanted_docs,
            coder_ids=coder_ids,
            origins=[origin] if origin else None,
            segment_ids=self.result_ids,
        )

    def _rows(self, segments: list[SegmentRecord]) -> list[SegmentRow]:
        if not segments:
            return []
        project = self.bridge.require()
        cases = {c.id: c.name for c in project.cases.list()}
        coders = {c.id: c.name for c in self.bridge.coders()}
        paths = self.bridge.paths()
        if any(s.document_id not in self._documents for s in segments):
            self._documents = {d.id: d for d in self.bridge.documents()}
        rows = []
        for segment in segments:
            text = self.bridge.text(segment.document_id)
            document = self._documents[segment.document_id]
            before, quote, after = quote_context(text, segment.start, segment.end)
            rows.append(
                SegmentRow(
                    segment=segment,
                    document=document.name,
                    case=cases.get(document.case_id, "") if document.case_id else "",
                    code=paths.get(segment.code_id, ""),
                    coder=coders.get(segment.coder_id, ""),
                    before=before,
                    quote=quote,
                    after=after,
                )
            )
        return rows

    def _show_count(self) -> None:
        scope = "all codes" if not self.code_ids else f"{len(self.code_ids)} selected code(s)"
        self.summary.setText(f"{self.model.rowCount()} segment(s) for {scope}")
        self._show_chips()

    def _show_chips(self) -> None:
        chips = []
        if self.result_ids is not None:
            chips.append(ChipSpec("results", f"{self.results_label} ({len(self.result_ids)})"))
        if self.code_ids:
            paths = self.bridge.paths()
            first = self.bridge.code(self.code_ids[0])
            text = paths.get(self.code_ids[0], "?")
            if len(self.code_ids) > 1:
                text += f" and {len(self.code_ids) - 1} more"
            chips.append(ChipSpec("codes", f"Code: {text}", first.colour if first else ""))
        for key, box in self.filters.items():
            if box.currentData() is not None:
                chips.append(ChipSpec(key, f"{key.title()}: {box.currentText()}"))
        self.chips.set_chips(chips)

    def clear_filter(self, key: str) -> None:
        """Clear one filter (``codes`` asks the Codebook to clear its selection), or all ("")."""
        for name, box in self.filters.items():
            if key in ("", name):
                box.blockSignals(True)
                box.setCurrentIndex(0)
                box.blockSignals(False)
        if key in ("", "results"):
            self.result_ids = None
        if key in ("", "codes") and self.code_ids:
            self.clear_codes.emit()  # the Codebook answers with show_codes([]), which refreshes
        else:
            self.refresh()

    def _document_ids(self, listed: list[DocumentRecord]) -> list[int] | None:
        project = self.bridge.require()
        document = self.filters["document"].currentData()
        case = self.filters["case"].currentData()
        attribute = self.filters["attribute"].currentData()
        if document is None and case is None and attribute is None:
            return None
        ids = {d.id for d in listed}
        if document is not None:
            ids &= {document}
        if case is not None:
            ids &= {d.id for d in listed if d.case_id == case}
        if attribute is not None:
            attribute_id, value = str(attribute).split("\n", 1)
            values = project.attributes.values().items()
            cases = {c for (c, a), v in values if a == int(attribute_id) and v == value}
            ids &= {d.id for d in listed if d.case_id in cases}
        return sorted(ids)

    # -- acting on rows ---------------------------------------------------------------------------
    def _activated(self, index: QModelIndex) -> None:
        segment = self.model.rows[index.row()].segment
        self.segment_activated.emit(segment.document_id, segment.start, segment.end)

    def selected_rows(self) -> list[SegmentRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r] for r in rows]

    def copy_quotes(self) -> str:
        """Put the selected quotes, each with its reference, on the clipboard."""
        text = "\n\n".join(row.reference() for row in self.selected_rows())
        if text:
            QGuiApplication.clipboard().setText(text)
        return text
