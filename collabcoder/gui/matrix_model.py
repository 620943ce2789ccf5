"""The heat-map table of a case x code matrix: one shaded cell per (row, code column).

Plain lists in, no pandas: the Matrix window converts the synthesis result once per refresh, so
painting never touches a DataFrame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap

from collabcoder.synthesis.measures import QUERY_COLUMN, is_share

from .row_model import ROOT, Index

HEAT = QColor("#1f5fa8")  # the colour of the largest value; zero stays the base colour
STALE_MARK = " ⚠"
SUMMARY_MARK = " ✎"


@dataclass
class HeatmapData:
    """Values by row then column, labels, and which cells carry a (stale) summary."""

    rows: list[str] = field(default_factory=list)
    codes: list[tuple[int, str, str]] = field(default_factory=list)  # code id, path, colour
    values: list[list[float]] = field(default_factory=list)
    measure: str = "segments"
    summaries: dict[tuple[int, int], bool] = field(default_factory=dict)  # cell -> stale


def format_value(value: float, measure: str) -> str:
    if is_share(measure):
        return f"{value:.0%}" if value else ""
    if measure == "jaccard":
        return f"{value:.2f}" if value else ""
    return f"{int(value)}" if value else ""


class HeatmapModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.heat = HeatmapData()
        self._top = 0.0
        self._tops: dict[bool, float] = {}
        self._icons: dict[str, QIcon] = {}

    def set_data(self, heat: HeatmapData) -> bool:
        """Show ``heat``; True when its rows or columns changed (the view was reset).

        With the same rows and columns (a coding step) the cells change in place, so the view
        keeps its selection, scroll position and column widths.
        """
        same = (heat.rows, heat.codes) == (self.heat.rows, self.heat.codes)
        if not same:
            self.beginResetModel()
        self.heat = heat
        # Query columns (negative ids: passages, not the codes' measure) shade among themselves.
        queries = {n for n, code in enumerate(heat.codes) if code[0] < 0}
        self._tops = {}
        for group in (False, True):
            self._tops[group] = max(
                (v for row in heat.values for n, v in enumerate(row) if (n in queries) == group),
                default=0.0,
            )
        self._top = self._tops[False]
        if not same:
            self.endResetModel()
        elif heat.rows and heat.codes:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(heat.rows) - 1, len(heat.codes) - 1)
            )
        return not same

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.heat.rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.heat.codes)

    def value(self, row: int, column: int) -> float:
        return self.heat.values[row][column]

    def fullest(self, diagonal: bool) -> QModelIndex:
        """The index of the largest cell (off the diagonal unless ``diagonal``)."""
        cells = [
            (self.value(r, c), r, c)
            for r in range(self.rowCount())
            for c in range(self.columnCount())
            if diagonal or r != c
        ]
        _value, row, column = max(cells, default=(0.0, 0, 0))
        return self.index(row, column)

    def measure_of(self, column: int) -> str:
        """What a column's cells hold: the codes' measure, or a query column's passages."""
        return QUERY_COLUMN.key if self.heat.codes[column][0] < 0 else self.heat.measure

    def top(self, column: int) -> float:
        return self._tops.get(self.heat.codes[column][0] < 0, 0.0)

    def shade(self, value: float, column: int = 0) -> QColor | None:
        """The cell's background: transparent at zero, deepening towards the largest value."""
        top = self.top(column) if self.heat.codes else self._top
        if value <= 0 or top <= 0:
            return None
        share = 0.12 + 0.88 * (value / top)
        colour = QColor(HEAT)
        colour.setAlphaF(min(share, 1.0))
        return colour

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        value = self.heat.values[row][column]
        stale = self.heat.summaries.get((row, column))
        measure, top = self.measure_of(column), self.top(column)
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "" if stale is None else (STALE_MARK if stale else SUMMARY_MARK)
            return format_value(value, measure) + mark
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.shade(value, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            dark = top > 0 and value / top > 0.55
            return QColor("white") if dark else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            shown = format_value(value, measure) or "0"
            tip = f"{self.heat.rows[row]} × {self.heat.codes[column][1]}: {shown} {measure}"
            if stale is not None:
                tip += "\nSummary written" + (
                    " — STALE: the evidence changed since" if stale else ""
                )
            return tip
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole:
            if horizontal:
                return self.heat.codes[section][1].rsplit("/", 1)[-1]
            return self.heat.rows[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.heat.codes[section][1] if horizontal else self.heat.rows[section]
        if role == Qt.ItemDataRole.DecorationRole and horizontal:
            return self._swatch(self.heat.codes[section][2])
        return None

    def _swatch(self, colour: str) -> QIcon:
        if colour not in self._icons:
            pixmap = QPixmap(10, 10)
            pixmap.fill(QColor(colour) if QColor.isValidColorName(colour) else QColor("grey"))
            self._icons[colour] = QIcon(pixmap)
        return self._icons[colour]
