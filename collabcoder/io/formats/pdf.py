"""PDF files: the text layer only (CollabCoder does no OCR)."""

from __future__ import annotations

import io
import logging
import struct
from pathlib import Path
from typing import TYPE_CHECKING

from collabcoder.core.errors import CorruptFile, EncryptedFile, NoTextLayer
from collabcoder.io.formats.office import PARSER_FAILURES
from collabcoder.io.parsed import ParsedDocument, document_text

if TYPE_CHECKING:
    from pypdf import PdfReader

PAGE_SEPARATOR = "\n\n"


def read_pdf(path: Path, data: bytes) -> ParsedDocument:
    """The text layer of every page, pages separated by a blank line.

    A PDF protected only against editing (empty user password) opens; one that needs a password
    to read raises EncryptedFile; a scan without a text layer raises NoTextLayer.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    if not data.lstrip()[:1024].startswith(b"%PDF-"):
        raise CorruptFile(f"{path.name}: not a PDF (no %PDF- header)")
    # pypdf logs every recoverable oddity of real-world PDFs; the import reports what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise EncryptedFile(f"{path.name}: the PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (FileNotDecryptedError, DependencyError) as exc:
        raise EncryptedFile(
            f"{path.name}: the PDF is encrypted and cannot be read ({exc})"
        ) from exc
    except RecursionError as exc:
        raise CorruptFile(f"{path.name}: damaged PDF (objects nested without end)") from exc
    except (PyPdfError, *PARSER_FAILURES, struct.error) as exc:
        raise CorruptFile(f"{path.name}: damaged PDF ({exc})") from exc
    text, warnings = document_text(
        PAGE_SEPARATOR.join(page.strip("\n") for page in pages), path.name
    )
    if not text.strip():
        raise NoTextLayer(f"{path.name}: the PDF has no text layer (a scan?); run OCR on it first")
    return ParsedDocument(text, warnings=warnings)


def _opens_without_password(reader: PdfReader) -> bool:
    from pypdf import PasswordType

    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except NotImplementedError:
        return False
