"""Saved queries as columns of the Matrix: each chosen query's passages counted per row.

The column sits after the code columns with a negative id (so it is never taken for a code),
is shaded against the other query columns only, and its cell lists the query's passages in
that row. The queries run on the reader thread with the heat map, without indexing (a reader
never writes): documents the index lacks are searched from their text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .cell_panel import CellView, Quote

if TYPE_CHECKING:
    from collabcoder.core.project import Project
    from collabcoder.synthesis.filters import SegmentFilter
    from collabcoder.synthesis.frames import SynthesisData
    from collabcoder.synthesis.matrix import QueryColumn

    from .matrix_model import HeatmapData

NOTE = "A saved query's passages in this row; summaries belong to code cells."


def query_id(n: int) -> int:
    """The column id of the ``n``-th query column (negative: code ids are positive)."""
    return -1 - n


def query_columns(
    project: Project | None,
    data: SynthesisData,
    names: Sequence[str],
    rows: str,
    filters: SegmentFilter,
) -> list[QueryColumn]:
    """Run each saved query named in ``names`` and count its passages per row."""
    from collabcoder.core.search_saved import run_saved
    from collabcoder.synthesis.matrix import query_column

    if project is None:
        return []
    columns = []
    for name in names:
        record, passages = run_saved(project, name, index=False)
        columns.append(query_column(data, record.name, passages, rows=rows, filters=filters))
    return columns


def append_columns(heat: HeatmapData, columns: Sequence[QueryColumn]) -> None:
    """Add the query columns after the code columns of ``heat``."""
    for n, column in enumerate(columns):
        heat.codes.append((query_id(n), column.label, ""))
        counts = column.counts
        for row, label in zip(heat.values, heat.rows, strict=True):
            row.append(float(counts.get(label, 0)))


def query_cell(column: QueryColumn, column_id: int, label: str) -> CellView:
    """The cell of one query column in the row ``label``: its passages, no summary."""
    quotes = [
        Quote(p.document_id, p.document, p.speaker, "", column.label, "", p.start, p.end, p.text)
        for p in column.passages.get(label, [])
    ]
    return CellView(f"{label} × {column.label}", column_id, quotes=quotes, note=NOTE)
