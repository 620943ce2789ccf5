"""``collabcoder import``, ``import-table`` and ``documents`` end to end, including a SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from collabcoder.cli import main
from collabcoder.core.project import Project

TRANSCRIPT = "Interviewer: How did it start?\n\nParticipant: Over coffee.\n\nInterviewer: Then?\n"
REPO = Path(__file__).resolve().parents[2]


def new_project(tmp_path: Path) -> Path:
    location = tmp_path / "study.ccproj"
    Project.create(location, coder="Ann").close()
    return location


def test_import_json_lists_imported_and_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``import --json`` prints documents with turns and the failures; failures exit non-zero."""
    location = new_project(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "call.txt").write_text(TRANSCRIPT, "utf-8")
    (folder / "empty.txt").write_bytes(b"")
    code = main(
        ["--coder", "Ann", "import", str(location), str(folder), "--case", "Leeds", "--json"]
    )
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert code == 1
    assert [(i["name"], i["kind"], i["turns"], i["case"]) for i in data["imported"]] == [
        ("call", "transcript", 3, "Leeds")
    ]
    assert [f["reason"] for f in data["failed"]] == ["empty.txt: the file is empty"]
    assert err == "collabcoder: empty.txt: the file is empty\n"


def test_import_plain_output_and_documents_listing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shared_data: Path
) -> None:
    """Plain output summarises the batch; ``documents --json`` lists speakers and turn counts."""
    location = new_project(tmp_path)
    transcript = shared_data / "transcripts" / "co-production-week-2018.md"
    notes = shared_data / "fieldnotes" / "P1_Notes.txt"
    assert main(["import", str(location), str(transcript), str(notes)]) == 0
    out = capsys.readouterr().out
    assert out == (
        "Imported 2 files (1 fieldnotes, 1 transcript; 35 turns); skipped 0; failed 0.\n"
    )
    assert main(["documents", str(location), "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["P1_Notes"]["kind"] == "fieldnotes"
    assert rows["P1_Notes"]["meta"] == {"date": "18/11/2021", "participant": "P1"}
    # The transcript is named by its front matter's title.
    assert rows["Co-production Week 2018"]["speakers"][:2] == [
        {"speaker": "Michelle Drumm", "turns": 16},
        {"speaker": "Kieran", "turns": 9},
    ]
    assert main(["documents", str(location)]) == 0
    table = capsys.readouterr().out
    assert "Michelle Drumm 16, Kieran 9, Sam Jordan 6, Abbie 4" in table


def test_import_table_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``import-table`` maps columns (names with commas included) and names the coder."""
    location = new_project(tmp_path)
    table = tmp_path / "survey.csv"
    table.write_text(
        'id,site,answer,"Waiting, delays",Staff\nr1,Leeds,Slow,1,0\nr2,York,Kind,0,1\n', "utf-8"
    )
    code = main(
        [
            "import-table",
            str(location),
            str(table),
            "--text",
            "answer",
            "--id",
            "id",
            "--attributes",
            "site",
            "--codes",
            "Waiting, delays,Staff",
            "--coder",
            "Survey team",
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (data["documents"], data["cases"], data["segments"]) == (2, 2, 2)
    assert data["codes_created"] == ["Waiting, delays", "Staff"]
    with Project.open(location, coder="Ann") as project:
        assert {s.coder_id for s in project.segments.list()} == {
            project.coders.by_name("Survey team").id
        }


def test_import_table_bad_column_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown column is one line on stderr and exit code 1."""
    location = new_project(tmp_path)
    table = tmp_path / "t.csv"
    table.write_text("a,b\nx,y\n", "utf-8")
    assert main(["import-table", str(location), str(table), "--text", "c"]) == 1
    err = capsys.readouterr().err
    assert err == "collabcoder: t.csv: no column named 'c' (columns: 'a', 'b')\n"


@pytest.mark.slow
def test_sigkill_mid_batch_leaves_only_whole_files(tmp_path: Path) -> None:
    """SIGKILL during a CLI batch: the project opens, passes integrity_check, and holds a
    prefix of the files, each whole (full text and every turn)."""
    location = new_project(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    body = "\n\n".join(
        f"Interviewer: Question {n} about the partnership?\n\nParticipant: Answer {n}."
        for n in range(120)
    )
    files = []
    for n in range(400):
        path = folder / f"t{n:03d}.txt"
        path.write_text(f"{body}\n\nInterviewer: Thanks, {n}.\n", "utf-8")
        files.append(path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "collabcoder", "import", str(location), str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if _document_count(location) >= 20:
                break
            time.sleep(0.02)
        assert process.poll() is None, "the import finished before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    with sqlite3.connect(location) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Project.open(location, coder="Ann") as project:
        documents = sorted(project.documents.list(), key=lambda d: d.name)
        assert 20 <= len(documents) < len(files)
        assert [d.name for d in documents] == [p.stem for p in files[: len(documents)]]
        turns: dict[int, int] = {}
        for turn in project.documents.turns():
            turns[turn.document_id] = turns.get(turn.document_id, 0) + 1
        for document, path in zip(documents, files, strict=False):
            assert project.documents.text(document.id) == path.read_text("utf-8")
            assert turns[document.id] == 241  # 120 questions, 120 answers, the thanks


def _document_count(location: Path) -> int:
    try:
        with sqlite3.connect(f"file:{location}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM document").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
