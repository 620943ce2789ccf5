"""Coded tables read into plain rows, and mapped to documents, cases, attributes and codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabcoder.core.errors import CorruptFile, EmptyFile, InvalidValue, UnsafeFile
from collabcoder.io.tables import (
    ParsedTable,
    binary_columns,
    map_table,
    read_table,
    select_columns,
)

CSV = (
    'id,site,answer,Staff attitude,"Waiting, delays & queues"\n'
    "r1,Leeds,Kind staff – thank you,1,0\n"
    "r2,York,Waited two hours,,1\n"
    "r3,York,,0,0\n"
    "r1,Leeds,Came back: still kind,1,\n"
)


def table() -> ParsedTable:
    return ParsedTable(
        "t.csv",
        ["id", "site", "answer", "Staff", "Waiting, delays", "themes"],
        [
            ["r1", "Leeds", "Kind staff", "1", "0", "Staff; Praise"],
            ["r2", "York", "Waited", "", "yes", "Waiting | Access"],
            ["r3", "York", "  ", "0", "0", ""],
            ["r1", "Leeds", "Came back", "x", "", "Praise"],
        ],
    )


def test_read_csv_in_windows_1252_with_semicolons(tmp_path: Path) -> None:
    """A semicolon CSV saved by Excel in Windows-1252 is read with its delimiter and accents."""
    path = tmp_path / "survey.csv"
    path.write_bytes("id;answer\n1;Très bien – merci\n2;Bof\n".encode("cp1252"))
    parsed = read_table(path)
    assert parsed.columns == ["id", "answer"]
    assert parsed.rows == [["1", "Très bien – merci"], ["2", "Bof"]]


def test_read_csv_keeps_quoted_commas_and_empty_cells(tmp_path: Path) -> None:
    """Quoted headers with commas and empty cells survive as strings, never NaN."""
    path = tmp_path / "t.csv"
    path.write_text(CSV, "utf-8")
    parsed = read_table(path)
    assert parsed.columns[-1] == "Waiting, delays & queues"
    assert parsed.rows[1] == ["r2", "York", "Waited two hours", "", "1"]


def test_read_xlsx(tmp_path: Path) -> None:
    """An Excel sheet reads as strings, numbers included."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "answer", "Code A"])
    sheet.append(["a", "Fine", 1])
    sheet.append(["b", "Poor", 0])
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    parsed = read_table(path)
    assert parsed.columns == ["id", "answer", "Code A"]
    assert parsed.rows == [["a", "Fine", "1"], ["b", "Poor", "0"]]


def test_bad_tables(tmp_path: Path) -> None:
    """Empty, header-only, corrupt and bomb tables each raise their own error naming the file."""
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile, match=r"^e\.csv: the file is empty"):
        read_table(empty)
    header = tmp_path / "h.csv"
    header.write_text("a,b\n", "utf-8")
    with pytest.raises(EmptyFile, match=r"^h\.csv: the table has a header but no rows"):
        read_table(header)
    broken = tmp_path / "b.xlsx"
    broken.write_bytes(b"PK\x03\x04broken")
    with pytest.raises(CorruptFile, match=r"^b\.xlsx: "):
        read_table(broken)
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(CorruptFile, match=r"^bin\.csv: holds binary data"):
        read_table(binary)


def test_xlsx_zip_bomb_is_refused(tmp_path: Path) -> None:
    """An .xlsx that inflates hundreds of times its size is refused before pandas reads it."""
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<a/>" + b" " * 20_000_000)
    with pytest.raises(UnsafeFile, match=r"^bomb\.xlsx: unpacks to"):
        read_table(path)


def test_select_columns_rejoins_names_with_commas_and_ranges() -> None:
    """Comma lists rebuild names holding commas; ``A..B`` selects adjacent columns."""
    parsed = table()
    assert select_columns(parsed, "Waiting, delays,site") == ["Waiting, delays", "site"]
    assert select_columns(parsed, "answer..Waiting, delays") == [
        "answer",
        "Staff",
        "Waiting, delays",
    ]
    with pytest.raises(InvalidValue, match=r"^t\.csv: no column named 'Nope' \(columns: 'id'"):
        select_columns(parsed, "site,Nope")


def test_binary_columns_are_the_code_columns() -> None:
    """Columns of only 0/1-style values (with at least one 1) are recognised as code columns."""
    assert binary_columns(table()) == ["Staff", "Waiting, delays"]


def test_map_table_with_code_columns() -> None:
    """Rows become documents named by id; shared ids share a case; empty text rows are skipped."""
    mapped = map_table(
        table(),
        text_column="answer",
        id_column="id",
        attribute_columns=["site"],
        code_columns=["Staff", "Waiting, delays"],
    )
    assert [(r.row, r.name, r.case, r.codes) for r in mapped.rows] == [
        (1, "r1", "r1", ["Staff"]),
        (2, "r2", "r2", ["Waiting, delays"]),
        (4, "r1 (2)", "r1", ["Staff"]),
    ]
    assert mapped.rows[0].attributes == {"site": "Leeds"}
    assert mapped.codes == ["Staff", "Waiting, delays"]
    assert mapped.warnings == ["t.csv: skipped 1 rows with an empty 'answer' (rows 3)"]


def test_map_table_with_a_code_name_column_and_no_id() -> None:
    """A code-name column splits on ``;`` and ``|``; without an id, rows are named by number."""
    mapped = map_table(table(), text_column="answer", codes_from="themes")
    assert [(r.name, r.case, r.codes) for r in mapped.rows] == [
        ("t row 1", None, ["Staff", "Praise"]),
        ("t row 2", None, ["Waiting", "Access"]),
        ("t row 4", None, ["Praise"]),
    ]
    assert mapped.codes == ["Staff", "Praise", "Waiting", "Access"]


def test_map_table_rejects_non_binary_code_cells() -> None:
    """A code column holding anything but 0/1 names the row and column."""
    with pytest.raises(InvalidValue, match=r"^t\.csv: row 1, code column 'themes' holds"):
        map_table(table(), text_column="answer", code_columns=["themes"])


def test_map_table_unknown_text_column() -> None:
    """A text column that does not exist is named with the columns that do."""
    with pytest.raises(InvalidValue, match=r"no column named 'Answer'"):
        map_table(table(), text_column="Answer")


def test_nhs_friends_and_family_table(shared_data: Path) -> None:
    """The NHS FFT table: 50 code columns after the sentiment, one document per non-empty answer."""
    parsed = read_table(shared_data / "nhs-fft" / "v6framework_train.csv")
    assert len(parsed.rows) == 4034
    first = parsed.columns.index("Comment sentiment") + 1
    codes = select_columns(parsed, f"{parsed.columns[first]}..{parsed.columns[-1]}")
    assert len(codes) == 50
    assert set(binary_columns(parsed)) <= set(codes)
    mapped = map_table(
        parsed,
        text_column="FFT answer",
        id_column="Comment ID",
        attribute_columns=["Trust", "FFT question"],
        code_columns=codes,
    )
    # 252 answers are blank (all coded "Labelling not possible"): nothing there to code.
    assert len(mapped.rows) == 4034 - 252
    assert "skipped 252 rows" in mapped.warnings[0]
    assert len({r.name for r in mapped.rows}) == len(mapped.rows)
    assert sum(len(r.codes) for r in mapped.rows) == 4988
    assert mapped.rows[1].codes == ["Timeliness of care"]
    assert mapped.rows[1].attributes == {"Trust": "NEAS", "FFT question": "FFT Why?"}


def test_several_text_columns_give_one_document_per_answer() -> None:
    """A survey with two open questions: each non-empty answer is a document in the row's case;
    code columns are refused because they cannot say which answer they code."""
    survey = ParsedTable(
        "survey.csv",
        ["id", "site", "liked", "improve"],
        [["p1", "Leeds", "Kind staff", "Parking"], ["p2", "York", "", "Shorter waits"]],
    )
    mapped = map_table(survey, text_column=["liked", "improve"], id_column="id",
                       attribute_columns=["site"])  # fmt: skip
    assert [(r.name, r.case, r.text) for r in mapped.rows] == [
        ("p1 - liked", "p1", "Kind staff"),
        ("p1 - improve", "p1", "Parking"),
        ("p2 - improve", "p2", "Shorter waits"),
    ]
    assert mapped.rows[2].attributes == {"site": "York"}
    assert mapped.warnings == ["survey.csv: skipped 1 empty answers"]
    with pytest.raises(InvalidValue, match="cannot say which answer"):
        map_table(survey, text_column=["liked", "improve"], code_columns=["site"])
