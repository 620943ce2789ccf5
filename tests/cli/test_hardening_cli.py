"""Hardening of project files through the CLI: no half changes, readers never write, check."""

from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from collabcoder.cli import main
from collabcoder.core.documents import NewDocument
from collabcoder.core.errors import InvalidValue, ProjectDamaged
from collabcoder.core.project import Project

HOSTILE = "=cmd|' /C calc'!A0"


def _coders(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM coder").fetchone()[0])


def test_refused_write_commits_no_coder_row(tmp_path: Path) -> None:
    """A write that is refused leaves no trace, not even the new coder's row."""
    path = tmp_path / "p.ccproj"
    with Project.create(path, coder="Ann", codebook=None) as project:
        project.codes.add("Trust")
    before = _coders(path)
    with (
        Project.open(path, coder="Zed") as project,
        pytest.raises(InvalidValue),
        project.write("Refused"),
    ):
        raise InvalidValue("refused")
    assert _coders(path) == before


def test_read_only_commands_never_change_the_file(tmp_path: Path) -> None:
    """info, documents, segments, log and check open read-only: a rollback-journal file stays
    byte for byte as it was, journal mode included."""
    path = tmp_path / "p.ccproj"
    with Project.create(path, coder="Ann") as project:
        project.documents.add(NewDocument(name="d", text="Some words here."))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for command in ("info", "documents", "segments", "log", "check"):
        assert main([command, str(path)]) == 0, command
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_failed_new_leaves_nothing_behind(tmp_path: Path) -> None:
    """`new` with a bad --coder fails and leaves no empty project blocking a retry."""
    path = tmp_path / "p.ccproj"
    assert main(["--coder", "   ", "new", str(path)]) == 1
    assert not path.exists() and list(tmp_path.iterdir()) == []
    assert main(["--coder", "Ann", "new", str(path)]) == 0
    with Project.open(path, coder="Ann") as project:
        assert project.name == "p"


def test_empty_revision_is_described_truly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A project whose revision table is empty is called incomplete, not 'schema None'."""
    path = tmp_path / "p.ccproj"
    Project.create(path, coder="Ann").close()
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM alembic_version")
    assert main(["info", str(path)]) == 1
    err = capsys.readouterr().err
    assert "None" not in err and "no schema revision" in err


def test_check_finds_damage_and_writes_are_refused(tmp_path: Path) -> None:
    """`check` reports a segment outside its text; a write to such a project is refused."""
    path = tmp_path / "p.ccproj"
    with Project.create(path, coder="Ann") as project:
        doc = project.documents.add(NewDocument(name="d", text="Some words here."))
        code = project.codes.add("Trust")
        project.segments.add(doc.id, code.id, 0, 4)
    assert main(["check", str(path)]) == 0
    with sqlite3.connect(path) as conn:
        conn.execute('UPDATE segment SET "end" = 999')
    assert main(["check", str(path)]) == 1
    with Project.open(path, coder="Ann") as project:
        codes = len(project.codes.list())
        with pytest.raises(ProjectDamaged):
            project.codes.add("More")
        assert len(project.codes.list()) == codes


def test_every_table_writer_keeps_formulas_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Codebook .xlsx/.docx, `segments --csv` and matrix .xlsx/.csv never write a formula."""
    path = tmp_path / "p.ccproj"
    with Project.create(path, coder="Ann", codebook=None) as project:
        case = project.cases.add(HOSTILE)
        doc = project.documents.add(NewDocument(name="d", text="=2+2 said she", case_id=case.id))
        code = project.codes.add(HOSTILE)
        project.segments.add(doc.id, code.id, 0, 4)
    capsys.readouterr()
    assert main(["segments", str(path), "--csv"]) == 0
    cells = [c for row in csv.reader(io.StringIO(capsys.readouterr().out)) for c in row]
    assert cells and not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    books = [tmp_path / "codebook.xlsx", tmp_path / "matrix.xlsx"]
    assert main(["codebook", "export", str(path), str(books[0])]) == 0
    assert (
        main(["matrix", str(path), "--xlsx", str(books[1]), "--csv", str(tmp_path / "m.csv")]) == 0
    )
    for book in books:
        for sheet in load_workbook(book).worksheets:
            for row in sheet.iter_rows():
                assert all(c.data_type != "f" for c in row), (book, sheet.title)
    matrix_cells = [
        c for row in csv.reader((tmp_path / "m.csv").open(encoding="utf-8-sig")) for c in row
    ]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in matrix_cells)
    docx_path = tmp_path / "codebook.docx"
    assert main(["codebook", "export", str(path), str(docx_path)]) == 0
    from docx import Document

    text = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    assert HOSTILE in text
