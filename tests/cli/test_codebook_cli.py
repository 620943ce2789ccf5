"""`collabcoder codebook export/import/diff` on real projects, end to end through the facade."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xmlschema

from collabcoder.cli import main
from collabcoder.core.codebook_spec import walk_codebook
from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.io.refi import load_default_codebook
from collabcoder.io.refi.qdc import read_qdc, write_qdc


def _project(tmp_path: Path, name: str, codebook: object = "default") -> Path:
    location = tmp_path / f"{name}.ccproj"
    specs = load_default_codebook() if codebook == "default" else codebook
    Project.create(location, coder="Lead", codebook=specs).close()  # type: ignore[arg-type]
    return location


def test_export_then_import_into_a_new_project_reproduces_every_field(
    tmp_path: Path, shared_data: Path
) -> None:
    """The default codebook exported from a project validates, and a fresh project importing
    it holds the same tree with every GUID, colour, definition, criterion, example and keyword."""
    source = _project(tmp_path, "source")
    exported = tmp_path / "out.qdc"
    assert main(["--coder", "Lead", "codebook", "export", str(source), str(exported)]) == 0
    xmlschema.XMLSchema(str(shared_data / "refi" / "Codebook.xsd")).validate(str(exported))
    target = _project(tmp_path, "target", codebook=None)
    assert main(["--coder", "Lead", "codebook", "import", str(target), str(exported)]) == 0
    with Project.open(target, coder="Lead") as project:
        assert project.codes.to_specs() == load_default_codebook()


def test_plain_import_refuses_codes_already_present(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Importing the same codebook twice without --merge changes nothing and says to merge."""
    location = _project(tmp_path, "p")
    book = tmp_path / "same.qdc"
    write_qdc(load_default_codebook(), book)
    assert main(["--coder", "Lead", "codebook", "import", str(location), str(book)]) == 1
    assert "use --merge" in capsys.readouterr().err
    with Project.open(location, coder="Lead") as project:
        assert len(project.codes.list()) == sum(1 for _ in walk_codebook(load_default_codebook()))


def test_merge_with_base_takes_a_rename_and_keeps_a_coded_code(tmp_path: Path) -> None:
    """Merging a shared codebook that renamed one code and dropped two: the rename is applied,
    the dropped code with segments stays, the uncoded one goes."""
    location = _project(tmp_path, "p")
    base = tmp_path / "base.qdc"
    write_qdc(load_default_codebook(), base)
    incoming = load_default_codebook()
    drivers = incoming[0]
    drivers.children[0].name = "Whole-system working"
    dropped = {"Evidence-led", "Better place to work"}
    drivers.children = [c for c in drivers.children if c.name not in dropped]
    shared = tmp_path / "shared.qdc"
    write_qdc(incoming, shared)
    with Project.open(location, coder="Lead") as project:
        doc = project.documents.add(
            NewDocument(name="call", kind="transcript", text="We rely on evidence.")
        )
        evidence = project.codes.by_path("Key drivers/Evidence-led")
        project.segments.add(doc.id, evidence.id, 10, 19)
    args = ["--coder", "Lead", "codebook", "import", str(location), str(shared), "--merge"]
    assert main([*args, "--base", str(base)]) == 0
    with Project.open(location, coder="Lead") as project:
        paths = set(project.codes.paths().values())
        assert "Key drivers/Whole-system working" in paths
        assert "Key drivers/Evidence-led" in paths
        assert "Key drivers/Better place to work" not in paths


def test_merge_without_base_lists_conflicts_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a base, a differing definition is a conflict: printed, and the project unchanged."""
    location = _project(tmp_path, "p")
    incoming = load_default_codebook()
    incoming[1].definition = "A rewritten definition."
    shared = tmp_path / "shared.qdc"
    write_qdc(incoming, shared)
    assert (
        main(["--coder", "Lead", "codebook", "import", str(location), str(shared), "--merge"]) == 0
    )
    out = capsys.readouterr().out
    assert "1 conflicts left" in out and "Models of collaboration [definition]" in out
    with Project.open(location, coder="Lead") as project:
        assert project.codes.to_specs() == load_default_codebook()


def test_diff_of_project_and_file_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`codebook diff --json` between a project and a .qdc reports a move with both paths."""
    location = _project(tmp_path, "p")
    incoming = load_default_codebook()
    incoming.append(incoming[0].children.pop())  # Trust and empowerment to the top level
    other = tmp_path / "other.qdc"
    write_qdc(incoming, other)
    assert main(["--coder", "Lead", "codebook", "diff", str(location), str(other), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["kind"] for d in data["differences"]] == ["moved"]
    assert data["differences"][0]["incoming_path"] == ["Trust and empowerment"]
    assert read_qdc(other)[-1].name == "Trust and empowerment"
