"""The CLI's project commands, run as a user runs them: new, info, segments, log, errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from collabcoder.cli import main
from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project

COLLABCODER = Path(sys.executable).parent / "collabcoder"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(COLLABCODER), *args], capture_output=True, text=True, timeout=120)


def test_new_then_info_json(tmp_path: Path) -> None:
    """`new` starts from the default codebook; `info --json` prints valid JSON with the counts."""
    target = tmp_path / "p.ccproj"
    assert run("new", str(target)).returncode == 0
    result = run("info", str(target), "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["codes"] > 50 and info["documents"] == info["segments"] == info["memos"] == 0


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    """A missing or foreign project file gives one clear line on stderr and exit code 1."""
    (tmp_path / "notes.txt").write_text("not a project")
    for target in ("missing.ccproj", "notes.txt"):
        result = run("info", str(tmp_path / target))
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr and target in result.stderr


def test_version_and_help_do_not_load_heavy_libraries() -> None:
    """`--version` works, and building the parser imports neither SQLAlchemy nor spaCy nor Qt."""
    assert run("--version").stdout.startswith("CollabCoder ")
    probe = (
        "import sys; from collabcoder.cli import build_parser; build_parser(); "
        "print(sorted(m for m in ('sqlalchemy', 'spacy', 'pandas', 'PySide6') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.fixture
def coded_project(tmp_path: Path) -> Path:
    target = tmp_path / "coded.ccproj"
    with Project.create(target, coder="Ann") as project:
        case = project.cases.add("Golden Key")
        text = "Participant: We use proxy measures.\nParticipant: =SUM(A1) is not a formula."
        doc = project.documents.add(NewDocument("i1", text, "transcript", case_id=case.id))
        parent = project.codes.add("Measurement")
        code = project.codes.add("Proxy measures", parent.id)
        project.segments.add(doc.id, code.id, 13, 35)
        bob = Project.open(target, coder="Bob")
        bob.segments.add(doc.id, parent.id, 49, 56)
        bob.close()
    return target


def test_segments_filters_and_formats(
    coded_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`segments` lists the exact text under each segment, filtered by code (with children),
    case and coder, as JSON or CSV."""
    assert main(["segments", str(coded_project), "--code", "Measurement", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["code"], r["coder"], r["text"]) for r in rows] == [
        ("Measurement/Proxy measures", "Ann", "We use proxy measures."),
        ("Measurement", "Bob", "=SUM(A1"),
    ]
    assert main(["segments", str(coded_project), "--coder", "bob", "--csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["case"], r["start"], r["end"]) for r in table] == [("Golden Key", "49", "56")]
    assert main(["segments", str(coded_project), "--case", "Nowhere"]) == 1
    assert "No case called 'Nowhere'" in capsys.readouterr().err


def test_log_shows_who_did_what(coded_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`log --json` lists the operation log, newest first, with each coder's name."""
    assert main(["log", str(coded_project), "--json"]) == 0
    log = json.loads(capsys.readouterr().out)
    assert (log[0]["coder"], log[0]["label"]) == ("Bob", "Code selection")
    assert {"Add case Golden Key", "Add code Measurement"} <= {e["label"] for e in log}


def test_push_and_pull_through_the_cli(
    coded_project: Path, tmp_path: Path, postgres_cluster: str
) -> None:
    """`push` copies a project to PostgreSQL; `pull` makes an offline copy; pushing the copy back
    merges by GUID and adds only what is new."""
    from tests.postgres import create_database

    url = create_database(postgres_cluster)
    assert main(["push", str(coded_project), url]) == 0
    copy = tmp_path / "offline.ccproj"
    assert main(["pull", url, str(copy)]) == 0
    with Project.open(copy, coder="Cy") as offline:
        doc = offline.documents.list()[0]
        offline.segments.add(doc.id, offline.codes.by_path("Measurement").id, 0, 11)
    assert main(["--coder", "Cy", "push", str(copy), url, "--json"]) == 0
    with Project.open(url, coder="Lead") as team:
        assert len(team.segments.list()) == 3
