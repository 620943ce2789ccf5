"""Word-processor files: Word (.docx), OpenDocument (.odt) and Rich Text (.rtf).

Paragraphs and headings become lines of text; a table becomes one line per row with its cells
joined by `` | ``, so quotes in tables stay codable. Zip containers are checked for bombs and
entity declarations before any XML parser sees them.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from collabcoder.core.errors import CorruptFile, UnsafeFile
from collabcoder.io.parsed import ParsedDocument, document_text, locate_headings
from collabcoder.io.zip_limits import DOCUMENT_CAPS, ZipCaps, check_zip_caps

CELL_SEPARATOR = " | "
_ENTITY = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.I | re.S)
# What a parser of a damaged container may raise besides its own errors; all mean "damaged".
PARSER_FAILURES = (
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    AssertionError,
    EOFError,
    OSError,
    zipfile.BadZipFile,
    zlib.error,
)


def check_zip(
    data: bytes, name: str, parts: tuple[str, ...], caps: ZipCaps = DOCUMENT_CAPS
) -> None:
    """Open ``data`` as a zip, refusing bombs (``caps``) and XML ``parts`` declaring entities."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise CorruptFile(f"{name}: not a valid document (damaged zip container: {exc})") from exc
    check_zip_caps(infos, len(data), name, caps)
    for part in parts:
        try:
            with archive.open(part) as stream:
                head = stream.read(4096)
        except KeyError as exc:
            raise CorruptFile(f"{name}: not a valid document (no {part} inside)") from exc
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error) as exc:
            raise CorruptFile(f"{name}: damaged zip container ({exc})") from exc
        if _ENTITY.search(head):
            raise UnsafeFile(f"{name}: {part} declares XML entities, which CollabCoder refuses")


def read_docx(path: Path, data: bytes) -> ParsedDocument:
    """A Word document: body paragraphs, headings and tables in reading order."""
    import docx
    from docx.opc.exceptions import OpcError
    from docx.table import Table
    from lxml.etree import XMLSyntaxError

    check_zip(data, path.name, ("word/document.xml",))
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        heading = ""  # the text of a Title or Heading 1 the document opens with
        headings: list[tuple[int, int]] = []  # every heading paragraph: (level, line number)
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_docx_table_rows(block))
            else:
                style = block.style.name if block.style is not None else ""
                opening = not any(line.strip() for line in lines) and block.text.strip()
                if opening and style in ("Title", "Heading 1"):
                    heading = block.text
                if (level := _heading_level(style)) is not None:
                    headings.append((level, len(lines)))
                lines.append(block.text)
        title = " ".join((document.core_properties.title or heading).split())
    except XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise CorruptFile(f"{path.name}: nested too deeply to be a real document") from exc
        raise CorruptFile(f"{path.name}: not a readable Word document ({exc})") from exc
    except (OpcError, *PARSER_FAILURES) as exc:
        raise CorruptFile(f"{path.name}: not a readable Word document ({exc})") from exc
    text, warnings = document_text("\n".join(lines), path.name)
    return ParsedDocument(
        text,
        meta={"title": title} if title else {},
        warnings=warnings,
        headings=locate_headings(lines, headings),
    )


_HEADING_STYLE = re.compile(r"Heading ([1-9])$")


def _heading_level(style: str) -> int | None:
    """The level of a Word heading style ("Title" is a top heading too); None for others."""
    if style == "Title":
        return 1
    match = _HEADING_STYLE.match(style)
    return int(match.group(1)) if match else None


def _docx_table_rows(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans; keep its text once.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        yield CELL_SEPARATOR.join(cells)


def read_odt(path: Path, data: bytes) -> ParsedDocument:
    """An OpenDocument text: paragraphs, headings, lists and tables in reading order."""
    from xml.sax import SAXException

    from odf.opendocument import load

    check_zip(data, path.name, ("content.xml",))
    try:
        document = load(io.BytesIO(data))
        headings: list[tuple[int, int]] = []
        lines = list(_odt_lines(document.text, headings))
    except RecursionError as exc:
        raise CorruptFile(f"{path.name}: nested too deeply to be a real document") from exc
    except (SAXException, *PARSER_FAILURES) as exc:
        raise CorruptFile(f"{path.name}: not a readable OpenDocument text ({exc})") from exc
    text, warnings = document_text("\n".join(lines), path.name)
    return ParsedDocument(text, warnings=warnings, headings=locate_headings(lines, headings))


_ODT_PARAGRAPHS = {"p", "h"}
_ODT_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODT_SKIPPED = {"tracked-changes", "sequence-decls", "variable-decls", "user-field-decls"}


def _odt_lines(element: Any, headings: list[tuple[int, int]]) -> Iterator[str]:
    """Text lines under ``element``, depth first with an explicit stack (deep lists are fine);
    each heading (``text:h``) is also added to ``headings`` as (outline level, line number)."""
    from odf import teletype

    stack = list(reversed(element.childNodes))
    count = 0
    while stack:
        node = stack.pop()
        local = node.qname[1] if getattr(node, "qname", None) else ""
        if local in _ODT_PARAGRAPHS:
            if local == "h":
                level = str(node.getAttrNS(_ODT_TEXT, "outline-level") or "1")
                headings.append((int(level) if level.isdigit() else 1, count))
            count += 1
            yield teletype.extractText(node)
        elif local == "table-row":
            cells = [
                " ".join(teletype.extractText(cell).split())
                for cell in node.childNodes
                if getattr(cell, "qname", ("", ""))[1] == "table-cell"
            ]
            count += 1
            yield CELL_SEPARATOR.join(cells)
        elif local not in _ODT_SKIPPED:
            stack.extend(reversed(getattr(node, "childNodes", [])))


_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")
# \binN is followed by N raw bytes (an embedded object), which a text reader cannot skip safely.
_BINARY = re.compile(rb"(?<!\\)\\bin(?![A-Za-z])")
_ESCAPED = re.compile(rb"\\[\\{}]")


def read_rtf(path: Path, data: bytes) -> ParsedDocument:
    """A Rich Text file; the code page it declares decodes its 8-bit escapes.

    A binary body (``\\bin``) is refused; a file cut short (groups never closed) is read with
    a warning that its end may be missing.
    """
    import codecs

    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise CorruptFile(f"{path.name}: not a Rich Text file (it does not start with {{\\rtf)")
    if _BINARY.search(data):
        raise CorruptFile(
            f"{path.name}: holds binary data (\\bin), which CollabCoder does not read; save it "
            "again as Rich Text or Word from a word processor"
        )
    warnings = []
    plain = _ESCAPED.sub(b"", data)
    if plain.count(b"{") > plain.count(b"}"):
        warnings.append(
            f"{path.name}: the file seems cut short (groups are not closed); its end may be missing"
        )
    encoding = "cp1252"
    declared = _CODE_PAGE.search(data[:4096])
    if declared:
        try:
            encoding = codecs.lookup(f"cp{int(declared[1])}").name
        except LookupError:
            encoding = "cp1252"
    # RTF is 7-bit by design; latin-1 maps any stray 8-bit byte without failing.
    try:
        raw = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except (ValueError, IndexError, OverflowError) as exc:
        raise CorruptFile(f"{path.name}: not a readable Rich Text file ({exc})") from exc
    text, more = document_text(raw, path.name)
    return ParsedDocument(text, warnings=warnings + more)
