"""Zip bombs in Word, OpenDocument, Excel and REFI-QDA containers are refused from the zip's
directory, before any part is parsed, with a message naming the file and nothing imported."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from collabcoder.core.errors import UnsafeFile
from collabcoder.core.project import Project
from collabcoder.io.batch import import_files
from collabcoder.io.formats import parse_file
from collabcoder.io.tables import read_table
from collabcoder.io.zip_limits import QDPX_CAPS, check_zip_caps

_WORD_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _paragraphs(count: int) -> bytes:
    """Word XML that compresses about 5:1, like real text, not like a bomb's zeros."""
    body = b"".join(
        b"<w:p><w:r><w:t>" + os.urandom(6).hex().encode() + b" said</w:t></w:r></w:p>"
        for _ in range(count)
    )
    return b'<w:document xmlns:w="w"><w:body>' + body + b"</w:body></w:document>"


def test_docx_with_a_huge_document_xml_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .docx whose document.xml unpacks to 70 MB at an ordinary ratio (no ratio test catches
    it) is refused by the absolute cap on one XML part; python-docx never sees it."""
    import docx

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the parser was reached")

    monkeypatch.setattr(docx, "Document", never)
    path = tmp_path / "huge.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _WORD_TYPES)
        archive.writestr("word/document.xml", _paragraphs(1_700_000))
    with pytest.raises(UnsafeFile, match=r"^huge\.docx: its part word/document\.xml unpacks"):
        parse_file(path)


def test_docx_of_many_members_is_refused(tmp_path: Path) -> None:
    """Twenty thousand tiny parts: under every size cap, refused by the member count."""
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        for number in range(20_000):
            archive.writestr(f"word/media/{number}.bin", b"x")
    with pytest.raises(UnsafeFile, match=r"^many\.docx: holds 20,001 files"):
        parse_file(path)


def test_odt_expanding_far_beyond_text_is_refused(tmp_path: Path) -> None:
    """An .odt whose parts together expand over 100 times is a bomb, refused by the ratio."""
    path = tmp_path / "bomb.odt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", b"<office:document-content/>")
        for number in range(30):
            archive.writestr(f"Pictures/{number}.xml", b" " * 2**20)
    with pytest.raises(UnsafeFile, match=r"^bomb\.odt: unpacks to 30\.0 MB from .* times"):
        parse_file(path)


def test_xlsx_bomb_is_refused(tmp_path: Path) -> None:
    """The same caps guard coded tables read from Excel workbooks."""
    path = tmp_path / "survey.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<c/>" * (60 * 2**20 // 4))
    with pytest.raises(UnsafeFile, match=r"^survey\.xlsx: unpacks to 60\.0 MB"):
        read_table(path)


def test_refused_bomb_imports_nothing(project: Project, tmp_path: Path) -> None:
    """In a batch, the bomb is listed as failed with its reason and the project is unchanged."""
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        for number in range(10_001):
            archive.writestr(f"x/{number}", b"")
    result = import_files(project, [path])
    assert [item.reason.split(";")[0] for item in result.failed] == [
        "many.docx: holds 10,002 files"
    ]
    assert project.documents.list() == []


def _many_small_sources(count: int, size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("project.qde", b"<Project/>")
        for number in range(count):
            archive.writestr(f"sources/{number}.txt", b"a" * size)
    return buffer.getvalue()


def test_qdpx_of_many_small_entries_is_refused_by_total_expansion() -> None:
    """The .qdpx bomb of the issue: thousands of entries, each too small for a per-entry ratio
    test, that together expand hundreds of times. The shared cap refuses it from the directory
    (io/refi's archive reader calls ``check_zip_caps`` with ``QDPX_CAPS``)."""
    data = _many_small_sources(1_000, 100_000)
    archive = zipfile.ZipFile(io.BytesIO(data))
    with pytest.raises(UnsafeFile, match=r"^bomb\.qdpx: unpacks to 95\.4 MB from .* a zip bomb"):
        check_zip_caps(archive.infolist(), len(data), "bomb.qdpx", QDPX_CAPS)


def test_qdpx_import_refuses_the_many_small_entries_bomb(tmp_path: Path) -> None:
    """The REFI-QDA reader applies the shared cap before reading any entry: the bomb is refused
    by name, and the project it was to go into is unchanged."""
    from collabcoder.core.project import Project
    from collabcoder.io.refi.project_import import import_qdpx

    bomb = tmp_path / "bomb.qdpx"
    bomb.write_bytes(_many_small_sources(1_000, 100_000))
    with Project.create(tmp_path / "p.ccproj", coder="Ann") as project:
        with pytest.raises(UnsafeFile, match=r"bomb\.qdpx: unpacks to 95\.4 MB .* a zip bomb"):
            import_qdpx(bomb, project)
        assert project.documents.list() == [] and project.codes.list() == []


def test_ordinary_archives_pass_the_caps() -> None:
    """Text that compresses like text, in a few entries, is well inside every cap."""
    data = _many_small_sources(5, 1_000)
    archive = zipfile.ZipFile(io.BytesIO(data))
    check_zip_caps(archive.infolist(), len(data), "fine.qdpx", QDPX_CAPS)
