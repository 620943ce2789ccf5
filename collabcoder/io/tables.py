"""Coded tables (.csv, .xlsx): survey answers or pre-coded excerpts, one document per row.

``read_table`` turns the file into plain columns and rows of strings; ``map_table`` picks the text,
id, attribute and code columns and returns per-row documents, case attribute values and code
names as plain data. Writing them into a project is batch import's job.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from collabcoder.core.errors import (
    CorruptFile,
    EmptyFile,
    FileTooLarge,
    InvalidValue,
    UnsupportedFormat,
)
from collabcoder.core.text import canonical_text
from collabcoder.io.formats import DEFAULT_MAX_BYTES
from collabcoder.io.formats.decoding import decode_text
from collabcoder.io.formats.office import check_zip
from collabcoder.io.zip_limits import WORKBOOK_CAPS

if TYPE_CHECKING:
    from pandas import DataFrame

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx")
_CODED = frozenset({"1", "1.0", "true", "yes", "y", "x"})
_UNCODED = frozenset({"", "0", "0.0", "false", "no", "n"})
_CODE_SEPARATORS = (";", "|", "\n")
_MAX_LISTED = 5
_MAX_CELL = 2**31 - 1


@dataclass(frozen=True, slots=True)
class ParsedTable:
    """A table as read: its column names and its rows of cell text ("" for an empty cell)."""

    name: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row made ready for import: a document, the case it belongs to, and its codes."""

    row: int  # 1-based data row (the spreadsheet row is one more, after the header)
    name: str
    text: str
    case: str | None
    attributes: dict[str, str]
    codes: list[str]


@dataclass(slots=True)
class TableImport:
    """Everything a table contributes: rows, the code and attribute names, and skipped rows."""

    rows: list[TableRow] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_table(
    path: Path, *, sheet: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedTable:
    """Read a .csv/.tsv (any text encoding, delimiter sniffed) or .xlsx sheet as strings."""
    return parse_table(path, read_table_bytes(path, max_bytes), sheet=sheet)


def read_table_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The contents of ``path``, refused first for an unknown extension, its size or emptiness."""
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise UnsupportedFormat(
            f"{path.name}: not a table CollabCoder reads ({', '.join(TABLE_SUFFIXES)})"
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(f"{path.name}: {size / 2**20:,.1f} MB is more than the limit")
    if size == 0:
        raise EmptyFile(f"{path.name}: the file is empty")
    return path.read_bytes()


def parse_table(path: Path, data: bytes, *, sheet: str | None = None) -> ParsedTable:
    """The table in ``data``, the already-read contents of ``path`` (its extension picks how).

    Every cell is canonical text (no control characters or noncharacters), header included.
    """
    if path.suffix.lower() == ".xlsx":
        frame = _read_xlsx(path.name, data, sheet)
        columns = [canonical_text(str(column)).strip() for column in frame.columns]
        rows = [
            ["" if cell is None else canonical_text(str(cell)) for cell in row]
            for row in frame.to_numpy()
        ]
    else:
        columns, rows = _read_csv(path.name, data)
    if not rows:
        raise EmptyFile(f"{path.name}: the table has a header but no rows")
    return ParsedTable(path.name, columns, rows)


def _read_csv(name: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV/TSV; the csv module, not pandas, so 100,000 columns are quick."""
    text, _ = decode_text(data, name)
    text = canonical_text(text)
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if name.lower().endswith(".tsv") else ","
    csv.field_size_limit(_MAX_CELL)  # the default (128 KiB) refuses a long answer
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = [cells for cells in records if cells]  # blank lines carry nothing
    except csv.Error as exc:
        raise CorruptFile(
            f"{name}: not a readable CSV table (line {records.line_num}: {exc})"
        ) from exc
    if not lines:
        raise EmptyFile(f"{name}: the table holds no columns")
    columns = [column.strip() for column in lines[0]]
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if len(cells) > len(columns):
            raise CorruptFile(
                f"{name}: not a readable CSV table (row {number} has {len(cells)} cells, "
                f"the header {len(columns)})"
            )
        rows.append(cells + [""] * (len(columns) - len(cells)))
    return columns, rows


def _read_xlsx(name: str, data: bytes, sheet: str | None) -> DataFrame:
    import pandas as pd

    check_zip(data, name, ("xl/workbook.xml",), WORKBOOK_CAPS)
    try:
        return pd.read_excel(
            io.BytesIO(data),
            sheet_name=sheet if sheet is not None else 0,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            engine="openpyxl",
        )
    except (ValueError, KeyError, OSError) as exc:
        raise CorruptFile(f"{name}: not a readable Excel workbook ({exc})") from exc


def select_columns(table: ParsedTable, spec: str) -> list[str]:
    """Column names from a comma list, where names may themselves hold commas.

    ``"Trust,Date"`` and ``"Staff listening, understanding & involving patients,Parking"`` both
    work: pieces are joined back while they spell an existing column. ``"First..Last"`` selects
    a range of adjacent columns, inclusive.
    """
    known = {column.strip(): index for index, column in enumerate(table.columns)}
    pieces = [piece.strip() for piece in spec.split(",")]
    # No run is longer than a range between the two names with the most commas (a wide table
    # of 100,000 columns must not try every run of pieces).
    longest = 2 * max((column.count(",") for column in table.columns), default=0) + 1
    chosen: list[str] = []
    at = 0
    while at < len(pieces):
        # Longest run of pieces that names a column (or a range) wins.
        for stop in range(min(len(pieces), at + longest), at, -1):
            candidate = ", ".join(pieces[at:stop])
            names = _range(table, known, candidate) or ([candidate] if candidate in known else None)
            if names:
                chosen.extend(names)
                at = stop
                break
        else:
            if pieces[at]:
                raise InvalidValue(_no_column(table, pieces[at]))
            at += 1
    return chosen


def _range(table: ParsedTable, known: dict[str, int], candidate: str) -> list[str] | None:
    first, dots, last = candidate.partition("..")
    if not dots or first.strip() not in known or last.strip() not in known:
        return None
    start, stop = known[first.strip()], known[last.strip()]
    return table.columns[min(start, stop) : max(start, stop) + 1]


def binary_columns(table: ParsedTable) -> list[str]:
    """Columns holding only 0/1-style values with at least one "coded" value (code columns)."""
    found = []
    for index, column in enumerate(table.columns):
        values = {row[index].strip().lower() for row in table.rows}
        if values & _CODED and values <= _CODED | _UNCODED:
            found.append(column)
    return found


def map_table(
    table: ParsedTable,
    *,
    text_column: str | Sequence[str],
    id_column: str | None = None,
    attribute_columns: Sequence[str] = (),
    code_columns: Sequence[str] = (),
    codes_from: str | None = None,
) -> TableImport:
    """Per-row documents, cases, attribute values and code names from ``table``.

    A row's case is its id (rows sharing an id share a case); without an id column, a row gets a
    case of its own only when attribute values need one. Rows with empty text are skipped with a
    warning; a code cell that is not 0/1 (yes/no, x) raises InvalidValue naming row and column.
    Several text columns (a survey's open questions) give one document per answer, all in the
    row's case; code columns then cannot say which answer they code, so they are refused.
    """
    if not isinstance(text_column, str):
        return _map_answers(table, list(text_column), id_column, attribute_columns,
                            code_columns, codes_from)  # fmt: skip
    index = _column_indexes(
        table, _wanted(text_column, id_column, attribute_columns, code_columns, codes_from)
    )
    result = TableImport(attributes=list(attribute_columns))
    code_order: dict[str, None] = dict.fromkeys(code_columns)
    names: dict[str, int] = {}
    empty: list[int] = []
    stem = Path(table.name).stem
    for number, cells in enumerate(table.rows, start=1):
        text = canonical_text(cells[index[text_column]]).strip()
        if not text:
            empty.append(number)
            continue
        ident = cells[index[id_column]].strip() if id_column else ""
        name = _unique(ident or f"{stem} row {number}", names)
        case = ident or (name if attribute_columns else None)
        codes = [c for c in code_columns if _is_coded(table, cells[index[c]], c, number)]
        if codes_from:
            codes += _split_codes(cells[index[codes_from]])
        code_order.update(dict.fromkeys(codes))
        attributes = {c: cells[index[c]].strip() for c in attribute_columns}
        result.rows.append(TableRow(number, name, text, case, attributes, codes))
    result.codes = list(code_order)
    if empty:
        listed = ", ".join(map(str, empty[:_MAX_LISTED])) + (", ..." if len(empty) > 5 else "")
        result.warnings.append(
            f"{table.name}: skipped {len(empty)} rows with an empty {text_column!r} (rows {listed})"
        )
    return result


def _map_answers(
    table: ParsedTable,
    text_columns: list[str],
    id_column: str | None,
    attribute_columns: Sequence[str],
    code_columns: Sequence[str],
    codes_from: str | None,
) -> TableImport:
    """One document per non-empty answer; the row (respondent) is the case."""
    if len(text_columns) == 1:
        return map_table(table, text_column=text_columns[0], id_column=id_column,
                         attribute_columns=attribute_columns, code_columns=code_columns,
                         codes_from=codes_from)  # fmt: skip
    if code_columns or codes_from:
        raise InvalidValue(
            f"{table.name}: with several text columns, code columns cannot say which answer "
            "they code; import one text column at a time to bring codes in"
        )
    wanted = _wanted(text_columns, id_column, attribute_columns)
    index = _column_indexes(table, wanted)
    result = TableImport(attributes=list(attribute_columns))
    names: dict[str, int] = {}
    stem = Path(table.name).stem
    empty = 0
    for number, cells in enumerate(table.rows, start=1):
        ident = cells[index[id_column]].strip() if id_column else ""
        case = ident or f"{stem} row {number}"
        attributes = {c: cells[index[c]].strip() for c in attribute_columns}
        for column in text_columns:
            text = canonical_text(cells[index[column]]).strip()
            if not text:
                empty += 1
                continue
            name = _unique(f"{case} - {column}", names)
            result.rows.append(TableRow(number, name, text, case, attributes, []))
    if empty:
        result.warnings.append(f"{table.name}: skipped {empty} empty answers")
    return result


def _wanted(*specs: str | Sequence[str] | None) -> list[str]:
    wanted: list[str] = []
    for spec in specs:
        if isinstance(spec, str):
            wanted.append(spec)
        elif spec:
            wanted.extend(spec)
    return wanted


def _column_indexes(table: ParsedTable, columns: list[str]) -> dict[str, int]:
    """Each wanted column's index (the first column of that name), looked up in one pass."""
    first: dict[str, int] = {}
    for index, name in enumerate(table.columns):
        first.setdefault(name, index)
    missing = next((c for c in columns if c.strip() not in first), None)
    if missing is not None:
        raise InvalidValue(_no_column(table, missing))
    return {column: first[column.strip()] for column in columns}


def _no_column(table: ParsedTable, column: str) -> str:
    shown = ", ".join(repr(c) for c in table.columns[:12])
    more = ", ..." if len(table.columns) > 12 else ""
    return f"{table.name}: no column named {column!r} (columns: {shown}{more})"


def _is_coded(table: ParsedTable, cell: str, column: str, row: int) -> bool:
    value = cell.strip().lower()
    if value in _CODED:
        return True
    if value in _UNCODED:
        return False
    raise InvalidValue(
        f"{table.name}: row {row}, code column {column!r} holds {cell!r}; "
        "code columns hold 1/0 (or yes/no, true/false, x)"
    )


def _split_codes(cell: str) -> list[str]:
    for separator in _CODE_SEPARATORS:
        cell = cell.replace(separator, "\x00")
    return [name for name in (" ".join(part.split()) for part in cell.split("\x00")) if name]


def _unique(name: str, seen: dict[str, int]) -> str:
    """``name``, or ``name (2)``... when an earlier row already used it."""
    count = seen.get(name, 0) + 1
    seen[name] = count
    return name if count == 1 else f"{name} ({count})"
