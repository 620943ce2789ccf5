"""Each supported format read into canonical text, turns and metadata (fixtures built here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabcoder.io.formats import parse_file
from collabcoder.io.parsed import ParsedDocument

TRANSCRIPT = (
    "Interviewer: How did the partnership start?\n\n"
    "Participant 3: With a café meeting – honestly.\n\n"
    "Interviewer: And then?\n\n"
    "Participant 3: We wrote a plan.\n"
)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def spans(document: ParsedDocument) -> list[tuple[str, str]]:
    return [(t.speaker, document.text[t.start : t.end]) for t in document.turns]


def pdf_bytes(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF whose text layer holds ``lines`` (Helvetica, ASCII)."""
    shows = "".join(f"({line}) Tj 0 -16 Td " for line in lines)
    content = f"BT /F1 12 Tf 72 720 Td {shows}ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("cp1252", b"")],
)
def test_txt_encodings_give_the_same_canonical_text(
    tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    """UTF-8 with/without BOM, UTF-16 with BOM and Windows-1252 all decode to one NFC text."""
    raw = TRANSCRIPT.replace("\n", "\r\n").encode(encoding)
    document = parse_file(write(tmp_path, "t.txt", prefix + raw))
    assert document.text == TRANSCRIPT
    assert document.kind == "transcript"
    assert [t.speaker for t in document.turns] == [
        "Interviewer",
        "Participant 3",
        "Interviewer",
        "Participant 3",
    ]
    assert spans(document)[1] == ("Participant 3", "Participant 3: With a café meeting – honestly.")


def test_txt_windows_1252_reports_the_guess(tmp_path: Path) -> None:
    """A file that is not UTF-8 is read as Windows-1252 with a warning naming the file."""
    document = parse_file(write(tmp_path, "old.txt", "It costs £5 – “ok”".encode("cp1252")))
    assert document.text == "It costs £5 – “ok”"
    assert document.warnings == ["old.txt: not UTF-8; read as cp1252"]


def test_txt_other_code_page_is_guessed_not_crashed(tmp_path: Path) -> None:
    """A Cyrillic Windows-1251 file is decoded by the guesser instead of failing."""
    words = "Привет, как дела? Всё хорошо, спасибо. Мы встретились в библиотеке."
    document = parse_file(write(tmp_path, "ru.txt", words.encode("cp1251")))
    assert document.text == words


def test_txt_canonical_text_is_nfc(tmp_path: Path) -> None:
    """Decomposed accents (NFD, as macOS writes) become composed characters."""
    document = parse_file(write(tmp_path, "nfd.txt", "cafe\u0301\r\n"))
    assert document.text == "café\n"


def test_md_front_matter_becomes_metadata_and_leaves_text(tmp_path: Path) -> None:
    """YAML front matter is stripped from the text and flattened into string metadata."""
    source = (
        "---\ntitle: Visit\ndate: 2022-05-03\nspeakers: [Ann, Bo]\nsite: Leeds\n---\n\n"
        "**Ann**: Hello.\n\n**Bo**: Hi there.\n"
    )
    document = parse_file(write(tmp_path, "v.md", source))
    assert document.text == "**Ann**: Hello.\n\n**Bo**: Hi there.\n"
    assert document.meta == {
        "title": "Visit",
        "date": "2022-05-03",
        "speakers": "Ann, Bo",
        "site": "Leeds",
    }
    assert spans(document) == [("Ann", "**Ann**: Hello."), ("Bo", "**Bo**: Hi there.")]


def test_md_bad_front_matter_is_kept_as_text_with_a_warning(tmp_path: Path) -> None:
    """Front matter that is not YAML (or uses alias bombs) stays in the text, with a warning."""
    source = "---\na: &x [1]\nb: [*x, *x]\n---\nBody\n"
    document = parse_file(write(tmp_path, "bomb.md", source))
    assert document.text == source
    assert document.meta == {}
    assert "front matter is not valid YAML" in document.warnings[0]


def test_docx_paragraphs_headings_and_tables(tmp_path: Path) -> None:
    """Word headings, paragraphs and table rows come out in reading order."""
    import docx

    doc = docx.Document()
    doc.add_heading("Interview 4", level=1)
    doc.add_paragraph("Interviewer: Who funds it?")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Funder"
    table.cell(0, 1).text = "Amount"
    table.cell(1, 0).text = "Council"
    table.cell(1, 1).text = "£10k"
    doc.add_paragraph("Participant: The council, mostly.")
    doc.add_paragraph("Interviewer: Thanks.")
    doc.add_paragraph("Participant: Pleasure.")
    path = tmp_path / "i.docx"
    doc.save(str(path))
    document = parse_file(path)
    assert document.text == (
        "Interview 4\nInterviewer: Who funds it?\nFunder | Amount\nCouncil | £10k\n"
        "Participant: The council, mostly.\nInterviewer: Thanks.\nParticipant: Pleasure."
    )
    assert spans(document)[0] == (
        "Interviewer",
        "Interviewer: Who funds it?\nFunder | Amount\nCouncil | £10k",
    )
    assert document.kind == "transcript"


def test_odt_paragraphs_headings_lists_and_tables(tmp_path: Path) -> None:
    """OpenDocument headings, paragraphs, list items and table rows come out in order."""
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Field visit"))
    doc.text.addElement(P(text="Date: 3 May 2022"))
    items = List()
    item = ListItem()
    item.addElement(P(text="Met the café owner"))
    items.addElement(item)
    doc.text.addElement(items)
    table = Table()
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    row = TableRow()
    for value in ("Who", "Role"):
        cell = TableCell()
        cell.addElement(P(text=value))
        row.addElement(cell)
    table.addElement(row)
    doc.text.addElement(table)
    path = tmp_path / "n.odt"
    doc.save(str(path))
    document = parse_file(path)
    assert document.text == "Field visit\nDate: 3 May 2022\nMet the café owner\nWho | Role"
    assert document.turns == []


def test_rtf_text_with_escapes(tmp_path: Path) -> None:
    """RTF control words vanish; 8-bit and Unicode escapes become the right characters."""
    rtf = (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}"
        r"\f0 Interviewer: Caf\'e9 or tea?\par "
        r"Participant: Tea \u8211? always.\par "
        r"Interviewer: Why?\par Participant: Habit.\par}"
    )
    document = parse_file(write(tmp_path, "r.rtf", rtf))
    assert document.text.startswith("Interviewer: Café or tea?\nParticipant: Tea – always.\n")
    assert [t.speaker for t in document.turns] == ["Interviewer", "Participant"] * 2


def test_pdf_text_layer(tmp_path: Path) -> None:
    """A PDF's text layer is read; pages with text make a document."""
    path = write(tmp_path, "p.pdf", pdf_bytes(["Site: Leeds", "Observer: Ann Lee"]))
    document = parse_file(path)
    assert "Site: Leeds" in document.text
    assert "Observer: Ann Lee" in document.text
    assert document.meta["site"] == "Leeds"
    assert document.kind == "fieldnotes"


def test_html_visible_text_with_paragraphs(tmp_path: Path) -> None:
    """Scripts and styles vanish; blocks become paragraphs; inline markup joins its words."""
    html = (
        "<html><head><title>Call 7</title><style>p{}</style></head><body>"
        "<script>alert(1)</script><h1>Call  7</h1>"
        "<p><b>Ann:</b> Hello <i>there</i>,\n  all.</p><p><b>Bo:</b> Hi<br>again</p>"
        "<p><b>Ann:</b> Bye.</p><p><b>Bo:</b> Bye.</p>"
        "<table><tr><td>a</td><td>b</td></tr></table><pre>x  y\n z</pre></body></html>"
    )
    document = parse_file(write(tmp_path, "c.html", html))
    assert document.text == (
        "Call 7\n\nAnn: Hello there, all.\n\nBo: Hi\nagain\n\nAnn: Bye.\n\nBo: Bye.\n\na | b"
        "\n\nx  y\n z"
    )
    assert document.meta == {"title": "Call 7"}
    assert [t.speaker for t in document.turns] == ["Ann", "Bo", "Ann", "Bo"]


def test_vtt_voices_become_timed_turns(tmp_path: Path) -> None:
    """WebVTT ``<v>`` voices become speakers; one speaker's consecutive cues merge into a turn."""
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ann Lee>Hello, thanks\n\n"
        "00:00:03.000 --> 00:00:04.500\n<v Ann Lee>for coming.\n\n"
        "00:01:02.250 --> 00:01:05.000\n<v Bo>Glad to – really.\n"
    )
    document = parse_file(write(tmp_path, "m.vtt", vtt))
    assert document.text == "Ann Lee: Hello, thanks for coming.\n\nBo: Glad to – really."
    assert spans(document) == [
        ("Ann Lee", "Ann Lee: Hello, thanks for coming."),
        ("Bo", "Bo: Glad to – really."),
    ]
    assert [(t.timestamp, t.seconds) for t in document.turns] == [
        ("00:00:01.000", 1.0),
        ("00:01:02.250", 62.25),
    ]
    assert document.kind == "transcript"


def test_srt_cues_become_timed_turns(tmp_path: Path) -> None:
    """SubRip cues keep their timestamps; a ``Name:`` inside a cue names its speaker."""
    srt = (
        "1\r\n00:00:01,000 --> 00:00:02,000\r\nANN: Hello\r\n\r\n"
        "2\r\n00:00:02,500 --> 00:00:04,000\r\nWelcome all\r\n\r\n"
        "3\r\n01:00:00,000 --> 01:00:01,000\r\nsecond line\r\nof a cue\r\n"
    )
    document = parse_file(write(tmp_path, "s.srt", srt))
    assert spans(document) == [
        ("ANN", "ANN: Hello"),
        ("", "Welcome all"),
        ("", "second line of a cue"),
    ]
    assert [t.seconds for t in document.turns] == [1.0, 2.5, 3600.0]


def test_turn_offsets_index_canonical_text_with_emoji(tmp_path: Path) -> None:
    """Turn offsets are code-point indices even when astral characters precede them."""
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>😀 yes\n\n"
        "00:00:02.000 --> 00:00:03.000\n<v Bo>no 🎉\n"
    )
    document = parse_file(write(tmp_path, "e.vtt", vtt))
    assert spans(document) == [("Ann", "Ann: 😀 yes"), ("Bo", "Bo: no 🎉")]
