"""Where query results go from the command line: a new code, the matrix (as a column), and
CSV/XLSX for coding queries (formula-safe)."""

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
OTHER = "Funding came late. We trust the partners."


@pytest.fixture
def location(tmp_path: Path) -> str:
    """Two documents in two cases, Trust coded on each 'trust' sentence, Funding on the
    funding sentences, and a saved coding and text query."""
    path = tmp_path / "p.ccproj"
    with Project.create(path, coder="Ann") as project:
        second = TEXT.index("\n") + 1
        turns = [NewTurn("Interviewer", 0, second - 1), NewTurn("Pat", second, len(TEXT))]
        wirral, leeds = project.cases.add("Wirral"), project.cases.add("Leeds")
        one = project.documents.add(
            NewDocument("one", TEXT, kind="transcript", turns=turns, case_id=wirral.id)
        )
        two = project.documents.add(NewDocument("two", OTHER, case_id=leeds.id))
        trust, funding = project.codes.add("Trust"), project.codes.add("Funding")
        for doc, body in ((one.id, TEXT), (two.id, OTHER)):
            for words, code in (("trust", trust), ("Funding", funding)):
                at = body.index(words)
                project.segments.add(doc, code.id, at, at + len(words))
        start = TEXT.index("=HYPERLINK")
        project.segments.add(one.id, trust.id, start, start + 30)
    return str(path)


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(["--coder", "Ann", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_results_coded_as_a_new_code(location: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--new-code previews, then makes the code and codes the results in one logged step; a
    code of that name already there is refused."""
    assert main(["search", location, "funding", "--new-code", "Money"]) == 0
    assert "2 passage(s) would be coded as new code Money" in capsys.readouterr().out
    coded = _json(capsys, "search", location, "funding", "--new-code", "Money", "--yes")
    assert coded["coded"] == 2 and coded["code"] == "Money"  # type: ignore[index]
    assert main(["log", location]) == 0
    assert "Auto-code 2 passages as new code Money" in capsys.readouterr().out
    query = _json(
        capsys, "query", location, "Trust OR Funding", "--new-code", "Trust/Either", "--yes"
    )
    assert query["code"] == "Trust/Either" and query["coded"] == 5  # type: ignore[index]
    assert main(["query", location, "Trust", "--new-code", "Trust/Either", "--yes"]) == 1
    assert "exists already" in capsys.readouterr().err


def test_coding_query_exports_are_formula_safe(
    location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A coding query's passages go to CSV and XLSX with a formula-like passage kept as text."""
    out_csv, out_xlsx = tmp_path / "q.csv", tmp_path / "q.xlsx"
    for out in (out_csv, out_xlsx):
        assert main(["query", location, "Trust NOT Funding", "--out", str(out)]) == 0
    rows = list(csv.reader(out_csv.open(encoding="utf-8-sig")))
    assert rows[0] == ["Document", "Speaker", "Start", "End", "Text"]
    formula = [r for r in rows[1:] if "HYPERLINK" in r[4]]
    assert formula and formula[0][4].startswith("'=HYPERLINK")
    sheet = openpyxl.load_workbook(out_xlsx).active
    assert sheet is not None
    cells = [sheet.cell(row=r, column=5) for r in range(2, sheet.max_row + 1)]
    cell = next(c for c in cells if "HYPERLINK" in str(c.value))
    assert str(cell.value).startswith("=HYPERLINK") and cell.data_type == "s"


def test_matrix_with_a_saved_query_column(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`matrix --query NAME` adds a column of the saved query's passages per case, for a
    coding query and a text search alike; an unknown name is one line naming the saved ones."""
    _json(capsys, "query", location, "Trust", "--save", "Trust talk")
    _json(capsys, "search", location, "trust", "--save", "Word trust")
    found = _json(capsys, "matrix", location, "--query", "Trust talk", "--query", "Word trust")
    cells = found["cells"]  # type: ignore[index]
    assert {c: cells[c]["Query: Trust talk"] for c in cells} == {"Leeds": 1, "Wirral": 2}
    # "trust" as a word: twice in one (trust, trusted, trust: three), once in two.
    assert {c: cells[c]["Query: Word trust"] for c in cells} == {"Leeds": 1, "Wirral": 3}
    assert main(["matrix", location, "--query", "Nothing"]) == 1
    assert "No saved query called 'Nothing'" in capsys.readouterr().err
