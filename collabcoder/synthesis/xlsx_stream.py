"""Fast rows for very large sheets (the Evidence sheet of 200,000 segments).

openpyxl spends ~15 µs per cell even in write-only mode, which makes 2 million evidence cells
take half a minute. For such sheets openpyxl still writes the sheet itself (header, widths, frozen
panes, styles); the long tail of plain rows is then spliced into the saved file as SpreadsheetML
we format directly: inline strings and numbers only, every string through the same sanitiser,
formula-like text typed as text with Excel's quote-prefix style, long text wrapped in rows tall
enough to show it.
"""

from __future__ import annotations

import math
import re
import shutil
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from collabcoder.core.sanitize import sanitise
from collabcoder.synthesis.sheet_layout import row_points

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


@dataclass
class StreamedRows:
    """Rows to append to ``sheet`` after the ``first_row - 1`` rows openpyxl wrote.

    Columns in ``wrap`` (0-based) wrap their text; ``widths`` (all columns) size the rows."""

    sheet: WriteOnlyWorksheet
    first_row: int
    width: int
    rows: Iterable[Sequence[object]]
    wrap: frozenset[int] = frozenset()
    widths: Sequence[float] = field(default_factory=tuple)


@dataclass(frozen=True)
class SpliceStyles:
    """The workbook's style indexes for spliced cells, all aligned to the top of their row:
    plain, text shown as typed, wrapped, and both."""

    plain: int
    text: int
    wrap: int
    wrap_text: int


def splice_styles(ws: WriteOnlyWorksheet) -> SpliceStyles:
    """Register (once) and return the styles spliced rows use."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    def style(quote_prefix: bool, wrap: bool) -> int:
        probe = WriteOnlyCell(ws, "")
        probe.quotePrefix = quote_prefix
        probe.alignment = Alignment(wrap_text=wrap, vertical="top")
        return int(probe.style_id)

    return SpliceStyles(
        style(False, False), style(True, False), style(False, True), style(True, True)
    )


def _column_letters(width: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(n) for n in range(1, width + 1)]


def _rows_xml(block: StreamedRows, styles: SpliceStyles) -> Iterable[str]:
    letters = _column_letters(block.width)
    wrapped = [n in block.wrap for n in range(block.width)]
    widths = list(block.widths) or [10.0] * block.width
    plain = f' s="{styles.plain}"'
    for number, values in enumerate(block.rows, block.first_row):
        cells = []
        tall: list[tuple[str, float]] = []
        for n, (letter, value) in enumerate(zip(letters, values, strict=False)):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if isinstance(value, str):
                text, as_text = sanitise(value)
                text = str(text)
                if wrapped[n]:
                    tall.append((text, widths[n]))
                    style = styles.wrap_text if as_text else styles.wrap
                else:
                    style = styles.text if as_text else styles.plain
                cells.append(
                    f'<c r="{letter}{number}" t="inlineStr" s="{style}">'
                    f'<is><t xml:space="preserve">{escape(text)}</t></is></c>'
                )
            elif isinstance(value, bool):
                cells.append(f'<c r="{letter}{number}" t="b"{plain}><v>{int(value)}</v></c>')
            else:
                cells.append(f'<c r="{letter}{number}" t="n"{plain}><v>{value}</v></c>')
        points = row_points(tall) if tall else None
        height = f' ht="{points:.1f}" customHeight="1"' if points else ""
        yield f'<row r="{number}"{height}>{"".join(cells)}</row>'


def splice_rows(
    path: Path,
    blocks: Sequence[StreamedRows],
    styles: SpliceStyles,
    check: Callable[[], None] = lambda: None,
) -> None:
    """Rewrite the saved workbook at ``path`` with each block's rows added to its sheet.

    ``check`` is called between blocks of rows and may raise (a cancel): then nothing is left
    beside ``path``."""
    by_name = {block.sheet.path.lstrip("/"): block for block in blocks}
    temporary = path.with_name(path.name + ".part")
    try:
        _splice(path, temporary, by_name, styles, check)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    temporary.replace(path)


def _splice(
    path: Path,
    temporary: Path,
    by_name: dict[str, StreamedRows],
    styles: SpliceStyles,
    check: Callable[[], None],
) -> None:
    """Copy the workbook at ``path`` to ``temporary``, the blocks' rows spliced in."""
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
                for row in _rows_xml(block, styles):
                    buffer.append(row)
                    if len(buffer) >= 2000:
                        check()
                        writer.write("".join(buffer).encode())
                        buffer.clear()
                writer.write("".join(buffer).encode())
                writer.write(b"</sheetData>" + tail)
