"""Hostile or odd .qdpx archives and XML: refused with a clear error, nothing written."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from collabcoder.core.errors import CorruptFile, UnsafeFile
from collabcoder.io.refi.project_import import import_qdpx
from collabcoder.io.refi.zipsafe import Limits, QdpxArchive

GUID = "6f1e9a52-3c1d-4f7e-9b0a-2f4c8d1e5a77"
CODE = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
QDE = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="tiny" origin="Test">
  <CodeBook><Codes><Code guid="{CODE}" name="Trust" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{GUID}" name="interview" plainTextPath="internal://{GUID}.txt">
      <PlainTextSelection guid="{{11111111-2222-4333-8444-555555555555}}" startPosition="3"
          endPosition="8">
        <Coding guid="22222222-3333-4444-8555-666666666666">
          <CodeRef targetGUID="{CODE.upper()}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""
TEXT = "We trust each other."


def _zip(path: Path, entries: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_capital_sources_folder_and_odd_qde_name_import(tmp_path: Path) -> None:
    """NVivo's `Sources/` and a .qde not called project.qde are read; GUIDs in braces match."""
    qdpx = _zip(tmp_path / "a.qdpx", {"Export.QDE": QDE, f"Sources/{GUID.upper()}.TXT": TEXT})
    report = import_qdpx(qdpx, tmp_path / "p.ccproj", coder="Ann")
    assert report.carried["segments"] == 1
    from collabcoder.core.project import Project

    with Project.open(tmp_path / "p.ccproj", coder="Ann") as project:
        (segment,) = project.segments.list()
        assert project.segments.quotes([segment]) == ["trust"]


@pytest.mark.parametrize(
    "bad_name", ["../evil.txt", "sources/../../evil.txt", "/etc/passwd", "C:/evil.txt", "a\\..\\b"]
)
def test_entries_escaping_the_folder_are_refused(tmp_path: Path, bad_name: str) -> None:
    """Any entry that points outside the archive's folder: UnsafeFile naming it; no project."""
    qdpx = _zip(tmp_path / "bad.qdpx", {"project.qde": QDE, bad_name: "x"})
    with pytest.raises(UnsafeFile, match="outside the archive"):
        import_qdpx(qdpx, tmp_path / "p.ccproj")
    assert not (tmp_path / "p.ccproj").exists()


def test_high_ratio_entry_is_refused_as_zip_bomb(tmp_path: Path) -> None:
    """An entry that expands far beyond any real text is refused before it is read."""
    qdpx = _zip(
        tmp_path / "bomb.qdpx", {"project.qde": QDE, f"sources/{GUID}.txt": b"\0" * (8 << 20)}
    )
    with pytest.raises(UnsafeFile, match="zip bomb"):
        import_qdpx(qdpx, tmp_path / "p.ccproj")
    assert not (tmp_path / "p.ccproj").exists()


def test_entry_larger_than_declared_is_refused(tmp_path: Path) -> None:
    """An entry whose data runs past its declared size (a lying header) is refused."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", QDE)
        archive.writestr(f"sources/{GUID}.txt", TEXT * 2000)
    raw = bytearray(buffer.getvalue())
    local = raw.find(b"PK\x03\x04", 1)
    central = raw.find(b"PK\x01\x02", raw.find(b"PK\x01\x02") + 1)
    struct.pack_into("<I", raw, local + 22, 100)  # uncompressed size in the local header
    struct.pack_into("<I", raw, central + 24, 100)  # ...and in the central directory
    qdpx = tmp_path / "liar.qdpx"
    qdpx.write_bytes(bytes(raw))
    with pytest.raises(UnsafeFile, match="more than its declared"):
        import_qdpx(qdpx, tmp_path / "p.ccproj")
    assert not (tmp_path / "p.ccproj").exists()


def test_declared_size_over_the_limit_is_refused(tmp_path: Path) -> None:
    """An entry declaring more bytes than the per-entry limit is refused, naming it."""
    qdpx = _zip(tmp_path / "big.qdpx", {"project.qde": QDE})
    with pytest.raises(UnsafeFile, match=r"project\.qde"):
        QdpxArchive(qdpx, Limits(entry_bytes=100))


def test_entity_expansion_in_project_qde_is_refused(tmp_path: Path) -> None:
    """A project.qde declaring entities (billion laughs) is refused; no project is created."""
    evil = QDE.replace(
        '<?xml version="1.0" encoding="utf-8"?>',
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>',
    ).replace('name="tiny"', 'name="&b;"')
    qdpx = _zip(tmp_path / "laughs.qdpx", {"project.qde": evil})
    with pytest.raises(UnsafeFile, match="entit"):
        import_qdpx(qdpx, tmp_path / "p.ccproj")
    assert not (tmp_path / "p.ccproj").exists()


def test_not_a_zip_and_no_qde(tmp_path: Path) -> None:
    """A file that is no zip, or a zip without a .qde, is CorruptFile naming the file."""
    junk = tmp_path / "junk.qdpx"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(CorruptFile, match=r"junk\.qdpx"):
        import_qdpx(junk, tmp_path / "p.ccproj")
    empty = _zip(tmp_path / "empty.qdpx", {"readme.txt": "hi"})
    with pytest.raises(CorruptFile, match=r"no project\.qde"):
        import_qdpx(empty, tmp_path / "p.ccproj")
    assert not (tmp_path / "p.ccproj").exists()


def test_absent_source_is_imported_empty_with_a_warning(tmp_path: Path) -> None:
    """A source missing from the archive becomes an empty document; its selection is reported."""
    qdpx = _zip(tmp_path / "a.qdpx", {"project.qde": QDE})
    report = import_qdpx(qdpx, tmp_path / "p.ccproj", coder="Ann")
    assert report.carried["documents"] == 1 and report.carried["segments"] == 0
    assert any("absent" in w for w in report.warnings)
    assert [(n.kind, n.reason) for n in report.not_carried] == [
        ("selection", "the source's text is absent")
    ]
