"""What every table model of ours shares: Qt's index types, and a list of rows as a table."""

from __future__ import annotations

from typing import Any, Generic, TypeAlias, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index: TypeAlias = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument

R = TypeVar("R")


class RowTableModel(QAbstractTableModel, Generic[R]):
    """A flat table over ``rows`` (one item each) with fixed column titles.

    Subclasses set ``columns`` and implement ``data``; replacing the rows resets the view.
    """

    columns: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[R] = []

    def set_rows(self, rows: list[R]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None
