"""The one gate every exported cell value passes: user text never becomes a formula.

Spreadsheet programs treat a cell starting with ``=``, ``+``, ``-`` or ``@`` (and, via some
import paths, tab or carriage return) as a formula, so a quote such as ``=HYPERLINK(...)`` from a
transcript could run when the analyst opens the export (CSV/formula injection). Excel cells keep
the text and are typed as text with Excel's quote prefix; CSV cells get a leading apostrophe (the
usual CSV defence, since CSV cannot carry a type).
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32_767
# Characters XML 1.0 cannot hold; openpyxl refuses them, and a PDF's form feed is one.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def sanitise(value: object) -> tuple[object, bool]:
    """Return ``(value, as_text)``: strings are cleaned of characters a workbook cannot hold and
    cut to Excel's cell limit; ``as_text`` is True when the string must be forced to text."""
    if not isinstance(value, str):
        return value, False
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub(" ", value)
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - 1] + "…"
    return value, value.startswith(FORMULA_STARTS)


def csv_cell(value: object) -> object:
    """A value safe to write to CSV (formula-like text gets a leading apostrophe)."""
    value, as_text = sanitise(value)
    return f"'{value}" if as_text else value
