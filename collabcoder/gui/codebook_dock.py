"""The Codebook dock: the code tree with counts and a name filter; drop a selection on a code to
code it, drag codes to move them."""

from __future__ import annotations

from collections import Counter
from functools import partial

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.changes import Changes, Kind
from collabcoder.core.segments import SegmentFilter

from .code_filter import CodeFilter
from .code_tree_model import CodeTreeModel
from .project_bridge import ProjectBridge
from .settings import FAVOURITE_KEYS, AppSettings


class CodebookDock(QDockWidget):
    """Shows the codebook; ``codes_selected`` carries the ids of the selected codes."""

    codes_selected = Signal(list)
    current_changed = Signal(object)  # the current code's id, or None
    memo_requested = Signal(int)  # code id

    def __init__(self, bridge: ProjectBridge, settings: AppSettings, parent: QWidget) -> None:
        super().__init__("Codebook", parent)
        self.setObjectName("codebookDock")
        self.bridge = bridge
        self.settings = settings
        self.model = CodeTreeModel(self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Code tree")
        self.tree.setIndentation(14)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDragDropOverwriteMode(False)  # drops between codes reorder them
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Count columns as narrow as four digits (their titles elide): names need the room.
        digits = self.fontMetrics().horizontalAdvance("9999") + 14
        header.setMinimumSectionSize(24)
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, digits)
        header.resizeSection(self.model.columnCount() - 1, digits * 3 // 4)
        self.filter = CodeFilter(self.tree, self.model, self)
        self.context_actions: list[QAction] = []  # codebook editing adds its commands here
        body = QWidget(self)
        box = QVBoxLayout(body)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.tree, 1)
        box.addWidget(self.filter)
        self.setWidget(body)
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        self.tree.selectionModel().currentChanged.connect(
            lambda *_: self.current_changed.emit(self.current_code())
        )
        bridge.changed.connect(self._on_changes)
        bridge.project_replaced.connect(self.reload)
        bridge.visibility.changed.connect(self._reload_counts)

    # -- state ------------------------------------------------------------------------------------
    def selected_codes(self) -> list[int]:
        rows = [i for i in self.tree.selectionModel().selectedIndexes() if i.column() == 0]
        return [code.id for code in (self.model.code(i) for i in rows) if code is not None]

    def current_code(self) -> int | None:
        """The code commands act on: the current item of the tree."""
        code = self.model.code(self.tree.currentIndex())
        return code.id if code else None

    def select_code(self, code_id: int) -> None:
        index = self.model.index_of(code_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def clear_current(self) -> None:
        """No current code and no selection (the Segments dock then lists every code)."""
        self.tree.selectionModel().clearSelection()
        self.tree.setCurrentIndex(QModelIndex())

    def favourite(self, key: int) -> int | None:
        """The code bound to number key ``key`` (1-9)."""
        favourites = self.model.favourites
        code_id = favourites[key - 1] if 0 < key <= len(favourites) else -1
        return code_id if code_id in self.model.code_ids() else None

    # -- refreshing -------------------------------------------------------------------------------
    def reload(self) -> None:
        expanded = self._expanded_ids()
        selected = self.selected_codes()
        project = self.bridge.project
        codes = self.bridge.codes() if project else []
        self.model.set_codes(codes, *(self._counts() if project else ({}, {})))
        self.model.set_favourites(self._favourites())
        self.tree.expandAll() if expanded is None else self._expand(expanded)
        self.filter.apply()
        for code_id in selected:
            self.tree.selectionModel().select(
                self.model.index_of(code_id),
                self.tree.selectionModel().SelectionFlag.Select
                | self.tree.selectionModel().SelectionFlag.Rows,
            )

    def _reload_counts(self) -> None:
        if self.bridge.project is not None:
            self.model.set_counts(*self._counts())

    def _on_changes(self, changes: Changes) -> None:
        if changes.touched(Kind.CODES):
            self.reload()
        elif changes.touched(Kind.SEGMENTS):
            delta = changes.delta(Kind.SEGMENTS)
            codes = delta.refs_of("code_id") if delta is not None else None
            visibility = self.bridge.visibility
            if codes is None or visibility.only_mine or visibility.hidden:
                self._reload_counts()
            elif codes and self.bridge.project is not None:
                # Only the codes the step's segments had or have: one small grouped query.
                found = self.bridge.project.codes.counts(sorted(codes))
                self.model.update_counts(codes, found)

    def _counts(self) -> tuple[dict[int, int], dict[int, int]]:
        """Segments and documents per code."""
        project = self.bridge.require()
        visibility = self.bridge.visibility
        if not visibility.only_mine and not visibility.hidden:
            both = project.codes.counts()
            return {i: n for i, (n, _d) in both.items()}, {i: d for i, (_n, d) in both.items()}
        # Blind coding: count only what this coder may see.
        coders = [c.id for c in self.bridge.coders() if visibility.visible(c.id)]
        segments = project.segments.list(SegmentFilter(coder_ids=coders))
        documents = Counter(code for code, _doc in {(s.code_id, s.document_id) for s in segments})
        return dict(Counter(s.code_id for s in segments)), dict(documents)

    def _favourites(self) -> list[int]:
        project = self.bridge.project
        if project is None:
            return []
        known = set(self.model.code_ids())
        # A key whose code was deleted stays free (-1) rather than shifting the others.
        stored = [i if i in known else -1 for i in self.settings.favourites(project.location)]
        if any(i > 0 for i in stored):
            return stored[:FAVOURITE_KEYS]
        # Until the user picks favourites, keys 1-9 follow the codebook's first codes.
        return self.model.code_ids()[:FAVOURITE_KEYS]

    def set_favourite(self, key: int, code_id: int) -> None:
        favourites = list(self.model.favourites)
        favourites = [i for i in favourites if i != code_id]
        while len(favourites) < key:
            favourites.append(-1)
        favourites[key - 1] = code_id
        self.settings.set_favourites(self.bridge.require().location, favourites)
        self.model.set_favourites(favourites)

    def _expanded_ids(self) -> set[int] | None:
        if not self.model.code_ids():
            return None
        out = set()
        for code_id in self.model.code_ids():
            if self.tree.isExpanded(self.model.index_of(code_id)):
                out.add(code_id)
        return out

    def _expand(self, ids: set[int]) -> None:
        for code_id in self.model.code_ids():
            self.tree.setExpanded(self.model.index_of(code_id), code_id in ids)

    # -- signals ----------------------------------------------------------------------------------
    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self.codes_selected.emit(self.selected_codes())

    def _context_menu(self, point: QPoint) -> None:
        index: QModelIndex = self.tree.indexAt(point)
        code = self.model.code(index)
        if code is None and not self.context_actions:
            return
        menu = QMenu(self)
        if code is not None:
            keys = menu.addMenu("Favourite key")
            for key in range(1, FAVOURITE_KEYS + 1):
                keys.addAction(str(key), partial(self.set_favourite, key, code.id))
            menu.addAction("Write memo on this code…", partial(self.memo_requested.emit, code.id))
            menu.addSeparator()
        menu.addActions(self.context_actions)
        menu.exec(self.tree.viewport().mapToGlobal(point))
