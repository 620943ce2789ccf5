"""``collabcoder sets`` and ``--set NAME`` as scope of search, query, matrix, cooccurrence, report
and suggest, checked against counts worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from collabcoder.cli import main
from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project

# Three interviews, one per case; "trust" is coded in each, "funding" in a1 and b1.
TEXTS = {
    "a1": "We trust the council. Funding was short.",
    "b1": "Trust grew slowly. Funding came late. Trust again.",
    "y1": "Nobody spoke of trust here.",
}


@pytest.fixture
def location(tmp_path: Path) -> str:
    path = tmp_path / "p.ccproj"
    with Project.create(path, coder="Ann") as project:
        site = project.attributes.add("Site")
        trust, funding = project.codes.add("Trust"), project.codes.add("Funding")
        for name, (case, where) in {
            "a1": ("Leeds A", "Leeds"),
            "b1": ("Leeds B", "Leeds"),
            "y1": ("York", "York"),
        }.items():
            record = project.cases.add(case)
            project.attributes.set_value(record.id, site.id, where)
            text = TEXTS[name]
            doc = project.documents.add(
                NewDocument(name, text, kind="transcript", case_id=record.id)
            )
            at = 0
            while (at := text.lower().find("trust", at)) >= 0:
                project.segments.add(doc.id, trust.id, at, at + 5)
                at += 5
            if "Funding" in text:
                at = text.index("Funding")
                project.segments.add(doc.id, funding.id, at, at + 7)
    return str(path)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["--coder", "Ann", *argv]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    return json.loads(_run(capsys, *argv, "--json"))


def test_sets_commands_create_change_and_list(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """create, add, remove, smart (create and edit), rename, show, list and delete do what
    they say, and a bad name is one clear line that changes nothing."""
    _run(capsys, "sets", "create", location, "Pilot", "a1", "--description", "first round")
    assert "Added 1" in _run(capsys, "sets", "add", location, "Pilot", "y1", "a1")
    assert "Removed 1" in _run(capsys, "sets", "remove", location, "Pilot", "a1")
    out = _run(capsys, "sets", "smart", location, "Leeds", "--where", "site=leeds")
    assert "Site=leeds" in out and "2 document(s)" in out
    _run(
        capsys, "sets", "smart", location, "Leeds", "--where", "Site=York", "--kinds", "transcript"
    )
    _run(capsys, "sets", "rename", location, "Leeds", "Northern")
    assert _json(capsys, "sets", "show", location, "northern") == {
        "name": "Northern",
        "kind": "smart",
        "description": "",
        "query": "Site=York; kind=transcript",
        "documents": ["y1"],
    }
    listed = _json(capsys, "sets", "list", location)
    assert [(s["name"], s["documents"]) for s in listed] == [  # type: ignore[union-attr]
        ("Northern", ["y1"]),
        ("Pilot", ["y1"]),
    ]
    assert main(["--coder", "Ann", "sets", "add", location, "Northern", "a1"]) == 1
    assert "smart set" in capsys.readouterr().err
    assert main(["--coder", "Ann", "sets", "smart", location, "X", "--where", "Region=N"]) == 1
    assert "Region" in capsys.readouterr().err
    _run(capsys, "sets", "delete", location, "Pilot")
    assert [s["name"] for s in _json(capsys, "sets", "list", location)] == ["Northern"]  # type: ignore[index, union-attr]


def test_set_scopes_search_and_coding_query(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--set`` narrows a text search and a coding query to the set's documents; two sets
    mean documents in either; a saved search keeps its sets."""
    _run(capsys, "sets", "create", location, "Pilot", "a1", "y1")
    _run(capsys, "sets", "smart", location, "Leeds", "--where", "Site=Leeds")
    hits = _json(capsys, "search", location, "trust", "--exact")["hits"]  # type: ignore[index]
    assert len(hits) == 4
    scoped = _json(capsys, "search", location, "trust", "--exact", "--set", "Pilot")
    assert [h["document"] for h in scoped["hits"]] == ["a1", "y1"]  # type: ignore[index]
    both = _json(
        capsys, "search", location, "trust", "--exact", "--set", "Pilot", "--set", "Leeds",
        "--save", "scoped",
    )  # fmt: skip
    assert len(both["hits"]) == 4  # type: ignore[index]
    again = _json(capsys, "search", location, "--saved", "scoped")
    assert len(again["hits"]) == 4  # type: ignore[index]
    passages = _json(capsys, "query", location, "Funding", "--set", "Pilot")
    assert [p["document"] for p in passages] == ["a1"]  # type: ignore[union-attr, index]
    assert main(["--coder", "Ann", "search", location, "trust", "--set", "Nope"]) == 1
    assert "Nope" in capsys.readouterr().err


def test_set_scopes_matrix_cooccurrence_and_report(
    location: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The matrix counts only the set's segments (by hand: Leeds A 1 trust and 1 funding, Leeds
    B none, York 1 trust), co-occurrence likewise, and the report says what the set left in."""
    _run(capsys, "sets", "create", location, "Pilot", "a1", "y1")
    cells = _json(capsys, "matrix", location, "--set", "Pilot")["cells"]  # type: ignore[index]
    assert cells == {
        "Leeds A": {"Trust": 1, "Funding": 1},
        "Leeds B": {"Trust": 0, "Funding": 0},
        "York": {"Trust": 1, "Funding": 0},
    }
    whole = _json(capsys, "matrix", location)["cells"]  # type: ignore[index]
    assert whole["Leeds B"] == {"Trust": 2, "Funding": 1}  # type: ignore[index]
    co = _json(capsys, "cooccurrence", location, "--mode", "document", "--set", "Pilot")
    assert co["codes"] == ["Trust", "Funding"]  # type: ignore[index]
    assert co["counts"][0][1] == 1  # type: ignore[index]  # a1 only (b1 left out)
    _run(capsys, "report", location, str(tmp_path / "r.docx"), "--set", "pilot")
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs)
    assert "sets: pilot" in text
    assert "y1 · coded by Ann" in text and "b1 · coded by" not in text  # y1 quoted, b1 not


def test_suggest_over_a_set_targets_its_uncoded_documents(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``suggest --set`` suggests for the set's uncoded documents only, not every uncoded one."""
    with Project.open(location, coder="Ann") as project:
        fresh = [
            project.documents.add(NewDocument(n, "We trust them; funding matters.")).id
            for n in ("new1", "new2")
        ]
        project.sets.create("Wave 2", [fresh[0], project.documents.by_name("a1").id])
    _run(capsys, "suggest", location, "--method", "lexical", "--set", "Wave 2")
    with Project.open(location, coder="Ann", read_only=True) as project:
        suggested = {s.document_id for s in project.suggestions.list()}
    assert suggested == {fresh[0]}
