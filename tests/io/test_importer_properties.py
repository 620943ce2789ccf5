"""Properties that hold for every input, checked with Hypothesis.

- ``canonical_text`` is idempotent and its output holds no control character, noncharacter,
  lone surrogate, carriage return or leading BOM, and is NFC.
- Every importer, given any bytes (or a real file damaged at random), either returns canonical
  text whose turns lie inside it in order, or raises the project's own ImportFailed, naming
  the file. Nothing else escapes (no RecursionError, IndexError, UnicodeError...).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collabcoder.core.errors import ImportFailed
from collabcoder.core.text import UNSAFE, canonical_text
from collabcoder.io.formats import parse_bytes
from collabcoder.io.parsed import ParsedDocument
from tests.io.test_formats import pdf_bytes

# Every code point, lone surrogates included (Hypothesis leaves them out unless asked).
ANY_TEXT = st.text(
    st.one_of(st.characters(exclude_categories=()), st.characters(categories=["Cs"])),
    max_size=300,
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ANY_TEXT)
def test_canonical_text_is_idempotent_and_clean(raw: str) -> None:
    """Canonical text is its own canonical text and holds nothing the store refuses."""
    text = canonical_text(raw)
    assert canonical_text(text) == text
    assert UNSAFE.search(text) is None
    assert "\r" not in text and not text.startswith("\ufeff")
    assert unicodedata.is_normalized("NFC", text)


def _check(document: ParsedDocument) -> None:
    text = document.text
    assert canonical_text(text) == text
    previous_end = 0
    for turn in document.turns:
        assert previous_end <= turn.start <= turn.end <= len(text)
        previous_end = turn.end
    for value in document.meta.values():
        assert UNSAFE.search(value) is None


def _parse(name: str, data: bytes) -> None:
    try:
        document = parse_bytes(Path(name), data)
    except ImportFailed as exc:
        assert str(exc).startswith(name)
        return
    _check(document)


TEXT_LIKE = st.one_of(
    st.binary(max_size=400),
    ANY_TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.lists(
        st.sampled_from(
            ["Interviewer: Hello?", "P1: Yes.", "\r\n", "\n\n", "Date: 3 May 2022", "\x00",
             "\ufeff", "é".encode().decode(), "\uffff", "00:00:01.000 --> 00:00:02.000",
             "WEBVTT", "1", "<v Ann>hi", "---", "kind: fieldnotes"]
        ),
        max_size=30,
    ).map(lambda parts: "\n".join(parts).encode("utf-8")),
)  # fmt: skip


@SETTINGS
@pytest.mark.parametrize("suffix", [".txt", ".md", ".vtt", ".srt", ".html", ".rtf"])
@given(data=TEXT_LIKE)
def test_text_importers_return_canonical_text_or_their_own_error(suffix: str, data: bytes) -> None:
    """Any bytes at all under a text format's name: canonical text with sound turns, or a
    CollabCoder error naming the file."""
    _parse(f"input{suffix}", (b"{\\rtf1 " + data + b"}") if suffix == ".rtf" else data)


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Interviewer: How did the partnership start?")
    document.add_paragraph("Participant: With a grant from the council.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Theme"
    table.rows[0].cells[1].text = "Funding"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _odt() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text="Interviewer: How did the partnership start?"))
    document.text.addElement(P(text="Participant: With a grant from the council."))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _stored(data: bytes) -> bytes:
    """The same zip with its members stored, so byte damage hits XML rather than deflate."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    return buffer.getvalue()


GOOD = {
    "damaged.docx": _stored(_docx()),
    "damaged.odt": _stored(_odt()),
    "damaged.pdf": pdf_bytes(["Interviewer: How did it start?", "Participant: A grant."]),
}


@st.composite
def damaged(draw: st.DrawFn, name: str) -> bytes:
    """A valid file with a few bytes overwritten and perhaps its end cut off."""
    data = bytearray(GOOD[name])
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    cut = draw(st.integers(len(data) // 2, len(data)))
    return bytes(data[:cut])


@SETTINGS
@pytest.mark.parametrize("name", sorted(GOOD))
@given(st.data())
def test_damaged_office_and_pdf_files_give_text_or_their_own_error(
    name: str, data: st.DataObject
) -> None:
    """A real Word, OpenDocument or PDF file damaged at random is read or refused cleanly."""
    _parse(name, data.draw(damaged(name)))


def test_undamaged_samples_read() -> None:
    """The samples the damage starts from are themselves readable (so damage is what is tested)."""
    for name, data in GOOD.items():
        assert "partnership" in parse_bytes(Path(name), data).text or name.endswith(".pdf")


@SETTINGS
@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
@given(data=TEXT_LIKE)
def test_tables_give_clean_cells_or_their_own_error(suffix: str, data: bytes) -> None:
    """Any bytes as a CSV/TSV table: no cell or column name holds a control character,
    noncharacter or lone surrogate (rows are padded to the header), or the project's own error
    naming the file."""
    from collabcoder.io.tables import parse_table

    name = f"input{suffix}"
    try:
        table = parse_table(Path(name), data)
    except ImportFailed as exc:
        assert str(exc).startswith(name)
        return
    for cell in [*table.columns, *(cell for row in table.rows for cell in row)]:
        assert UNSAFE.search(cell) is None and "\r" not in cell
    assert all(len(row) == len(table.columns) for row in table.rows)


def test_markdown_body_after_front_matter_is_canonical() -> None:
    """A byte-order mark right after the front matter (a file pasted together) does not stay at
    the start of the stored text (found by the property above)."""
    document = parse_bytes(Path("notes.md"), b"---\ntitle: A\n---\n\xef\xbb\xbfBody")
    assert document.text == "Body" and document.meta["title"] == "A"
