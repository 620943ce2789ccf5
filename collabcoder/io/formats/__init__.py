"""Read any supported file into a :class:`ParsedDocument` (text, turns, metadata, kind).

``parse_file`` checks the size before reading, picks the reader by extension, then finds what the
format does not mark up itself: speaker turns in plain text and a metadata heading block.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from collabcoder.core.errors import EmptyFile, FileTooLarge, UnsupportedFormat
from collabcoder.core.vocabulary import DOCUMENT_KINDS
from collabcoder.io.fieldnotes import looks_like_fieldnotes, read_heading_block
from collabcoder.io.formats.captions import read_srt, read_vtt
from collabcoder.io.formats.office import read_docx, read_odt, read_rtf
from collabcoder.io.formats.pdf import read_pdf
from collabcoder.io.formats.plain import read_md, read_txt
from collabcoder.io.formats.web import read_html
from collabcoder.io.parsed import ParsedDocument
from collabcoder.io.turns import detect_turns

DEFAULT_MAX_BYTES = 200 * 2**20

Reader = Callable[[Path, bytes], ParsedDocument]

READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".text": read_txt,
    ".md": read_md,
    ".markdown": read_md,
    ".docx": read_docx,
    ".odt": read_odt,
    ".rtf": read_rtf,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
    ".vtt": read_vtt,
    ".srt": read_srt,
}
KINDS = DOCUMENT_KINDS


def supported_suffixes() -> tuple[str, ...]:
    """File extensions ``parse_file`` reads (lower case, with the dot)."""
    return tuple(READERS)


def parse_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Read ``path`` into canonical text with its speaker turns, metadata and a guessed kind.

    Raises UnsupportedFormat, FileTooLarge, EmptyFile, CorruptFile, EncryptedFile, NoTextLayer
    or UnsafeFile (all ImportFailed), each naming the file; OSError when it cannot be read.
    """
    check_file(path, max_bytes)
    return parse_bytes(path, path.read_bytes())


def check_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse ``path`` before reading it: unknown extension, too large (from its size), empty."""
    _reader(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(
            f"{path.name}: {size / 2**20:,.1f} MB is more than the {max_bytes / 2**20:,.0f} MB "
            "CollabCoder reads in one file; split it first"
        )
    if size == 0:
        raise EmptyFile(f"{path.name}: the file is empty")


def parse_bytes(path: Path, data: bytes) -> ParsedDocument:
    """Parse the already-read contents ``data`` of ``path`` (its extension picks the reader)."""
    if not data:
        raise EmptyFile(f"{path.name}: the file is empty")
    return finish(_reader(path)(path, data), path.name)


def _reader(path: Path) -> Reader:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        what = path.suffix or "files without an extension"
        raise UnsupportedFormat(f"{path.name}: CollabCoder does not read {what} (it reads {known})")
    return reader


def finish(document: ParsedDocument, name: str) -> ParsedDocument:
    """Add detected turns, heading metadata and the kind to what a reader extracted."""
    if not document.text.strip():
        raise EmptyFile(f"{name}: the file holds no text")
    heading = read_heading_block(document.text)
    for key, value in heading.meta.items():
        document.meta.setdefault(key, value)
    if not document.turns:
        document.turns = detect_turns(document.text, start=heading.end)
    declared = document.meta.get("kind", "").strip().lower().replace(" ", "")
    if declared in KINDS:
        document.kind = declared
    elif document.turns:
        document.kind = "transcript"
    elif looks_like_fieldnotes(document.meta, has_heading_date="date" in heading.meta):
        document.kind = "fieldnotes"
    else:
        document.kind = "document"
    return document
