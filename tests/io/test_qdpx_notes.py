"""REFI-QDA notes are text sources: text kept in a file is read, coded passages are reported."""

from __future__ import annotations

import zipfile
from pathlib import Path

from collabcoder.core.project import Project
from collabcoder.io.refi.fidelity import FidelityReport
from collabcoder.io.refi.project_import import import_qdpx

USER = "05e40000-0000-4000-8000-000000000001"
CODE = "c0de0000-0000-4000-8000-000000000001"
IN_FILE = "a0000000-0000-4000-8000-000000000001"
ABSENT = "a0000000-0000-4000-8000-000000000002"
CODED = "a0000000-0000-4000-8000-000000000003"
OUTSIDE = "a0000000-0000-4000-8000-000000000004"


def _project(notes: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="notes" origin="MAXQDA 24">
  <Users><User guid="{USER}" name="Ann"/></Users>
  <CodeBook><Codes><Code guid="{CODE}" name="Trust" isCodable="true"/></Codes></CodeBook>
  <Notes>{notes}</Notes>
</Project>""".encode()


def _import(tmp_path: Path, notes: str, files: dict[str, bytes]) -> tuple[Project, FidelityReport]:
    path = tmp_path / "notes.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", _project(notes))
        for name, data in files.items():
            archive.writestr(name, data)
    report = import_qdpx(path, tmp_path / "p.ccproj", coder="Ann")
    return Project.open(tmp_path / "p.ccproj", coder="Ann"), report


def test_note_text_in_a_file_becomes_the_memo_text(tmp_path: Path) -> None:
    """A note whose text is a file (BOM, CRLF, decomposed accent) becomes a memo with that text
    in canonical form, after the note's Description as its first paragraph."""
    note = (
        f'<Note guid="{IN_FILE}" name="Field visit" creatingUser="{USER}" '
        f'plainTextPath="internal://{IN_FILE}.txt"><Description>Why</Description></Note>'
    )
    text = "\ufeffMet at the cafe\u0301.\r\nTrust grew 😀 slowly.\r\n"
    project, report = _import(tmp_path, note, {f"sources/{IN_FILE}.txt": text.encode()})
    with project:
        (memo,) = project.memos.list()
    assert memo.title == "Field visit"
    assert memo.text == "Why\n\nMet at the café.\nTrust grew 😀 slowly.\n"
    assert report.not_carried == []


def test_absent_or_outside_note_file_is_reported_and_the_memo_kept(tmp_path: Path) -> None:
    """A note file missing from the archive, or outside the project, is named in the report;
    the memo is still created (it may be what other things link to)."""
    notes = (
        f'<Note guid="{ABSENT}" name="Lost" plainTextPath="internal://{ABSENT}.txt"/>'
        f'<Note guid="{OUTSIDE}" name="Elsewhere" plainTextPath="C:\\Users\\ann\\memo.txt"/>'
    )
    project, report = _import(tmp_path, notes, {})
    with project:
        memos = {m.title: m.text for m in project.memos.list()}
    assert memos == {"Lost": "", "Elsewhere": ""}
    dropped = {n.name: n.reason for n in report.not_carried}
    assert "absent from the archive" in dropped["Lost"]
    assert "outside the project" in dropped["Elsewhere"]


def test_coded_passages_of_a_note_are_reported(tmp_path: Path) -> None:
    """Selections and codings inside a note cannot be carried (we code documents): the memo's
    text is kept and the report says how many were left out, in which note."""
    note = (
        f'<Note guid="{CODED}" name="Reflections"><PlainTextContent>Trust matters.'
        f'</PlainTextContent><PlainTextSelection guid="b0000000-0000-4000-8000-000000000001" '
        'startPosition="0" endPosition="5"><Coding guid="b0000000-0000-4000-8000-000000000002">'
        f'<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection></Note>'
    )
    project, report = _import(tmp_path, note, {})
    with project:
        (memo,) = project.memos.list()
    assert memo.text == "Trust matters."
    (item,) = report.not_carried
    assert item.kind == "coding in a memo"
    assert item.name == "1 selections and 1 codings in note 'Reflections'"
