"""Excel export: one streamed (write-only) workbook with the matrix, its evidence and provenance.

Framework cells link to their rows on the Evidence sheet, which is sorted so that each cell's
evidence (its code and all descendants, within one case) is one contiguous block of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collabcoder.core.sanitize import sanitise
from collabcoder.synthesis.framework import EVIDENCE_COLUMNS
from collabcoder.synthesis.matrix import case_code_matrix
from collabcoder.synthesis.tables import (
    ExportRequest,
    build_matrices,
    cases_table,
    cell_text,
    chart_group,
    codebook_table,
    provenance_table,
    top_codes,
)
from collabcoder.synthesis.xlsx_stream import StreamedRows, quote_prefix_style, splice_rows

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from collabcoder.synthesis.frames import SynthesisData
    from collabcoder.synthesis.framework import FrameworkMatrix
    from collabcoder.synthesis.matrix import CaseCodeMatrix

SHEETS = (
    "Matrix",
    "Framework",
    "Evidence",
    "Charts",
    "Codebook",
    "Cases",
    "Agreement",
    "Provenance",
)
Progress = Callable[[str], None]


def _cell(ws: WriteOnlyWorksheet, value: object, **style: Any) -> object:
    """A cell value or styled cell, passed through the sanitiser."""
    from openpyxl.cell import WriteOnlyCell

    value, as_text = sanitise(value)
    if not as_text and not style:
        return value
    cell = WriteOnlyCell(ws, value)
    if as_text:
        cell.data_type = "s"
        cell.quotePrefix = True
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _row(ws: WriteOnlyWorksheet, values: Iterable[object]) -> list[object]:
    return [_cell(ws, v) for v in values]


def _header(ws: WriteOnlyWorksheet, names: Sequence[str], widths: Sequence[int] = ()) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for n, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A2"
    ws.append([_cell(ws, name, font=Font(bold=True)) for name in names])


def _frame_sheet(wb: Workbook, title: str, frame: pd.DataFrame, widths: Sequence[int] = ()) -> None:
    ws = wb.create_sheet(title)
    _header(ws, [str(c) for c in frame.columns], widths)
    for values in frame.itertuples(index=False):
        ws.append(_row(ws, (None if v is None or v != v else v for v in values)))


def _text_colour(hex_colour: str) -> str:
    """Black or white, whichever reads better on the code's colour."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "FFFFFF"


def _code_header(ws: WriteOnlyWorksheet, first: str, columns: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.column_dimensions["A"].width = 28
    cells: list[object] = [_cell(ws, first, font=Font(bold=True))]
    for n, (path, colour) in enumerate(zip(columns["path"], columns["colour"], strict=True), 2):
        ws.column_dimensions[get_column_letter(n)].width = 18
        colour = colour if isinstance(colour, str) and len(colour) == 7 else "#DDDDDD"
        cells.append(
            _cell(
                ws,
                path,
                font=Font(bold=True, color=_text_colour(colour)),
                fill=PatternFill("solid", fgColor=colour[1:].upper()),
                alignment=Alignment(wrap_text=True, vertical="top"),
            )
        )
    ws.freeze_panes = "B2"
    ws.append(cells)


def _matrix_sheet(wb: Workbook, matrix: CaseCodeMatrix) -> None:
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet("Matrix")
    _code_header(ws, "case" if matrix.rows == "case" else matrix.rows, matrix.columns)
    for label, values in zip(matrix.values.index, matrix.values.to_numpy().tolist(), strict=True):
        ws.append(_row(ws, [label, *values]))
    n_rows, n_cols = matrix.values.shape
    if n_rows and n_cols:
        area = f"B2:{get_column_letter(n_cols + 1)}{n_rows + 1}"
        ws.conditional_formatting.add(
            area,
            ColorScaleRule(
                start_type="min", start_color="FFFFFF", end_type="max", end_color="F8696B"
            ),
        )


def _framework_sheet(wb: Workbook, data: SynthesisData, framework: FrameworkMatrix) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb.create_sheet("Framework")
    _code_header(ws, "case", framework.columns)
    last_column = get_column_letter(len(EVIDENCE_COLUMNS))
    wrap = Alignment(wrap_text=True, vertical="top")
    n_cols = len(framework.columns)
    for start in range(0, len(framework.cells), max(n_cols, 1)):
        row_cells = framework.cells[start : start + n_cols]
        values: list[object] = [_cell(ws, data.cases.at[row_cells[0].case_id, "name"])]
        for cell in row_cells:
            text = cell_text(cell.summary, cell.author, cell.modified, cell.stale, cell.quotes)
            if not cell.segments:
                values.append(_cell(ws, text or None, alignment=wrap) if text else None)
                continue
            # Evidence row i of the table sits on sheet row i + 2 (row 1 is the header).
            link = Hyperlink(
                ref="",
                location=(f"'Evidence'!A{cell.first_row + 2}:{last_column}{cell.stop_row + 1}"),
            )
            styled = _cell(
                ws, text, alignment=wrap, font=Font(color="9C0006" if cell.stale else "000000")
            )
            styled.hyperlink = link  # type: ignore[attr-defined]
            values.append(styled)
        ws.append(values)


def _evidence_sheet(wb: Workbook, framework: FrameworkMatrix) -> StreamedRows:
    ws = wb.create_sheet("Evidence")
    _header(ws, EVIDENCE_COLUMNS, (18, 24, 14, 10, 30, 12, 10, 8, 8, 80))
    evidence = framework.evidence
    columns = [
        evidence[name].tolist() if name in ("start", "end") else evidence[name].to_numpy(object)
        for name in EVIDENCE_COLUMNS
    ]
    rows = ([v if v != "" else None for v in values] for values in zip(*columns, strict=True))
    return StreamedRows(ws, 2, len(EVIDENCE_COLUMNS), rows)


def _segment_counts(
    data: SynthesisData, request: ExportRequest, matrix: CaseCodeMatrix, rows: str
) -> pd.DataFrame:
    """Segments per (row, code) for ``rows``: the request's matrix when it already is that."""
    if matrix.rows == rows and matrix.measure == "segments":
        return matrix.values
    return case_code_matrix(
        data, rows=rows, depth=request.depth, measure="segments", filters=request.filters
    ).values


def _charts_sheet(
    wb: Workbook, data: SynthesisData, request: ExportRequest, matrix: CaseCodeMatrix
) -> None:
    from openpyxl.chart import BarChart, Reference

    ws = wb.create_sheet("Charts")
    group = chart_group(data, request)
    segments = _segment_counts(data, request, matrix, "case")
    if group is None:
        series = segments.sum(axis=0).to_frame("All cases").T
    else:
        series = _segment_counts(data, request, matrix, group)
    ws.append(_row(ws, [f"Coded segments per code by {group or 'case'}", *series.index]))
    for code_id in series.columns:
        ws.append(_row(ws, [data.codes.at[code_id, "path"], *series[code_id].tolist()]))
    n_codes, n_groups = len(series.columns), len(series.index)
    if not (n_codes and n_groups):
        return
    first = BarChart()
    first.type, first.grouping = "bar", "clustered"
    first.title = f"Coded segments per code by {group or 'case'}"
    first.height, first.width = 12 + 0.4 * n_codes, 22
    first.add_data(
        Reference(ws, min_col=2, max_col=n_groups + 1, min_row=1, max_row=n_codes + 1),
        titles_from_data=True,
    )
    first.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n_codes + 1))
    ws.add_chart(first, "H2")
    ws.append([])
    top = top_codes(matrix)
    header_row = n_codes + 3
    ws.append(_row(ws, ["Top codes per case", *(data.codes.at[c, "path"] for c in top)]))
    for label, values in zip(segments.index, segments[top].to_numpy().tolist(), strict=True):
        ws.append(_row(ws, [label, *values]))
    if top and len(segments):
        second = BarChart()
        second.type, second.grouping, second.overlap = "bar", "stacked", 100
        second.title = f"Top {len(top)} codes per case"
        second.height, second.width = 12 + 0.4 * len(segments), 22
        second.add_data(
            Reference(
                ws,
                min_col=2,
                max_col=len(top) + 1,
                min_row=header_row,
                max_row=header_row + len(segments),
            ),
            titles_from_data=True,
        )
        second.set_categories(
            Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + len(segments))
        )
        ws.add_chart(second, f"H{int(first.height * 2) + 6}")


def _agreement_sheet(wb: Workbook, request: ExportRequest) -> StreamedRows | None:
    report = request.agreement
    if report is None:
        return None
    ws = wb.create_sheet("Agreement")
    table = report.table()
    _header(ws, [str(c) for c in table.columns], (30, 10))
    for values in table.itertuples(index=False):
        ws.append(_row(ws, values))
    ws.append([])
    ws.append(
        _row(
            ws,
            [
                f"Disagreements ({report.unit} level)",
                "document",
                "start",
                "end",
                "applied by",
                "not by",
            ],
        )
    )
    columns = ["code", "document", "start", "end", "applied_by", "not_by"]
    frame = report.disagreements
    rows = [] if frame is None else frame[columns].itertuples(index=False)
    return StreamedRows(ws, len(table) + 4, len(columns), rows)


def write_workbook(
    path: str | Path,
    data: SynthesisData,
    request: ExportRequest | None = None,
    progress: Progress | None = None,
) -> None:
    """Write the full synthesis workbook to ``path`` (sheets in SHEETS order; Agreement only when
    the request carries a report)."""
    from openpyxl import Workbook

    request = request or ExportRequest()
    tell = progress or (lambda _step: None)
    tell("Building the matrix and collecting evidence")
    matrix, framework = build_matrices(data, request)
    wb = Workbook(write_only=True)
    tell("Writing the matrix")
    _matrix_sheet(wb, matrix)
    _framework_sheet(wb, data, framework)
    tell("Writing the evidence")
    streamed = [_evidence_sheet(wb, framework)]
    tell("Writing charts, codebook and cases")
    _charts_sheet(wb, data, request, matrix)
    _frame_sheet(wb, "Codebook", codebook_table(data), (30, 20, 6, 9, 50, 30, 30, 30, 20, 9))
    _frame_sheet(wb, "Cases", cases_table(data), (24, 40))
    agreement_rows = _agreement_sheet(wb, request)
    if agreement_rows is not None:
        streamed.append(agreement_rows)
    _frame_sheet(wb, "Provenance", provenance_table(data, request), (22, 80))
    text_style = quote_prefix_style(streamed[0].sheet)
    tell("Saving")
    wb.save(str(path))
    tell("Writing the evidence rows")
    splice_rows(Path(path), streamed, text_style)
