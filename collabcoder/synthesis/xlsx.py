"""Excel export: one streamed (write-only) workbook with the matrix, its evidence and provenance.

Framework cells link to their rows on the Evidence sheet, which is sorted so that each cell's
evidence (its code and all descendants, within one case) is one contiguous block of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collabcoder.core.atomic import atomic_path
from collabcoder.core.progress import CancelToken, Progress, Steps
from collabcoder.core.sanitize import sanitise
from collabcoder.synthesis.framework import EVIDENCE_COLUMNS
from collabcoder.synthesis.matrix import case_code_matrix
from collabcoder.synthesis.measures import is_share
from collabcoder.synthesis.sheet_layout import (
    SAMPLE_ROWS,
    content_width,
    header_label,
    print_setup,
    row_points,
    set_height,
    set_widths,
)
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
from collabcoder.synthesis.xlsx_stream import StreamedRows, splice_rows, splice_styles

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
STEPS = 6  # the steps write_workbook reports


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


def _font(**settings: Any) -> Any:
    """A font in the workbook's default face (a bare Font has none, and LibreOffice then
    falls back to a serif)."""
    from openpyxl.styles import Font

    return Font(**{"name": "Calibri", "size": 11, **settings})


def _row(ws: WriteOnlyWorksheet, values: Iterable[object]) -> list[object]:
    return [_cell(ws, v) for v in values]


def _header(
    ws: WriteOnlyWorksheet, names: Sequence[str], widths: Sequence[float], project: str
) -> None:
    """Column widths, a bold wrapped header row frozen and repeated on print, page set-up."""
    from openpyxl.styles import Alignment, PatternFill

    set_widths(ws, widths)
    set_height(ws, 1, row_points(zip(names, widths, strict=False)))
    ws.freeze_panes = "A2"
    print_setup(ws, project, widths)
    style = {
        "font": _font(bold=True),
        "fill": PatternFill("solid", fgColor="E7E6E6"),
        "alignment": Alignment(wrap_text=True, vertical="top"),
    }
    ws.append([_cell(ws, name, **style) for name in names])


def _filter(ws: WriteOnlyWorksheet, columns: int, rows: int) -> None:
    """An auto-filter over a list sheet's header and ``rows`` rows."""
    from openpyxl.utils import get_column_letter

    ws.auto_filter.ref = f"A1:{get_column_letter(max(columns, 1))}{rows + 1}"


def _frame_sheet(
    wb: Workbook,
    title: str,
    frame: pd.DataFrame,
    project: str,
    caps: Mapping[str, float] | None = None,
    listing: bool = True,
) -> None:
    """A table as a sheet: widths from content (long text wraps at its column's cap, 36 unless
    ``caps`` says otherwise), rows tall enough, every cell aligned to the top of its row."""
    from openpyxl.styles import Alignment

    ws = wb.create_sheet(title)
    names = [str(c) for c in frame.columns]
    rows = [
        [None if v is None or v != v else v for v in values]
        for values in frame.itertuples(index=False)
    ]
    widths = [
        content_width(
            (row[n] for row in rows[:SAMPLE_ROWS]), name, minimum=8, cap=(caps or {}).get(name, 36)
        )
        for n, name in enumerate(names)
    ]
    _header(ws, names, widths, project)
    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    for number, values in enumerate(rows, 2):
        texts = [(v, w) for v, w in zip(values, widths, strict=True) if isinstance(v, str)]
        set_height(ws, number, row_points(texts))
        long = {
            n
            for n, (v, w) in enumerate(zip(values, widths, strict=True))
            if isinstance(v, str) and ("\n" in v or len(v) > w)
        }
        ws.append(
            [
                _cell(ws, v, alignment=wrap if n in long else top) if v is not None else None
                for n, v in enumerate(values)
            ]
        )
    if listing:
        _filter(ws, len(names), len(rows))


def _text_colour(hex_colour: str) -> str:
    """Black or white, whichever reads better on the code's colour."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "FFFFFF"


def _code_header(
    ws: WriteOnlyWorksheet,
    first: str,
    columns: pd.DataFrame,
    widths: Sequence[float],
    project: str,
) -> None:
    """The header row of a case x code sheet: each code path broken at its separators in the
    code's colour, the full path in a comment; frozen with the label column and repeated on
    every printed page."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, PatternFill

    set_widths(ws, widths)
    labels = [header_label(str(path)) for path in columns["path"]]
    set_height(ws, 1, row_points(zip(labels, widths[1:], strict=True)))
    ws.freeze_panes = "B2"
    print_setup(ws, project, widths, title_columns="A:A")
    top = Alignment(wrap_text=True, vertical="top")
    cells: list[object] = [_cell(ws, first, font=_font(bold=True), alignment=top)]
    for path, label, colour in zip(columns["path"], labels, columns["colour"], strict=True):
        colour = colour if isinstance(colour, str) and len(colour) == 7 else "#DDDDDD"
        cell = _cell(
            ws,
            label,
            font=_font(bold=True, color=_text_colour(colour)),
            fill=PatternFill("solid", fgColor=colour[1:].upper()),
            alignment=top,
        )
        # A styled value is always a cell, so it can carry the comment.
        full = str(sanitise(str(path))[0])
        cell.comment = Comment(full, "CollabCoder", width=240, height=60)  # type: ignore[attr-defined]
        cells.append(cell)
    ws.append(cells)


def _label_width(labels: Iterable[object], first: str) -> float:
    return content_width(labels, first, minimum=12, cap=36)


def _matrix_sheet(wb: Workbook, matrix: CaseCodeMatrix, project: str) -> None:
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet("Matrix")
    first = "case" if matrix.rows == "case" else matrix.rows
    # Counts are short: a code column is as wide as the longest level of its path (up to 16).
    widths = [_label_width(matrix.values.index, first)] + [
        content_width(header_label(str(path)).split("\n"), minimum=8, cap=16)
        for path in matrix.columns["path"]
    ]
    _code_header(ws, first, matrix.columns, widths, project)
    share = is_share(matrix.measure)
    top = Alignment(vertical="top", wrap_text=True)
    for number, (label, values) in enumerate(
        zip(matrix.values.index, matrix.values.to_numpy().tolist(), strict=True), 2
    ):
        set_height(ws, number, row_points([(str(label), widths[0])]))
        cells = [_cell(ws, label, alignment=top)]
        cells += [_cell(ws, v, number_format="0.0%") if share else v for v in values]
        ws.append(cells)
    n_rows, n_cols = matrix.values.shape
    if n_rows and n_cols:
        area = f"B2:{get_column_letter(n_cols + 1)}{n_rows + 1}"
        ws.conditional_formatting.add(
            area,
            ColorScaleRule(
                start_type="min", start_color="FFFFFF", end_type="max", end_color="F8696B"
            ),
        )


def _framework_sheet(wb: Workbook, framework: FrameworkMatrix, project: str) -> None:
    """Each case's row of cell texts, then a row of links to each cell's Evidence rows.

    The links sit in cells of their own because LibreOffice neither wraps a hyperlinked cell
    nor keeps its line breaks, which would hide all but the first line of a summary."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb.create_sheet("Framework")
    last_column = get_column_letter(len(EVIDENCE_COLUMNS))
    wrap = Alignment(wrap_text=True, vertical="top")
    link_font = _font(color="0563C1", underline="single", size=9)
    rows = [
        (label, [cell_text(c.summary, c.author, c.modified, c.stale, c.quotes) for c in cells])
        for label, cells in framework.rows()
    ]
    widths = [_label_width(framework.labels, "case")] + [
        content_width(
            [header_label(str(path)), *(texts[n] for _, texts in rows)], minimum=16, cap=30
        )
        for n, path in enumerate(framework.columns["path"])
    ]
    _code_header(ws, "case", framework.columns, widths, project)
    number = 2
    for (label, texts), (_, cells) in zip(rows, framework.rows(), strict=True):
        set_height(ws, number, row_points(zip([label, *texts], widths, strict=True)))
        values: list[object] = [_cell(ws, label, alignment=wrap)]
        links: list[object] = [None]
        for cell, text in zip(cells, texts, strict=True):
            colour = "9C0006" if cell.stale else "000000"
            values.append(
                _cell(ws, text, alignment=wrap, font=_font(color=colour)) if text else None
            )
            if not cell.segments:
                links.append(None)
                continue
            # Evidence row i of the table sits on sheet row i + 2 (row 1 is the header).
            link = _cell(ws, _plural(cell.segments, "segment") + " ›", font=link_font)
            link.hyperlink = Hyperlink(  # type: ignore[attr-defined]
                ref="",
                location=f"'Evidence'!A{cell.first_row + 2}:{last_column}{cell.stop_row + 1}",
            )
            links.append(link)
        ws.append(values)
        ws.append(links)
        number += 2


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# Widest each Evidence column may grow; the code path and the quote wrap within theirs.
EVIDENCE_CAPS = {"case": 28, "document": 28, "speaker": 18, "code": 34, "quote": 70}
EVIDENCE_WRAP = frozenset(EVIDENCE_COLUMNS.index(name) for name in ("code", "quote"))


def _evidence_sheet(wb: Workbook, framework: FrameworkMatrix, project: str) -> StreamedRows:
    ws = wb.create_sheet("Evidence")
    evidence = framework.evidence
    columns = [
        evidence[name].tolist() if name in ("start", "end") else evidence[name].to_numpy(object)
        for name in EVIDENCE_COLUMNS
    ]
    widths = [
        content_width(values[:SAMPLE_ROWS], name, minimum=7, cap=EVIDENCE_CAPS.get(name, 14))
        for name, values in zip(EVIDENCE_COLUMNS, columns, strict=True)
    ]
    _header(ws, EVIDENCE_COLUMNS, widths, project)
    _filter(ws, len(EVIDENCE_COLUMNS), len(evidence))
    rows = ([v if v != "" else None for v in values] for values in zip(*columns, strict=True))
    return StreamedRows(ws, 2, len(EVIDENCE_COLUMNS), rows, EVIDENCE_WRAP, widths)


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
    wb: Workbook, data: SynthesisData, request: ExportRequest, matrix: CaseCodeMatrix, project: str
) -> None:
    from openpyxl.chart import BarChart, Reference

    ws = wb.create_sheet("Charts")
    group = chart_group(data, request)
    segments = _segment_counts(data, request, matrix, "case")
    if group is None:
        series = segments.sum(axis=0).to_frame("All cases").T
    else:
        series = _segment_counts(data, request, matrix, group)
    widths = [content_width(data.codes["path"], minimum=20, cap=40)] + [12.0] * 6
    set_widths(ws, widths)
    # The charts sit right of the tables (from column H), about 22 cm wide.
    print_setup(ws, project, [*widths, 90.0], title_rows=None)
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


def _agreement_sheet(wb: Workbook, request: ExportRequest, project: str) -> StreamedRows | None:
    report = request.agreement
    if report is None:
        return None
    ws = wb.create_sheet("Agreement")
    table = report.table()
    names = [str(c) for c in table.columns]
    frame = report.disagreements
    codes = [*table.iloc[:, 0], *([] if frame is None else frame["code"][:SAMPLE_ROWS])]
    widths = [content_width(codes, names[0], minimum=24, cap=40)]
    widths += [content_width([], name, minimum=12) for name in names[1:]]
    _header(ws, names, widths, project)
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
    rows = [] if frame is None else frame[columns].itertuples(index=False)
    return StreamedRows(ws, len(table) + 4, len(columns), rows, frozenset({0}), widths)


def write_workbook(
    path: str | Path,
    data: SynthesisData,
    request: ExportRequest | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> None:
    """Write the full synthesis workbook to ``path``, whole or not at all (sheets in SHEETS order;
    Agreement only when the request carries a report). ``cancel`` is checked between steps and
    rows: a cancelled export raises ``Cancelled`` and leaves the file as it was (or absent)."""
    from openpyxl import Workbook

    request = request or ExportRequest()
    tell = Steps(STEPS, f"Exporting {Path(path).name}", progress, cancel)
    tell("Building the matrix and collecting evidence")
    matrix, framework = build_matrices(data, request)
    project = str(sanitise(data.project)[0])
    wb = Workbook(write_only=True)
    try:
        tell("Writing the matrix")
        _matrix_sheet(wb, matrix, project)
        _framework_sheet(wb, framework, project)
        tell("Writing the evidence")
        streamed = [_evidence_sheet(wb, framework, project)]
        tell("Writing charts, codebook and cases")
        _charts_sheet(wb, data, request, matrix, project)
        _frame_sheet(wb, "Codebook", codebook_table(data), project, {"name": 24, "keywords": 20})
        _frame_sheet(wb, "Cases", cases_table(data), project)
        agreement_rows = _agreement_sheet(wb, request, project)
        if agreement_rows is not None:
            streamed.append(agreement_rows)
        _frame_sheet(
            wb, "Provenance", provenance_table(data, request), project, {"value": 80}, listing=False
        )
        tell("Saving")
    except BaseException:
        _discard(wb)
        raise
    styles = splice_styles(streamed[0].sheet)
    with atomic_path(path) as temporary:
        wb.save(str(temporary))
        tell("Writing the evidence rows")
        splice_rows(temporary, streamed, styles, tell.check)


def _discard(wb: Workbook) -> None:
    """Close a write-only workbook that will not be saved (the export failed or was cancelled),
    removing the temporary file openpyxl keeps per sheet until the process ends."""
    for ws in wb.worksheets:
        with suppress(Exception):  # best effort: the error that stopped the export is the news
            ws.close()
            ws._writer.cleanup()
