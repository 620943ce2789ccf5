"""Hostile or odd text bytes: controls anywhere, noncharacters, encodings that are not UTF-8.

Decisions these tests pin down: a few stray control characters (a NUL far into a file) are
replaced by U+FFFD and the warning names their lines; many are a binary file and refused; random
high bytes are refused rather than read as Windows-1252; a file mixing UTF-8 and Windows-1252
lines is decoded line by line, naming the lines that were not UTF-8.
"""

from __future__ import annotations

import codecs
import io
import os
import zipfile
from pathlib import Path

import pytest

from collabcoder.core.errors import CorruptFile
from collabcoder.core.text import UNSAFE
from collabcoder.io.formats import parse_bytes, parse_file


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_late_nul_is_replaced_and_its_line_named(tmp_path: Path) -> None:
    """A NUL after the first 64 KiB no longer reaches the text: it becomes U+FFFD, the rest of
    the text is whole, and the warning says on which line it was."""
    lines = [f"Line {n}: the participant talks about the new service." for n in range(1, 3001)]
    lines[2499] = "Line 2500: here\x00 a NUL hides."
    document = parse_file(write(tmp_path, "late.txt", "\n".join(lines).encode()))
    assert "\x00" not in document.text
    assert "Line 2500: here\ufffd a NUL hides." in document.text
    assert document.text.endswith("Line 3000: the participant talks about the new service.")
    assert document.warnings == [
        "late.txt: control or non-character codes on line 2500 became \ufffd"
    ]


@pytest.mark.parametrize(
    "bad",
    ["\uffff", "\ufdd0", "\U0001fffe", "\x07", "\x1b", "\x7f", "\x90", "\ud800"],
    ids=["U+FFFF", "U+FDD0", "U+1FFFE", "BEL", "ESC", "DEL", "C1", "lone surrogate"],
)
def test_noncharacters_controls_and_surrogates_never_reach_the_text(bad: str) -> None:
    """Each character XML exports and editors cannot hold is replaced in every reader's text
    (a lone surrogate's bytes are not UTF-8, so the text reader decodes them otherwise)."""
    raw = f"Before {bad} after"
    for suffix, data in [
        (".txt", raw.encode("utf-8", "surrogatepass")),
        (".md", raw.encode("utf-8", "surrogatepass")),
        (".html", f"<p>{raw}</p>".encode("utf-8", "surrogatepass")),
    ]:
        document = parse_bytes(Path(f"x{suffix}"), data)
        assert UNSAFE.search(document.text) is None, suffix
        assert "after" in document.text


def test_rtf_unicode_escape_to_a_lone_surrogate_is_replaced() -> None:
    """An RTF ``\\u`` escape naming half of a surrogate pair gives U+FFFD, with a warning."""
    data = rb"{\rtf1\ansi Half \u-10179? pair}"
    document = parse_bytes(Path("half.rtf"), data)
    assert UNSAFE.search(document.text) is None
    assert document.warnings and document.warnings[0].startswith("half.rtf: control")


def test_form_feed_and_vertical_tab_are_line_breaks() -> None:
    """A form feed (page break) or vertical tab (Word's manual line break) ends a line."""
    document = parse_bytes(Path("pages.txt"), b"Page one\x0cPage two\x0bsame page")
    assert document.text == "Page one\nPage two\nsame page"
    assert document.warnings == []


def test_random_high_bytes_are_not_text(tmp_path: Path) -> None:
    """Bytes 0x80-0xFF at random decode as Windows-1252 without error, but read as nothing; they
    are refused instead of imported as a page of symbols."""
    data = bytes(0x80 + b % 0x80 for b in os.urandom(4000))
    with pytest.raises(CorruptFile, match=r"^noise\.txt: not text"):
        parse_file(write(tmp_path, "noise.txt", data))


def test_random_printable_bytes_are_not_text(tmp_path: Path) -> None:
    """Random bytes without any control byte (so not "binary") read plausibly in no encoding."""
    data = bytes(b for b in os.urandom(12_000) if b >= 0x20 and b != 0x7F)[:4000]
    with pytest.raises(CorruptFile, match=r"^mixed\.txt: not text"):
        parse_file(write(tmp_path, "mixed.txt", data))


def test_mixed_utf8_and_cp1252_lines_are_decoded_line_by_line(tmp_path: Path) -> None:
    """A transcript pasted from two tools, UTF-8 with two Windows-1252 lines, reads correctly and
    the warning names exactly those lines (the whole file used to come out as cp1257)."""
    lines = [
        ("Interviewer: Qu’est-ce que vous en pensez ?", "utf-8"),
        ("Participant: C’était difficile, à vrai dire.", "utf-8"),
        ("Interviewer: Et le café ? “Très bon” – merci.", "cp1252"),
        ("Participant: Déjà vu, naïve façade.", "cp1252"),
        ("Interviewer: Ça marche, on continue — très bien.", "utf-8"),
    ]
    data = b"\r\n".join(text.encode(encoding) for text, encoding in lines)
    document = parse_file(write(tmp_path, "pasted.txt", data))
    assert document.text == "\n".join(text for text, _ in lines)
    assert document.warnings == ["pasted.txt: UTF-8 except lines 3, 4, read as cp1252"]


def test_western_text_still_reads_as_cp1252(tmp_path: Path) -> None:
    """Plain Windows-1252 French passes the plausibility test (and is preferred to Latin-1:
    its curly quotes are 0x93/0x94, which Latin-1 reads as control characters)."""
    text = "« Le café était froid », dit-elle. “Déjà” – c’est ça. Où est la gare ?"
    document = parse_file(write(tmp_path, "fr.txt", text.encode("cp1252")))
    assert document.text == text
    assert document.warnings == ["fr.txt: not UTF-8; read as cp1252"]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
    ],
)
def test_utf16_and_utf32_with_or_without_a_mark(encoding: str, bom: bytes) -> None:
    """Every UTF-16/32 byte order with its mark decodes, and UTF-16 without a mark is recognised
    from its NUL bytes instead of being refused as binary."""
    text = "Interviewer: How did it start? 😀\nParticipant: Über Umwege."
    document = parse_bytes(Path("wide.txt"), bom + text.encode(encoding))
    assert document.text == text
    assert all("binary" not in warning for warning in document.warnings)


def test_utf16_mark_with_broken_pairs_is_refused() -> None:
    """A UTF-16 file whose surrogates are unpaired is not valid UTF-16: refused, naming it."""
    data = codecs.BOM_UTF16_LE + "ok ".encode("utf-16-le") + b"\x00\xd8" + "x".encode("utf-16-le")
    with pytest.raises(CorruptFile, match=r"^bad16\.txt: starts with a utf-16-le mark"):
        parse_bytes(Path("bad16.txt"), data)


def test_many_controls_are_still_a_binary_file() -> None:
    """Replacing is for stray characters: a file full of NULs is refused as binary."""
    data = b"text " * 100 + b"\x00" * 100
    with pytest.raises(CorruptFile, match=r"^blob\.txt: holds binary data \(NUL bytes\)"):
        parse_bytes(Path("blob.txt"), data)


def test_rtf_with_a_binary_body_is_refused() -> None:
    """``\\bin`` carries raw bytes a text reader cannot skip; the file is refused, naming it."""
    data = b"{\\rtf1\\ansi Hello {\\object\\bin8 \x00\x01\x02\xff\xfe}\x00}} world}"
    with pytest.raises(CorruptFile, match=r"^object\.rtf: holds binary data \(\\bin\)"):
        parse_bytes(Path("object.rtf"), data)


def test_truncated_rtf_is_read_with_a_warning() -> None:
    """An RTF cut short (groups never closed) keeps what it has and says its end may be missing."""
    data = b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Interviewer: How did it start?\\par Partic"
    document = parse_bytes(Path("cut.rtf"), data)
    assert "How did it start?" in document.text
    assert document.warnings == [
        "cut.rtf: the file seems cut short (groups are not closed); its end may be missing"
    ]


def test_a_single_50_mb_line_imports(tmp_path: Path) -> None:
    """One line of 50 MB (no line break at all) is read whole; no reader step is quadratic."""
    data = b"word " * 10_000_000
    document = parse_file(write(tmp_path, "one-line.txt", data))
    assert len(document.text) == len(data)


_MANIFEST = (
    '<?xml version="1.0"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _odt_nested(depth: int) -> bytes:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    body = "<text:p>" + "<text:span>" * depth + "deep" + "</text:span>" * depth + "</text:p>"
    content = (
        f'<?xml version="1.0"?><office:document-content xmlns:office="{office}" '
        f'xmlns:text="{text}"><office:body><office:text>{body}</office:text></office:body>'
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def _docx_nested(depth: int) -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                nested = b"<w:ins>" * depth + b"<w:r><w:t>deep</w:t></w:r>" + b"</w:ins>" * depth
                data = data.replace(b"<w:body>", b"<w:body><w:p>" + nested + b"</w:p>")
            archive.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize("name", ["deep.odt", "deep.docx"])
def test_deeply_nested_xml_is_refused_in_one_sentence(name: str) -> None:
    """Thousands of nested elements (no real document has them) are refused as such, not a
    RecursionError or a parser's advice about XML_PARSE_HUGE."""
    data = (_odt_nested if name.endswith(".odt") else _docx_nested)(5_000)
    with pytest.raises(CorruptFile, match=rf"^{name}: nested too deeply to be a real document$"):
        parse_bytes(Path(name), data)


def test_deeply_nested_html_reads() -> None:
    """A page of 30,000 nested blocks reads (the HTML walker keeps its own stack)."""
    data = b"<html><body>" + b"<div>" * 30_000 + b"deep" + b"</div>" * 30_000 + b"</body></html>"
    assert parse_bytes(Path("deep.html"), data).text == "deep"
