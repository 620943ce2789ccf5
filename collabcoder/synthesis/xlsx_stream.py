"""Fast rows for very large sheets (the Evidence sheet of 200,000 segments).

openpyxl spends ~15 µs per cell even in write-only mode, which makes 2 million evidence cells
take half a minute. For such sheets openpyxl still writes the sheet itself (header, widths, frozen
panes, styles); the long tail of plain rows is then spliced into the saved file as SpreadsheetML
we format directly: inline strings and numbers only, every string through the same sanitiser,
formula-like text typed as text with Excel's quote-prefix style.
"""

from __future__ import annotations

import math
import re
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from collabcoder.core.sanitize import sanitise

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


@dataclass
class StreamedRows:
    """Rows to append to ``sheet`` after the ``first_row - 1`` rows openpyxl wrote."""

    sheet: WriteOnlyWorksheet
    first_row: int
    width: int
    rows: Iterable[Sequence[object]]


def quote_prefix_style(ws: WriteOnlyWorksheet) -> int:
    """The workbook's style index for "text, shown as typed" (registered on first use)."""
    from openpyxl.cell import WriteOnlyCell

    probe = WriteOnlyCell(ws, "")
    probe.quotePrefix = True
    return int(probe.style_id)


def _column_letters(width: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(n) for n in range(1, width + 1)]


def _rows_xml(block: StreamedRows, text_style: int) -> Iterable[str]:
    letters = _column_letters(block.width)
    styled = f' s="{text_style}"'
    for number, values in enumerate(block.rows, block.first_row):
        cells = []
        for letter, value in zip(letters, values, strict=False):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if isinstance(value, str):
                text, as_text = sanitise(value)
                cells.append(
                    f'<c r="{letter}{number}" t="inlineStr"{styled if as_text else ""}>'
                    f'<is><t xml:space="preserve">{escape(str(text))}</t></is></c>'
                )
            elif isinstance(value, bool):
                cells.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
            else:
                cells.append(f'<c r="{letter}{number}" t="n"><v>{value}</v></c>')
        yield f'<row r="{number}">{"".join(cells)}</row>'


def splice_rows(path: Path, blocks: Sequence[StreamedRows], text_style: int) -> None:
    """Rewrite the saved workbook at ``path`` with each block's rows added to its sheet."""
    by_name = {block.sheet.path.lstrip("/"): block for block in blocks}
    temporary = path.with_name(path.name + ".part")
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as target,
    ):
        for info in source.infolist():
            block = by_name.get(info.filename)
            if block is None:
                with source.open(info) as reader, target.open(info.filename, "w") as writer:
                    shutil.copyfileobj(reader, writer, 1 << 20)
                continue
            xml = source.read(info)
            if b"<sheetData/>" in xml:
                xml = xml.replace(b"<sheetData/>", b"<sheetData></sheetData>")
            head, tail = xml.split(b"</sheetData>", 1)
            with target.open(info.filename, "w") as writer:
                writer.write(_DIMENSION.sub(b"", head))
                buffer: list[str] = []
                for row in _rows_xml(block, text_style):
                    buffer.append(row)
                    if len(buffer) >= 2000:
                        writer.write("".join(buffer).encode())
                        buffer.clear()
                writer.write("".join(buffer).encode())
                writer.write(b"</sheetData>" + tail)
    temporary.replace(path)
