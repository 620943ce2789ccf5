"""The Search dock's results table: keyword-in-context lines, each with a tick box.

A coding-query passage is shown as a hit with no text around it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from collabcoder.core.search_eval import Hit

from .row_model import Index, RowTableModel


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ResultsModel(RowTableModel[Hit]):
    """Ticked rows are the ones "Code ticked" codes; all rows start ticked."""

    columns = ("Document", "Speaker", "Before", "Hit", "After")

    def __init__(self) -> None:
        super().__init__()
        self.unticked: set[int] = set()

    def set_rows(self, rows: list[Hit]) -> None:
        self.unticked = set()
        super().set_rows(rows)

    def ticked(self) -> list[Hit]:
        return [row for n, row in enumerate(self.rows) if n not in self.unticked]

    def set_all_ticked(self, on: bool) -> None:
        self.unticked = set() if on else set(range(len(self.rows)))
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            ticked = index.row() not in self.unticked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            values = (row.document, row.speaker, row.before[-60:], row.text, row.after[:60])
            return _one_line(values[column])
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.before}[{row.text}]{row.after}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.unticked.discard(index.row())
        else:
            self.unticked.add(index.row())
        self.dataChanged.emit(index, index, [role])
        return True


def results_table(model: ResultsModel, parent: QWidget) -> tuple[QSortFilterProxyModel, QTableView]:
    """The results view over ``model``: sorted by clicking a column, narrowed by a filter (ticks
    live in the model), the words around each hit stretched."""
    shown = QSortFilterProxyModel(parent)
    shown.setSourceModel(model)
    shown.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    shown.setFilterKeyColumn(-1)
    shown.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    table = QTableView(parent)
    table.setModel(shown)
    table.setAccessibleName("Search results")
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.setSortingEnabled(True)
    table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
    for section in (0, 1, 3):
        header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(100)
    return shown, table
