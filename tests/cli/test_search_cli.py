"""The retrieval commands: search, query, code-turns and queries."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from collabcoder.cli import main
from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.project import Project

TEXT = (
    "I: Do you trust the council?\n"
    "=HYPERLINK(1) We trusted them. Funding was short, but trust grew.\n"
    "I: And don't forget co-production."
)


@pytest.fixture
def location(tmp_path: Path) -> str:
    """A project with one small transcript and the codes Trust and Funding."""
    path = tmp_path / "p.ccproj"
    with Project.create(path, coder="Ann") as project:
        second, third = TEXT.index("\n") + 1, TEXT.rindex("\n") + 1
        turns = [
            NewTurn("Interviewer", 0, second - 1),
            NewTurn("Pat", second, third - 1),
            NewTurn("Interviewer", third, len(TEXT)),
        ]
        project.documents.add(NewDocument("one", TEXT, kind="transcript", turns=turns))
        project.codes.add("Trust")
        project.codes.add("Funding")
    return str(path)


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(["--coder", "Ann", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _segments(location: str) -> int:
    with Project.open(location, coder="Ann", read_only=True) as project:
        return project.counts().segments


def test_search_prints_hits_with_speakers(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`search` finds lemmas by default, exact forms with --exact, and shows each speaker."""
    found = _json(capsys, "search", location, "trust")
    assert [(h["text"], h["speaker"]) for h in found["hits"]] == [  # type: ignore[index]
        ("trust", "Interviewer"),
        ("trusted", "Pat"),
        ("trust", "Pat"),
    ]
    exact = _json(capsys, "search", location, "trust", "--exact", "--exclude-speakers", "Pat")
    assert [h["text"] for h in exact["hits"]] == ["trust"]  # type: ignore[index]
    assert main(["search", location, "trust NEAR/2 funding", "--within", "turn"]) == 0
    out = capsys.readouterr().out
    assert "[trusted]" in out and "[Funding]" in out and "2 hit(s)" in out


def test_search_exports_are_formula_safe(
    location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CSV and XLSX results keep a quote that looks like a formula as text."""
    out_csv, out_xlsx = tmp_path / "hits.csv", tmp_path / "hits.xlsx"
    assert main(["search", location, "trusted", "--exact", "--out", str(out_csv)]) == 0
    assert main(["search", location, "trusted", "--exact", "--out", str(out_xlsx)]) == 0
    rows = list(csv.reader(out_csv.open(encoding="utf-8-sig")))
    assert rows[0][:2] == ["Document", "Speaker"] and rows[1][5].startswith("'=HYPERLINK")
    sheet = openpyxl.load_workbook(out_xlsx).active
    assert sheet is not None
    before = sheet.cell(row=2, column=6)
    assert before.value.startswith("=HYPERLINK") and before.data_type == "s"


def test_code_as_previews_first_then_codes_once(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--code-as only shows what would be coded; with --yes it codes it, and a second run
    codes nothing new."""
    assert main(["search", location, "trust", "--code-as", "Trust", "--as", "sentence"]) == 0
    out = capsys.readouterr().out
    assert "3 passage(s) would be coded as Trust" in out and _segments(location) == 0
    coded = _json(
        capsys, "search", location, "trust", "--code-as", "Trust", "--as", "sentence", "--yes"
    )
    assert coded == {
        "coded": 3,
        "already_coded": 0,
        "code": "Trust",
        "provenance": "search 'trust' (lemmas, within the same paragraph)",
    }
    again = _json(
        capsys, "search", location, "trust", "--code-as", "Trust", "--as", "sentence", "--yes"
    )
    assert again["coded"] == 0 and _segments(location) == 3  # type: ignore[index]
    assert main(["log", location]) == 0
    assert "Auto-code 3 passages as Trust" in capsys.readouterr().out


def test_coding_query_and_code_results_as(
    location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`query` combines codes; its results can be exported and coded as a new code."""
    _json(capsys, "search", location, "trust", "--code-as", "Trust", "--as", "sentence", "--yes")
    _json(capsys, "search", location, "funding", "--code-as", "Funding", "--yes")
    passages = _json(capsys, "query", location, "Trust ENCLOSES Funding")
    assert [p["text"] for p in passages] == ["Funding was short, but trust grew."]  # type: ignore[union-attr, index]
    out = tmp_path / "q.csv"
    assert main(["query", location, "Trust OVERLAPS Funding", "--out", str(out)]) == 0
    assert len(list(csv.reader(out.open(encoding="utf-8-sig")))) == 2
    with Project.open(location, coder="Ann") as project:
        project.codes.add("Trust and money")
    coded = _json(
        capsys, "query", location, "Trust AND Funding", "--code-as", "Trust and money", "--yes"
    )
    assert coded["coded"] == 1  # type: ignore[index]


def test_code_turns_of_a_speaker(location: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`code-turns` codes every turn of one speaker, after a preview."""
    assert main(["code-turns", location, "interviewer", "--code-as", "Trust"]) == 0
    assert "2 passage(s) would be coded" in capsys.readouterr().out
    coded = _json(capsys, "code-turns", location, "Interviewer", "--code-as", "Trust", "--yes")
    assert coded["coded"] == 2 and _segments(location) == 2  # type: ignore[index]


def test_saved_queries_rerun_with_their_options(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--save keeps a query with its options; --saved runs it again the same way."""
    first = _json(capsys, "search", location, "trust", "--exact", "--save", "Exact trust")
    listed = _json(capsys, "queries", location)
    assert [(q["name"], q["query"], q["exact"]) for q in listed] == [  # type: ignore[union-attr, index]
        ("Exact trust", "trust", True)
    ]
    again = _json(capsys, "search", location, "--saved", "exact trust")
    assert again["hits"] == first["hits"]  # type: ignore[index]
    _json(capsys, "query", location, "Trust OR Funding", "--save", "Either")
    assert main(["queries", location, "--delete", "Either", "--kind", "coding"]) == 0
    assert "Deleted the saved coding query" in capsys.readouterr().out
    assert [q["name"] for q in _json(capsys, "queries", location)] == ["Exact trust"]  # type: ignore[union-attr]


def test_bad_queries_are_one_line_errors(location: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A query that cannot be read, or an unknown code, exits 1 with one line naming it."""
    assert main(["search", location, "trust AND"]) == 1
    assert "ends where a word was expected" in capsys.readouterr().err
    assert main(["query", location, "Trust NEAR/3 Nowhere"]) == 1
    assert "No code at 'Nowhere'" in capsys.readouterr().err
    assert main(["search", location, "(", "--regex"]) == 1
    assert "not valid" in capsys.readouterr().err
