"""Search and coding-query results as CSV or Excel: one row per hit, formula-safe, whole or not.

Every cell passes the export sanitiser (``core.sanitize``): a quote starting with ``=`` stays
text. The file is written beside its target and renamed into place.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from collabcoder.core.atomic import atomic_path
from collabcoder.core.sanitize import csv_cell, sanitise
from collabcoder.core.search_coding import Passage
from collabcoder.core.search_eval import Hit

HIT_COLUMNS = ("Document", "Speaker", "Timestamp", "Start", "End", "Before", "Hit", "After")
PASSAGE_COLUMNS = ("Document", "Speaker", "Start", "End", "Text")


def hit_rows(hits: Sequence[Hit]) -> list[list[object]]:
    """Keyword-in-context rows, in the columns of :data:`HIT_COLUMNS`."""
    return [
        [h.document, h.speaker, h.timestamp, h.start, h.end, h.before, h.text, h.after]
        for h in hits
    ]


def passage_rows(passages: Sequence[Passage]) -> list[list[object]]:
    return [[p.document, p.speaker, p.start, p.end, p.text] for p in passages]


def write_rows(path: str | Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Write a results table to ``path``: ``.xlsx`` as a workbook, anything else as CSV."""
    if Path(path).suffix.lower() == ".xlsx":
        _write_xlsx(path, header, rows)
        return
    with (
        atomic_path(path) as temporary,
        open(temporary, "w", encoding="utf-8-sig", newline="") as handle,
    ):
        writer = csv.writer(handle)
        writer.writerow([csv_cell(name) for name in header])
        writer.writerows([csv_cell(value) for value in row] for row in rows)


def _write_xlsx(path: str | Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Results")
    sheet.freeze_panes = "A2"
    sheet.append(list(header))
    for row in rows:
        cells = []
        for value in row:
            clean, as_text = sanitise(value)
            cell = WriteOnlyCell(sheet, value=clean)
            if as_text:
                cell.data_type = "s"  # kept as text: never evaluated as a formula
                cell.quotePrefix = True
            cells.append(cell)
        sheet.append(cells)
    with atomic_path(path) as temporary:
        book.save(temporary)
