"""The readable codebook document: one entry per code with its fields and counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.errors import InvalidValue
from collabcoder.io.codebook_document import HEADER, write_codebook_document
from collabcoder.io.refi import load_default_codebook

GUID = "00000000-0000-4000-8000-000000000001"


def _codes() -> list[CodeSpec]:
    child = CodeSpec("Child", None, "#00ff00", "Child def.", keywords=["k1", "k2"])
    return [
        CodeSpec("Parent", GUID, "#ff0000", "Parent def.", "In.", "Out.", "Ex.", children=[child])
    ]


def test_xlsx_has_a_row_per_code_with_every_field_and_counts(tmp_path: Path) -> None:
    """The sheet lists codes in tree order with path, criteria, keywords and counts."""
    target = tmp_path / "book.xlsx"
    write_codebook_document(_codes(), target, counts={GUID: (7, 3)})
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0] == HEADER
    assert rows[1] == (
        "Parent",
        "Parent",
        1,
        "#ff0000",
        "Parent def.",
        "In.",
        "Out.",
        "Ex.",
        None,
        7,
        3,
    )
    assert rows[2][:3] == ("Child", "Parent/Child", 2) and rows[2][8] == "k1; k2"
    assert rows[2][9:] == (0, 0)


def test_docx_reads_as_headings_with_labelled_fields(tmp_path: Path) -> None:
    """The Word file has a heading per code and labelled paragraphs for its fields."""
    target = tmp_path / "book.docx"
    write_codebook_document(load_default_codebook(), target)
    document = Document(str(target))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Key drivers" in headings and "Collaborative leadership" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Definition: Leadership that moves from a hierarchical approach" in text
    assert "Fiona Johnstone" in text


def test_unknown_document_type_is_refused(tmp_path: Path) -> None:
    """Only .docx and .xlsx are written; anything else is an InvalidValue naming the file."""
    with pytest.raises(InvalidValue, match=r"book\.pdf"):
        write_codebook_document(_codes(), tmp_path / "book.pdf")
