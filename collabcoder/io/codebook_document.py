"""The codebook as a document people read: a Word file or an Excel sheet.

One row or entry per code, in tree order: path, definition, inclusion and exclusion criteria,
example, keywords and, when known, how many segments and documents carry the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from collabcoder.core.atomic import atomic_path
from collabcoder.core.codebook_spec import CodeSpec, walk_codebook
from collabcoder.core.errors import InvalidValue
from collabcoder.core.sanitize import sanitise

HEADER = (
    "Code", "Path", "Level", "Colour", "Definition", "Include", "Exclude", "Example",
    "Keywords", "Segments", "Documents",
)  # fmt: skip


@dataclass(frozen=True)
class CodebookEntry:
    """One code as it appears in the document."""

    name: str
    path: str
    level: int
    colour: str
    definition: str
    inclusion: str
    exclusion: str
    example: str
    keywords: str
    segments: int | None
    documents: int | None


def codebook_entries(
    codes: list[CodeSpec], counts: Mapping[str, tuple[int, int]] | None = None
) -> list[CodebookEntry]:
    """Entries in tree order; ``counts`` maps a code GUID to (segments, documents)."""
    entries = []
    for path, code in walk_codebook(codes):
        known = counts is not None
        segments, documents = (counts or {}).get((code.guid or "").lower(), (0, 0))
        entries.append(
            CodebookEntry(
                code.name, "/".join(path), len(path), code.colour or "", code.definition,
                code.inclusion, code.exclusion, code.example, "; ".join(code.keywords),
                segments if known else None, documents if known else None,
            )
        )  # fmt: skip
    return entries


def write_codebook_document(
    codes: list[CodeSpec], path: str | Path, counts: Mapping[str, tuple[int, int]] | None = None
) -> None:
    """Write ``.docx`` or ``.xlsx`` by the file's extension, whole or not at all."""
    target = Path(path)
    writers = {".docx": _write_docx, ".xlsx": _write_xlsx}
    writer = writers.get(target.suffix.lower())
    if writer is None:
        raise InvalidValue(f"{target}: a codebook document must be .docx or .xlsx")
    with atomic_path(target) as temporary:
        writer(codebook_entries(codes, counts), temporary)


def _write_xlsx(entries: list[CodebookEntry], target: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "Codebook"
    sheet.append(list(HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        cleaned = [
            sanitise(value)
            for value in (
                entry.name, entry.path, entry.level, entry.colour, entry.definition,
                entry.inclusion, entry.exclusion, entry.example, entry.keywords,
                entry.segments, entry.documents,
            )
        ]  # fmt: skip
        sheet.append([value for value, _ in cleaned])
        row = sheet.max_row
        for number, (_, as_text) in enumerate(cleaned, start=1):
            if as_text:  # text that looks like a formula stays text
                cell = sheet.cell(row, number)
                cell.data_type = "s"
                cell.quotePrefix = True
        sheet.cell(row, 1).alignment = Alignment(indent=entry.level - 1, wrap_text=True)
        if entry.colour:
            fill = entry.colour.lstrip("#").upper()
            sheet.cell(row, 4).fill = PatternFill("solid", start_color=fill, end_color=fill)
    widths = (32, 40, 6, 9, 50, 45, 45, 50, 40, 9, 10)
    for column, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[column].width = width
    for row_cells in sheet.iter_rows(min_row=2, min_col=5, max_col=9):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    book.save(target)


def _write_docx(entries: list[CodebookEntry], target: Path) -> None:
    from docx import Document
    from docx.shared import RGBColor

    document = Document()
    document.add_heading("Codebook", level=0)
    for entry in entries:
        heading = document.add_heading(level=min(entry.level, 8))
        run = heading.add_run(_text(entry.name))
        if entry.colour:
            run.font.color.rgb = RGBColor.from_string(entry.colour.lstrip("#").upper())
        details = [
            ("Path", entry.path),
            ("Definition", entry.definition),
            ("Include", entry.inclusion),
            ("Exclude", entry.exclusion),
            ("Example", entry.example),
            ("Keywords", entry.keywords),
        ]
        if entry.segments is not None:
            details.append(("Coded", f"{entry.segments} segments in {entry.documents} documents"))
        for label, value in details:
            if value:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(_text(value))
    document.save(str(target))


def _text(value: str) -> str:
    """Text for a Word run, through the one export sanitiser (characters XML cannot hold)."""
    cleaned, _ = sanitise(value)
    return str(cleaned)
