"""Bad input: each case raises its own error, naming the file, and nothing crashes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from collabcoder.core.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    FileTooLarge,
    NoTextLayer,
    UnsafeFile,
    UnsupportedFormat,
)
from collabcoder.io.formats import parse_file

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_empty_file(tmp_path: Path) -> None:
    """A zero-byte file is reported as empty."""
    with pytest.raises(EmptyFile, match=r"^blank\.txt: the file is empty"):
        parse_file(write(tmp_path, "blank.txt", b""))


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    """A file of blank lines holds no text to code."""
    with pytest.raises(EmptyFile, match=r"^blank\.md: the file holds no text"):
        parse_file(write(tmp_path, "blank.md", b"\r\n \n\t\n"))


def test_binary_renamed_txt(tmp_path: Path) -> None:
    """A PNG renamed .txt is refused as binary rather than imported as mojibake."""
    with pytest.raises(CorruptFile, match=r"^photo\.txt: holds binary data"):
        parse_file(write(tmp_path, "photo.txt", PNG_HEADER + bytes(range(256)) * 4))


def test_binary_without_nul_bytes_renamed_txt(tmp_path: Path) -> None:
    """Control-character soup without NUL bytes is still recognised as binary."""
    data = bytes(b for b in range(1, 32) if b not in (9, 10, 12, 13)) * 50
    with pytest.raises(CorruptFile, match=r"^blob\.txt: holds binary data \(control"):
        parse_file(write(tmp_path, "blob.txt", data))


def test_corrupt_docx(tmp_path: Path) -> None:
    """Random bytes named .docx are a damaged zip container."""
    with pytest.raises(CorruptFile, match=r"^broken\.docx: not a valid document"):
        parse_file(write(tmp_path, "broken.docx", b"PK\x03\x04 this is not really a zip"))


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    """A valid zip without Word's document part is named as not a Word document."""
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(CorruptFile, match=r"^other\.docx: not a valid document \(no word/"):
        parse_file(path)


def test_truncated_docx(tmp_path: Path) -> None:
    """A Word file cut off half-way (an interrupted download) is reported as damaged."""
    import docx

    document = docx.Document()
    document.add_paragraph("Some text " * 200)
    full = tmp_path / "full.docx"
    document.save(str(full))
    data = full.read_bytes()
    with pytest.raises(CorruptFile, match=r"^cut\.docx: "):
        parse_file(write(tmp_path, "cut.docx", data[: len(data) // 2]))


def test_corrupt_odt(tmp_path: Path) -> None:
    """Garbage named .odt is a damaged container, not a crash."""
    with pytest.raises(CorruptFile, match=r"^bad\.odt: "):
        parse_file(write(tmp_path, "bad.odt", b"\x00\x01garbage"))


def test_docx_with_entity_declarations_is_unsafe(tmp_path: Path) -> None:
    """A Word part declaring XML entities (billion laughs) is refused before parsing."""
    path = tmp_path / "lol.docx"
    body = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;">]>'
        b"<w:document>&b;</w:document>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", body)
    with pytest.raises(UnsafeFile, match=r"^lol\.docx: word/document\.xml declares XML entities"):
        parse_file(path)


def test_zip_bomb_docx_is_unsafe(tmp_path: Path) -> None:
    """A container that inflates hundreds of times its size is refused as a zip bomb."""
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a/>" + b" " * 20_000_000)
    with pytest.raises(UnsafeFile, match=r"^bomb\.docx: unpacks to"):
        parse_file(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    """A PDF that needs a password to open is reported as encrypted."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(EncryptedFile, match=r"^locked\.pdf: the PDF is password-protected"):
        parse_file(path)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    """A PDF with pages but no text (a scan) is reported as having no text layer."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(NoTextLayer, match=r"^scan\.pdf: the PDF has no text layer"):
        parse_file(path)


def test_corrupt_pdf(tmp_path: Path) -> None:
    """Bytes named .pdf that are not a PDF are reported as such."""
    with pytest.raises(CorruptFile, match=r"^fake\.pdf: not a PDF"):
        parse_file(write(tmp_path, "fake.pdf", b"hello, I am text"))


def test_damaged_pdf(tmp_path: Path) -> None:
    """A PDF header followed by rubbish is a damaged PDF, not a crash."""
    with pytest.raises(CorruptFile, match=r"^torn\.pdf: "):
        parse_file(write(tmp_path, "torn.pdf", b"%PDF-1.4\n1 0 obj << /Type /Cat"))


def test_rtf_that_is_not_rtf(tmp_path: Path) -> None:
    """A .rtf without the RTF header is refused with the reason."""
    with pytest.raises(CorruptFile, match=r"^n\.rtf: not a Rich Text file"):
        parse_file(write(tmp_path, "n.rtf", b"plain words"))


def test_malformed_vtt(tmp_path: Path) -> None:
    """A .vtt without the WEBVTT header is reported as not a WebVTT file."""
    with pytest.raises(CorruptFile, match=r"^x\.vtt: not a valid WebVTT file"):
        parse_file(write(tmp_path, "x.vtt", b"00:01 --> nonsense\nhello\n"))


def test_file_too_large_is_refused_from_its_size(tmp_path: Path) -> None:
    """A file over the limit is refused from its size alone (a sparse 1 GB file is not read)."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(2**30)
    with pytest.raises(FileTooLarge, match=r"^huge\.txt: 1,024\.0 MB is more than the 200 MB"):
        parse_file(path)


def test_max_bytes_is_respected(tmp_path: Path) -> None:
    """The caller's limit applies, not only the default."""
    with pytest.raises(FileTooLarge, match=r"^small\.txt: "):
        parse_file(write(tmp_path, "small.txt", b"x" * 2048), max_bytes=1024)


def test_unknown_extension(tmp_path: Path) -> None:
    """An extension no reader handles is refused, listing what is supported."""
    with pytest.raises(UnsupportedFormat, match=r"^data\.xyz: CollabCoder does not read \.xyz"):
        parse_file(write(tmp_path, "data.xyz", b"hello"))
