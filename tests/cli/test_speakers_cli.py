"""`collabcoder speakers` and the role options of search, query, matrix and suggest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collabcoder.cli import main
from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.project import Project

ONE = "Interviewer: Is trust growing?\nPat: Trust is growing."
TWO = "MD: Tell me about trust.\nSam: Trust takes time."


def _transcript(name: str, text: str) -> NewDocument:
    first = text.index("\n")
    turns = [
        NewTurn(text[: text.index(":")], 0, first),
        NewTurn(text[first + 1 : text.index(":", first)], first + 1, len(text)),
    ]
    return NewDocument(name, text, kind="transcript", turns=turns)


@pytest.fixture
def location(tmp_path: Path) -> str:
    """Two transcripts: an Interviewer and Pat, then MD (the same interviewer) and Sam, with
    every turn coded Trust."""
    path = tmp_path / "p.ccproj"
    with Project.create(path, coder="Ann") as project:
        trust = project.codes.add("Trust")
        for name, text in (("one", ONE), ("two", TWO)):
            doc = project.documents.add(_transcript(name, text))
            for turn in project.documents.turns(doc.id):
                project.segments.add(doc.id, trust.id, turn.start, turn.end)
    return str(path)


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(["--coder", "Ann", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["--coder", "Ann", *argv]) == 0
    return capsys.readouterr().out


def test_list_merge_role_attribute_and_alias(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The list shows each speaker's role, documents, turns and words; merge makes MD's turns
    the Interviewer's; role, attribute and alias change what the list says."""
    listed = _json(capsys, "speakers", "list", location)
    assert [(s["name"], s["role"], s["turns"]) for s in listed] == [  # type: ignore[union-attr]
        ("Interviewer", "interviewer", 1),
        ("MD", "participant", 1),
        ("Pat", "participant", 1),
        ("Sam", "participant", 1),
    ]
    assert "Merged speaker 'MD' into 'Interviewer'" in _run(
        capsys, "speakers", "merge", location, "MD", "Interviewer"
    )
    _run(capsys, "speakers", "rename", location, "Interviewer", "Michelle Drumm")
    _run(capsys, "speakers", "role", location, "facilitator", "Pat", "Sam")
    _run(capsys, "speakers", "attribute", location, "Sam", "age", "30-39")
    _run(capsys, "speakers", "alias", location, "Sam", "Pat", "--document", "two")
    listed = {s["name"]: s for s in _json(capsys, "speakers", "list", location)}  # type: ignore[union-attr]
    host = listed["Michelle Drumm"]
    assert (host["role"], host["turns"], len(host["documents"])) == ("interviewer", 2, 2)
    assert sorted(a["label"] for a in host["aliases"]) == ["Interviewer", "MD"]
    assert listed["Pat"]["role"] == "facilitator" and listed["Pat"]["turns"] == 2
    assert listed["Sam"]["attributes"] == {"age": "30-39"} and listed["Sam"]["turns"] == 0
    table = _run(capsys, "speakers", "list", location, "--documents")
    assert "Michelle Drumm" in table and "Interviewer, MD" not in table  # one line per document


def test_unknown_speakers_and_roles_are_refused(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A speaker that does not exist is named in the error; a role that does not exist is an
    argument error; nothing changes."""
    assert main(["speakers", "rename", location, "Nobody", "X"]) == 1
    assert "Nobody" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["speakers", "role", location, "chair", "Pat"])
    capsys.readouterr()
    assert [s["name"] for s in _json(capsys, "speakers", "list", location)] == [  # type: ignore[union-attr]
        "Interviewer",
        "MD",
        "Pat",
        "Sam",
    ]


def test_exclude_role_in_search_query_and_matrix(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--exclude-role interviewer leaves out the Interviewer's (and, once merged, MD's) turns
    in search, coding queries and the matrix; --rows speaker gives one row per speaker."""
    _run(capsys, "speakers", "merge", location, "MD", "Interviewer")
    found = _json(capsys, "search", location, "trust", "--exclude-role", "interviewer")
    assert [h["speaker"] for h in found["hits"]] == ["Pat", "Sam"]  # type: ignore[index]
    only = _json(capsys, "search", location, "trust", "--role", "interviewer")
    assert [h["speaker"] for h in only["hits"]] == ["Interviewer", "MD"]  # type: ignore[index]
    passages = _json(capsys, "query", location, "Trust", "--exclude-role", "interviewer")
    assert [p["speaker"] for p in passages] == ["Pat", "Sam"]  # type: ignore[union-attr]
    matrix = _json(capsys, "matrix", location, "--rows", "speaker")
    assert matrix["cells"] == {  # type: ignore[index]
        "Interviewer": {"Trust": 2},
        "Pat": {"Trust": 1},
        "Sam": {"Trust": 1},
    }
    guests = _json(capsys, "matrix", location, "--rows", "speaker", "--exclude-role", "interviewer")
    assert guests["cells"] == {"Pat": {"Trust": 1}, "Sam": {"Trust": 1}}  # type: ignore[index]


def test_saved_query_keeps_its_role_filter(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A search saved with --exclude-role runs again with it (MD is still a participant)."""
    _run(capsys, "search", location, "trust", "--exclude-role", "interviewer", "--save", "guests")
    found = _json(capsys, "search", location, "--saved", "guests")
    assert [h["speaker"] for h in found["hits"]] == ["Pat", "MD", "Sam"]  # type: ignore[index]
