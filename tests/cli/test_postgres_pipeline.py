"""Every feature through the CLI on a PostgreSQL team project, as on a .ccproj file."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from collabcoder.cli import main
from collabcoder.io.sample_project import default_sample_folder
from tests.postgres import create_database


def test_whole_pipeline_on_postgresql(
    postgres_cluster: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """new, import, import-table, segments, suggest, matrix (+Excel), agreement, codebook and
    REFI-QDA export all work on a database URL."""
    url = create_database(postgres_cluster)
    documents = sorted((default_sample_folder() / "documents").iterdir())
    assert main(["--coder", "Ann", "new", url]) == 0
    assert main(["--coder", "Ann", "import", url, *map(str, documents[:3]), "--json"]) == 0
    imported = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert len(imported["imported"]) == 3 and not imported["failed"]
    table = tmp_path / "coded.csv"
    table.write_text("id,answer,Trust\nr1,We trust the council now,1\nr2,Funding was short,0\n")
    assert main(["--coder", "Ann", "import-table", url, str(table), "--text", "answer",
                 "--id", "id", "--codes", "Trust", "--coder", "Bob"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["segments", url, "--coder", "Bob", "--json"]) == 0
    assert [s["text"] for s in json.loads(capsys.readouterr().out)] == ["We trust the council now"]
    assert main(["--coder", "Ann", "suggest", url, "--method", "lexical", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)
    xlsx = tmp_path / "matrix.xlsx"
    assert main(["matrix", url, "--json", "--xlsx", str(xlsx)]) == 0
    assert "cells" in json.loads(capsys.readouterr().out)
    assert "Evidence" in openpyxl.load_workbook(xlsx, read_only=True).sheetnames
    assert main(["codebook", "export", url, str(tmp_path / "book.qdc")]) == 0
    assert main(["qdpx", "export", url, str(tmp_path / "p.qdpx"), "--json"]) == 0
    capsys.readouterr()
    assert main(["info", url, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["documents"], info["cases"], info["coders"]) == (
        5,
        4,
        2,
    )  # r1, r2 and two cases named in front matter
    assert "password" not in info["location"]
