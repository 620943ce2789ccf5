"""`collabcoder qdpx export|import` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collabcoder.cli import main
from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project


def _project(path: Path) -> None:
    with Project.create(path, coder="Ann") as p:
        code = p.codes.add("Trust")
        doc = p.documents.add(NewDocument("talk", "We trust each other 😀 a lot."))
        p.segments.add(doc.id, code.id, 3, 8)


def test_export_then_import_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Export prints a fidelity report; import creates the project and reports JSON counts."""
    _project(tmp_path / "a.ccproj")
    a, qdpx, b = (str(tmp_path / n) for n in ("a.ccproj", "a.qdpx", "b.ccproj"))
    assert main(["--coder", "Ann", "qdpx", "export", a, qdpx]) == 0
    assert "Exported" in capsys.readouterr().out
    assert main(["--coder", "Ann", "qdpx", "import", qdpx, b, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["carried"]["segments"] == 1 and report["carried"]["documents"] == 1
    with Project.open(tmp_path / "b.ccproj", coder="Ann") as back:
        assert back.segments.quotes(back.segments.list()) == ["trust"]


def test_import_refuses_an_existing_project_without_merge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --merge the target must not exist: one clear line, exit 1, file unchanged."""
    _project(tmp_path / "a.ccproj")
    main(["qdpx", "export", str(tmp_path / "a.ccproj"), str(tmp_path / "a.qdpx")])
    capsys.readouterr()
    before = (tmp_path / "a.ccproj").read_bytes()
    assert main(["qdpx", "import", str(tmp_path / "a.qdpx"), str(tmp_path / "a.ccproj")]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "a.ccproj").read_bytes() == before


def test_merge_into_existing_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--merge into the project the file came from adds nothing twice."""
    _project(tmp_path / "a.ccproj")
    main(["qdpx", "export", str(tmp_path / "a.ccproj"), str(tmp_path / "a.qdpx")])
    capsys.readouterr()
    args = ["qdpx", "import", str(tmp_path / "a.qdpx"), str(tmp_path / "a.ccproj"), "--merge"]
    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["carried"]["segments"] == 0
    with Project.open(tmp_path / "a.ccproj", coder="Ann") as p:
        assert (p.counts().segments, p.counts().documents, p.counts().codes) == (1, 1, 1)


def test_hostile_file_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A zip with a path escaping its folder: exit 1, the error names the file, no project."""
    import zipfile

    with zipfile.ZipFile(tmp_path / "evil.qdpx", "w") as archive:
        archive.writestr("project.qde", "<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>")
        archive.writestr("../../evil.txt", "x")
    assert main(["qdpx", "import", str(tmp_path / "evil.qdpx"), str(tmp_path / "p.ccproj")]) == 1
    err = capsys.readouterr().err
    assert "evil.qdpx" in err and "refused" in err
    assert not (tmp_path / "p.ccproj").exists()


def test_ambiguous_file_is_refused_with_a_preview_then_imported_with_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown tool's file: exit 2 and each candidate's reading of 3 selections; then
    ``--positions`` with the right model imports every selection on its words."""
    from tests.io import refi_tools as tools

    text = "Ann: We 😀 met early.\nBob: Trust grew slowly.\nCat: The café was our office.\n"
    phrases = ["met", "Trust grew", "café", "office"]
    qdpx = tools.write_qdpx(
        tmp_path / "in.qdpx",
        "SomeTool 2",
        tools.NVIVO_WINDOWS,
        [tools.Source("talk", text, phrases)],
    )
    target = str(tmp_path / "p.ccproj")
    assert main(["--coder", "Ann", "qdpx", "import", str(qdpx), target]) == 2
    out = capsys.readouterr()
    assert "--positions" in out.err and not Path(target).exists()
    assert "utf16-crlf2-nobom" in out.out and "cp-crlf2-nobom" in out.out
    # The candidate's own three lines: up to the next candidate (the next two-space indent).
    block = out.out.split("  utf16-crlf2-nobom", 1)[1].split("\n  utf16", 1)[0].split("\n  cp")[0]
    assert "'met'" in block and "'Trust grew'" in block and "'café'" in block
    args = [
        "--coder",
        "Ann",
        "qdpx",
        "import",
        str(qdpx),
        target,
        "--positions",
        "utf16-crlf2-nobom",
    ]
    assert main(args) == 0
    with Project.open(target, coder="Ann") as back:
        segments = sorted(back.segments.list(), key=lambda s: s.start)
        assert back.segments.quotes(segments) == phrases
