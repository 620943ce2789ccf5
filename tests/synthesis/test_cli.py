"""The matrix and agreement commands on a real project file, through the Project facade."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from collabcoder.cli import main
from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.project import Project
from collabcoder.core.segments import NewSegment
from collabcoder.synthesis.framework import cell_fingerprint, summary_status
from collabcoder.synthesis.load import load_synthesis_data


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """A project with two cases, a theme with a child code, and two coders' segments."""
    path = tmp_path / "study.ccproj"
    with Project.create(path, coder="Ann") as project:
        ben = project.coders.register("Ben")
        north = project.cases.add("North")
        south = project.cases.add("South")
        model = project.attributes.add("model", "choice", ("Hub", "Network"))
        project.attributes.set_value(north.id, model.id, "Hub")
        text = "We share data. Trust grew slowly.\nFunding was short."
        doc = project.documents.add(
            NewDocument(
                "North interview",
                text,
                kind="transcript",
                case_id=north.id,
                turns=[NewTurn("Lead", 0, 33, "00:01"), NewTurn("Officer", 34, len(text))],
            )
        )
        project.documents.add(NewDocument("South notes", "=cmd|' /C calc'!A0", case_id=south.id))
        drivers = project.codes.add("Drivers")
        trust = project.codes.add("Trust", parent_id=drivers.id)
        ann = project.coder.id
        project.segments.add_many(
            [
                NewSegment(doc.id, trust.id, 15, 33, coder_id=ann),
                NewSegment(doc.id, drivers.id, 0, 14, coder_id=ann),
                NewSegment(doc.id, trust.id, 21, 33, coder_id=ben.id),  # "grew slowly."
            ]
        )
    return path


def test_matrix_json_counts_through_the_facade(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`collabcoder matrix --json` reports the rolled-up counts read from the project file."""
    assert main(["--coder", "Ann", "matrix", str(project_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["cells"]["North"]["Drivers"] == 3
    assert out["cells"]["South"]["Drivers"] == 0
    assert main(["matrix", str(project_path), "--json", "--coders", "Ben", "--depth", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["cells"]["North"]["Drivers/Trust"] == 1


def test_matrix_filters_by_kind_attribute_and_origin(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--kinds, --where and --origins restrict which documents and segments are counted."""
    base = ["matrix", str(project_path), "--json"]
    assert main([*base, "--kinds", "document"]) == 0
    assert json.loads(capsys.readouterr().out)["cells"]["North"]["Drivers"] == 0
    assert main([*base, "--where", "model=Network"]) == 0
    assert "North" not in json.loads(capsys.readouterr().out)["cells"]
    assert main([*base, "--where", "model=Hub,Network", "--origins", "manual"]) == 0
    assert json.loads(capsys.readouterr().out)["cells"]["North"]["Drivers"] == 3
    assert main([*base, "--origins", "imported"]) == 0
    assert json.loads(capsys.readouterr().out)["cells"]["North"]["Drivers"] == 0
    assert main([*base, "--where", "model"]) == 1
    assert "expected ATTRIBUTE=VALUE" in capsys.readouterr().err


def test_matrix_writes_workbook_and_csv(project_path: Path, tmp_path: Path) -> None:
    """--xlsx and --csv write files that open and hold the matrix."""
    xlsx, csv_path = tmp_path / "m.xlsx", tmp_path / "m.csv"
    assert main(["matrix", str(project_path), "--xlsx", str(xlsx), "--csv", str(csv_path)]) == 0
    book = openpyxl.load_workbook(xlsx)
    assert book["Matrix"]["B2"].value == 3
    assert "North,3" in csv_path.read_text(encoding="utf-8-sig")


def test_agreement_command(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`collabcoder agreement` prints per-code scores and disagreements as JSON."""
    code = main(["agreement", str(project_path), "--coders", "Ann,Ben", "--unit", "char", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    trust = next(s for s in out["scores"] if s["code"] == "Drivers/Trust")
    assert trust["units"] == 52
    # Ann coded 15-33, Ben 21-33: they differ on "Trust " (6 of the text's 52 characters).
    assert trust["percent agreement"] == pytest.approx(46 / 52)
    assert {d["applied_by"] for d in out["disagreements"]} == {"Ann"}
    assert main(["agreement", str(project_path), "--coders", "Ann,Zed"]) == 1


def test_summary_written_with_fingerprint_is_fresh_until_evidence_changes(
    project_path: Path,
) -> None:
    """The facade stores cell_fingerprint as evidence_hash; adding evidence makes it stale."""
    with Project.open(project_path, coder="Ann") as project:
        data = load_synthesis_data(project)
        north = project.cases.by_name("North").id
        drivers = project.codes.by_path("Drivers").id
        project.summaries.set(
            north, drivers, "Trust matters.", cell_fingerprint(data, north, drivers)
        )
        assert not summary_status(load_synthesis_data(project))["stale"].iloc[0]
        doc = project.documents.by_name("North interview").id
        project.segments.add(doc, project.codes.by_path("Drivers/Trust").id, 34, 41)
        assert summary_status(load_synthesis_data(project))["stale"].iloc[0]


def test_cooccurrence_command(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`collabcoder cooccurrence` reports overlap counts and Jaccard between codes as JSON."""
    assert main(["cooccurrence", str(project_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mode"] == "overlap" and out["codes"] == ["Drivers", "Drivers/Trust"]
    assert out["counts"] == [[1, 0], [0, 1]]  # Trust: two coders overlap, one passage; no pair
    assert main(["cooccurrence", str(project_path), "--mode", "document", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"][0][1] == 1 and out["jaccard"][0][1] == 1.0


def test_report_command_writes_the_chosen_report(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`collabcoder report` writes a .docx for the chosen organisation, case, coders and quote
    limit; a wrong file type or an unknown case is one line on stderr and writes nothing."""
    import docx

    out = tmp_path / "report.docx"
    args = ["--coder", "Ann", "report", str(project_path), str(out), "--by", "case"]
    assert main([*args, "--case", "North", "--coders", "Ann", "--quotes", "1", "--depth", "2"]) == 0
    assert "Wrote" in capsys.readouterr().out
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "North" in headings and "South" not in headings
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes == ["We share data.", "Trust grew slowly."]  # one per code, Ann's only
    sources = [p.text for p in document.paragraphs if p.style.name == "Quote Source"]
    assert sources[0] == "Lead · North interview, turn 1 (00:01) · coded by Ann"
    assert main(["report", str(project_path), str(tmp_path / "r.txt")]) == 1
    assert main([*args[2:], "--case", "Nowhere"]) == 1
    err = capsys.readouterr().err
    assert "name it with .docx" in err and "No case named 'Nowhere'" in err
    written = [p.name for p in tmp_path.iterdir() if ".ccproj" not in p.name]
    assert written == ["report.docx"]  # no partial file left by the refused runs
