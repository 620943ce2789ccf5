"""Print-ready sheets: column widths from content, row heights that show wrapped text, headers.

Neither Excel nor LibreOffice grows a row to fit wrapped text written by a program, so every row
that wraps gets an explicit height estimated from its text and column widths. Widths are in
Excel's units (about one digit of the default font); estimates err on the generous side because
LibreOffice substitutes wider fonts for Calibri on machines without it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

LINE_POINTS = 15.0  # one line of 11-point text
PADDING_POINTS = 3.0
MAX_ROW_POINTS = 409.0  # Excel's limit
# How many width units of columns one landscape page holds at the smallest scale worth reading
# (about 55 %); wider sheets print more pages across instead of shrinking further.
PAGE_UNITS = 260.0
CHARS_PER_UNIT = 1.05  # text characters per width unit, allowing for word wrap
SAMPLE_ROWS = 2000  # rows read to size a column of a very long sheet


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a wrapping column ``width`` units wide."""
    per_line = max(width * CHARS_PER_UNIT - 1, 1.0)
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))


def row_points(texts: Iterable[tuple[str, float]]) -> float | None:
    """The height a row needs for its (text, column width) pairs; None when one line will do."""
    lines = max((wrapped_lines(text, width) for text, width in texts if text), default=1)
    if lines <= 1:
        return None
    return min(lines * LINE_POINTS + PADDING_POINTS, MAX_ROW_POINTS)


def longest_line(value: object) -> int:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    return max(len(line) for line in str(value).split("\n"))


def content_width(
    values: Iterable[object], header: str = "", minimum: float = 6, cap: float = 50
) -> float:
    """A column width that shows the longest line of its values (and the header's longest word),
    between ``minimum`` and ``cap``."""
    longest = max((longest_line(v) for v in values), default=0)
    header_word = max((len(word) for word in header.split()), default=0)
    return float(min(max(longest + 2, header_word + 2, minimum), cap))


def header_label(path: str) -> str:
    """A code path broken into lines at its separators, so no level is cut off."""
    return path.replace("/", "/\n")


def set_widths(ws: WriteOnlyWorksheet, widths: Sequence[float]) -> None:
    from openpyxl.utils import get_column_letter

    for n, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(n)].width = round(width, 1)


def set_height(ws: WriteOnlyWorksheet, row: int, points: float | None) -> None:
    """Give sheet row ``row`` (1-based) ``points`` of height; call before appending the row."""
    if points is not None:
        ws.row_dimensions[row].height = round(points, 1)


def print_setup(
    ws: WriteOnlyWorksheet,
    project: str,
    widths: Sequence[float],
    title_rows: str | None = "1:1",
    title_columns: str | None = None,
) -> None:
    """Landscape, as few pages across as legibility allows (one for most sheets), the header
    row (and label column) repeated on every page, and the project, sheet and page numbers in
    the page margins."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = max(1, math.ceil(sum(widths) / PAGE_UNITS))
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    if title_rows:
        ws.print_title_rows = title_rows
    if title_columns:
        ws.print_title_cols = title_columns
    # Header and footer codes: &A the sheet name, &P/&N the page and page count; a literal
    # ampersand in the project name must be doubled.
    ws.oddHeader.left.text = project.replace("&", "&&")[:200]
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.center.text = "Page &P of &N"
