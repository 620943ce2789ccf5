"""The Matrix window's computation, on the reader thread: the heat map for the chosen rows,
depth, measure, filters and query columns, and the evidence of one cell, from the snapshot.

Nothing here touches a widget; pandas is reached only through ``collabcoder.synthesis`` inside
the functions, so importing the window never loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from collabcoder.synthesis.speaker_rows import SPEAKER_ROWS

from .cell_panel import CellView, Quote
from .matrix_model import HeatmapData
from .matrix_queries import append_columns, query_cell

if TYPE_CHECKING:
    from collabcoder.synthesis.filters import SegmentFilter
    from collabcoder.synthesis.frames import SynthesisData
    from collabcoder.synthesis.matrix import QueryColumn


@dataclass(frozen=True)
class MatrixResult:
    """One computed heat map with what its cells' evidence needs."""

    data: SynthesisData
    heat: HeatmapData
    case_row: Any  # case id -> row number
    evidence: Any  # the evidence table for the filters
    filters: SegmentFilter
    cell_at: tuple[int, int] | None = None  # the cell open when the map was asked for
    cell: CellView | None = None  # its evidence, from the same snapshot
    queries: list[Any] = field(default_factory=list)  # synthesis.matrix.QueryColumn


def compute_matrix(
    data: SynthesisData,
    rows: str,
    depth: int | None,
    measure: str,
    filters: SegmentFilter,
    open_at: tuple[int, int] | None = None,
    queries: Sequence[QueryColumn] = (),
) -> MatrixResult:
    """The heat map for the chosen rows, depth, measure and filters, with the ``queries``'
    columns after the codes, and the evidence of the cell at ``open_at`` if the map still has
    it (runs on the reader)."""
    from collabcoder.synthesis.filters import filtered_documents
    from collabcoder.synthesis.framework import evidence_table, summary_status
    from collabcoder.synthesis.layout import row_layout
    from collabcoder.synthesis.matrix import case_code_matrix

    if rows not in ("case", SPEAKER_ROWS) and rows not in set(data.attributes["name"]):
        rows = "case"  # the attribute was deleted since the rows were chosen
    matrix = case_code_matrix(data, rows=rows, depth=depth, measure=measure, filters=filters)
    layout = row_layout(data, rows, filtered_documents(data, filters), filters)
    columns = matrix.columns
    marks: dict[tuple[int, int], bool] = {}
    if rows == "case":
        column_of = {int(c): n for n, c in enumerate(columns.index)}
        status = summary_status(data)
        for case_id, code_id, stale in zip(
            status["case_id"], status["code_id"], status["stale"], strict=True
        ):
            if int(case_id) in layout.case_row.index and int(code_id) in column_of:
                marks[(int(layout.case_row[int(case_id)]), column_of[int(code_id)])] = bool(stale)
    heat = HeatmapData(
        rows=[str(label) for label in matrix.values.index],
        codes=[
            (int(i), str(p), str(c))
            for i, p, c in zip(columns.index, columns["path"], columns["colour"], strict=True)
        ],
        values=matrix.values.to_numpy("float64").tolist(),
        measure=matrix.measure,
        summaries=marks,
    )
    append_columns(heat, queries)
    evidence = evidence_table(data, filters)
    cell = None
    if open_at is not None and open_at[0] < len(heat.rows) and open_at[1] < len(heat.codes):
        cell = cell_evidence(data, evidence, layout.case_row, heat, rows, *open_at, queries)
    return MatrixResult(
        data, heat, layout.case_row, evidence, filters, open_at, cell, list(queries)
    )


def cell_evidence(
    data: SynthesisData,
    evidence: Any,
    case_row: Any,
    heat: HeatmapData,
    rows_by: str,
    row: int,
    column: int,
    queries: Sequence[QueryColumn] = (),
) -> CellView:
    """The evidence (and, for a case row, the summary state) of one cell of ``heat``; a query
    column's cell lists its passages."""
    from collabcoder.synthesis.frames import NO_CASE
    from collabcoder.synthesis.framework import cell_fingerprint, summary_status

    code_id, path, _ = heat.codes[column]
    label = heat.rows[row]
    if code_id < 0:  # a saved query's column
        return query_cell(queries[-1 - code_id], code_id, label)
    first, last = data.codes.at[code_id, "order"], data.codes.at[code_id, "last"]
    case_ids: list[int] = []
    if rows_by == SPEAKER_ROWS:
        from collabcoder.synthesis.speaker_rows import speakers_of

        in_row = speakers_of(data, evidence) == label
    elif label == NO_CASE:
        in_row = evidence["case_id"].isna()
    else:
        case_ids = [int(c) for c in case_row.index[case_row == row]]
        in_row = evidence["case_id"].isin(case_ids)
    rows = evidence[in_row & evidence["code_order"].between(first, last)]
    quotes = [
        Quote(int(d), str(n), str(s), str(t), str(c), str(w), int(a), int(b), str(q))
        for d, n, s, t, c, w, a, b, q in zip(
            rows["document_id"],
            rows["document"],
            rows["speaker"],
            rows["timestamp"],
            rows["code"],
            rows["coder"],
            rows["start"],
            rows["end"],
            rows["quote"],
            strict=True,
        )
    ]
    cell = CellView(f"{label} × {path}", code_id, quotes=quotes, case_ids=case_ids)
    if rows_by != "case" or label == NO_CASE or len(case_ids) != 1:
        cell.note = "Summaries belong to one case: show rows by Case to write one."
        return cell
    cell.case_id = case_ids[0]
    cell.fingerprint = cell_fingerprint(data, cell.case_id, code_id)
    status = summary_status(data)
    mine = status[(status["case_id"] == cell.case_id) & (status["code_id"] == code_id)]
    if len(mine):
        cell.stale = bool(mine["stale"].iloc[0])
        cell.author = str(mine["author"].iloc[0])
    return cell
