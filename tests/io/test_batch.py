"""Batch import into a real project: whole files only, failures listed, duplicates skipped."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from collabcoder.core.errors import Cancelled, InvalidValue
from collabcoder.core.project import Project
from collabcoder.core.segments import SegmentFilter
from collabcoder.io.batch import import_files, import_table

TRANSCRIPT = "Interviewer: How did it start?\n\nParticipant: Over coffee.\n\nInterviewer: Then?\n"


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with Project.create(tmp_path / "study.ccproj", coder="Ann") as opened:
        yield opened


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_imports_files_with_turns_kind_and_meta(project: Project, tmp_path: Path) -> None:
    """Each file becomes a document with its turns, detected kind and metadata."""
    files = [
        write(tmp_path, "call1.txt", TRANSCRIPT),
        write(tmp_path, "visit.md", "---\nsite: Leeds\n---\nWalked the estate.\n"),
    ]
    result = import_files(project, files)
    assert [(i.name, i.kind, i.turns) for i in result.imported] == [
        ("call1", "transcript", 3),
        ("visit", "fieldnotes", 0),
    ]
    assert result.failed == [] and result.skipped == []
    documents = {d.name: d for d in project.documents.list()}
    assert documents["visit"].meta == {"site": "Leeds"}
    assert documents["call1"].source_name == "call1.txt"
    turns = project.documents.turns(documents["call1"].id)
    text = project.documents.text(documents["call1"].id)
    assert [text[t.start : t.end] for t in turns][1] == "Participant: Over coffee."


def test_failures_are_listed_and_the_rest_import(project: Project, tmp_path: Path) -> None:
    """Bad files are listed with a one-line reason naming them; good files still import."""
    files = [
        write(tmp_path, "empty.txt", b""),
        write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20),
        write(tmp_path, "broken.docx", b"PK\x03\x04nope"),
        write(tmp_path, "data.xyz", b"hello"),
        write(tmp_path, "good.txt", TRANSCRIPT),
        tmp_path / "missing.txt",
    ]
    result = import_files(project, files)
    assert [i.name for i in result.imported] == ["good"]
    reasons = {Path(f.path).name: f.reason for f in result.failed}
    assert set(reasons) == {"empty.txt", "photo.txt", "broken.docx", "data.xyz", "missing.txt"}
    for name, reason in reasons.items():
        assert reason.startswith(f"{name}: ") and "\n" not in reason
    assert project.counts().documents == 1


def test_bad_file_leaves_project_unchanged(project: Project, tmp_path: Path) -> None:
    """A failing file adds nothing: no document, no case, nothing to undo."""
    before = project.counts()
    result = import_files(project, [write(tmp_path, "x.pdf", b"%PDF-1.4 junk")], case="Leeds")
    assert len(result.failed) == 1
    assert project.counts() == before
    assert project.undo_label is None


def test_same_file_twice_is_skipped(project: Project, tmp_path: Path) -> None:
    """A file whose SHA-256 is already in the project is skipped with a note, not duplicated."""
    first = write(tmp_path, "a.txt", TRANSCRIPT)
    import_files(project, [first])
    copy = write(tmp_path, "copy.txt", TRANSCRIPT)
    result = import_files(project, [copy, copy])
    assert result.imported == []
    assert [s.reason for s in result.skipped] == ["copy.txt: already in the project as 'a'"] * 2
    assert project.counts().documents == 1


def test_same_name_different_content_gets_a_new_name(project: Project, tmp_path: Path) -> None:
    """Two different files with one name both import, the second renamed."""
    (tmp_path / "b").mkdir()
    first = write(tmp_path, "notes.txt", "One.")
    second = write(tmp_path / "b", "notes.txt", "Two.")
    result = import_files(project, [first, second])
    assert [i.name for i in result.imported] == ["notes", "notes (2)"]


def test_case_explicit_rule_and_metadata(project: Project, tmp_path: Path) -> None:
    """Cases come from --case, else a file-name rule, else a ``case`` metadata entry."""
    a = write(tmp_path, "Leeds_int1.txt", "One.")
    b = write(tmp_path, "York_int2.txt", "Two.")
    c = write(tmp_path, "meta.md", "---\ncase: Hull\n---\nThree.\n")
    result = import_files(project, [a, b, c], case_rule=r"^(?P<case>[A-Za-z]+)_")
    assert [i.case for i in result.imported] == ["Leeds", "York", "Hull"]
    d = write(tmp_path, "x.txt", "Four.")
    e = write(tmp_path, "y.txt", "Five.")
    result = import_files(project, [d, e], case="Leeds")
    cases = {c.name: c.id for c in project.cases.list()}
    assert sorted(cases) == ["Hull", "Leeds", "York"]
    assert {project.documents.get(i.document_id).case_id for i in result.imported} == {
        cases["Leeds"]
    }


def test_cancel_leaves_only_whole_files(project: Project, tmp_path: Path) -> None:
    """Cancelling mid-batch stops before the next file; every imported file is complete."""
    files = [write(tmp_path, f"t{n}.txt", f"{TRANSCRIPT}\n{n}") for n in range(6)]
    cancel = threading.Event()

    def progress(done: int, total: int, name: str) -> None:
        if done == 2:
            cancel.set()

    result = import_files(project, files, progress=progress, cancel=cancel)
    assert result.cancelled
    assert [i.name for i in result.imported] == ["t0", "t1"]
    assert project.counts().documents == 2
    assert len(project.documents.turns()) == 6


def test_each_file_is_one_undo_step(project: Project, tmp_path: Path) -> None:
    """Undo removes the last imported file whole, with its turns and new case."""
    import_files(project, [write(tmp_path, "a.txt", TRANSCRIPT)], case="Leeds")
    assert project.undo_label == "Import a"
    project.undo()
    assert project.counts().documents == 0
    assert project.documents.turns() == []
    assert project.cases.list() == []


def test_kind_override_and_bad_kind(project: Project, tmp_path: Path) -> None:
    """An explicit kind wins over detection; an unknown kind is refused up front."""
    result = import_files(project, [write(tmp_path, "a.txt", TRANSCRIPT)], kind="document")
    assert result.imported[0].kind == "document"
    with pytest.raises(InvalidValue):
        import_files(project, [], kind="novel")


def test_real_transcripts_and_field_notes(project: Project, shared_data: Path) -> None:
    """The real transcripts and field notes import with their speakers and kinds, named by their
    front matter's title (the file name kept as the source name) or, without one, the file."""
    files = sorted((shared_data / "transcripts").glob("*.md"))
    files.append(shared_data / "fieldnotes" / "P1_Notes.txt")
    result = import_files(project, files)
    assert result.failed == []
    assert {i.name: (i.kind, i.turns) for i in result.imported} == {
        "Co-production Week 2018": ("transcript", 35),
        "Doing public service management differently": ("transcript", 48),
        "P1_Notes": ("fieldnotes", 0),
    }
    sources = {d.name: d.source_name for d in project.documents.list()}
    assert sources["Co-production Week 2018"] == "co-production-week-2018.md"
    speakers = {t.speaker for t in project.documents.turns()}
    assert {"Michelle Drumm", "Sam Jordan", "Kieran", "Abbie", "Toby", "Diana"} <= speakers


def test_documents_are_named_by_title_or_first_heading(project: Project, tmp_path: Path) -> None:
    """A Markdown file is named by its front-matter title, else by the heading it opens with,
    else by its file name; two files with one title get distinct names."""
    files = [
        write(tmp_path, "a-slug.md", "---\ntitle: '  The  first call '\n---\nWords.\n"),
        write(tmp_path, "b-slug.md", "\n# Second call: Leeds #\n\nMore words.\n"),
        write(tmp_path, "c-slug.md", "Words first.\n\n# A later section\n"),
        write(tmp_path, "d-slug.md", "---\ntitle: The first call\n---\nOther words.\n"),
    ]
    result = import_files(project, files)
    assert [i.name for i in result.imported] == [
        "The first call",
        "Second call: Leeds",
        "c-slug",
        "The first call (2)",
    ]
    assert sorted(d.source_name for d in project.documents.list()) == [p.name for p in files]


def test_word_documents_are_named_by_their_title_or_opening_heading(
    project: Project, tmp_path: Path
) -> None:
    """A .docx is named by its document title (File > Properties), else by a Title or Heading 1
    it opens with, else by its file name; a heading further down names nothing."""
    import docx

    def word(name: str, title: str, paragraphs: list[tuple[str, str]]) -> Path:
        document = docx.Document()
        document.core_properties.title = title
        for text, style in paragraphs:
            document.add_paragraph(text, style=style)
        document.save(str(tmp_path / name))
        return tmp_path / name

    files = [
        word("w1.docx", "Interview with Ann", [("Hello.", "Normal")]),
        word("w2.docx", "", [("Focus group, Leeds", "Title"), ("Hello.", "Normal")]),
        word("w3.docx", "", [("Hello.", "Normal"), ("Later", "Heading 1")]),
    ]
    result = import_files(project, files)
    assert [i.name for i in result.imported] == ["Interview with Ann", "Focus group, Leeds", "w3"]


CSV = (
    "id,site,answer,Staff,Waiting\n"
    "r1,Leeds,Kind staff,1,0\n"
    "r2,York,Waited two hours,,1\n"
    "r3,York,,0,0\n"
    "r4,York,Both really,1,1\n"
)


def test_import_table_creates_documents_cases_codes_and_segments(
    project: Project, tmp_path: Path
) -> None:
    """Rows become documents in cases with attribute values, coded whole by the named coder."""
    result = import_table(
        project,
        write(tmp_path, "survey.csv", CSV),
        text_column="answer",
        id_column="id",
        attribute_columns=["site"],
        code_columns=["Staff", "Waiting"],
        coder="Spreadsheet team",
    )
    assert (result.documents, result.cases, result.segments) == (3, 3, 4)
    assert result.codes_created == ["Staff", "Waiting"]
    assert "skipped 1 rows" in result.warnings[0]
    segments = project.segments.list(SegmentFilter(origins=["imported"]))
    assert len(segments) == 4
    quotes = project.segments.quotes(segments)
    assert sorted(quotes) == ["Both really", "Both really", "Kind staff", "Waited two hours"]
    coder = project.coders.by_name("Spreadsheet team")
    assert {s.coder_id for s in segments} == {coder.id}
    site = project.attributes.by_name("site")
    york = project.cases.by_name("r2")
    assert project.attributes.values()[(york.id, site.id)] == "York"
    assert project.undo_label == "Import table survey.csv"


def test_import_table_reuses_existing_codes_and_skips_duplicates(
    project: Project, tmp_path: Path
) -> None:
    """Codes already in the project are reused; importing the same table again is skipped."""
    project.codes.add("Staff")
    path = write(tmp_path, "survey.csv", CSV)
    first = import_table(project, path, text_column="answer", code_columns=["Staff", "Waiting"])
    assert first.codes_created == ["Waiting"]
    again = import_table(project, path, text_column="answer", code_columns=["Staff"])
    assert again.skipped == "survey.csv: already imported (as 'survey row 1' and others)"
    assert project.counts().documents == 3


def test_import_table_is_all_or_nothing(project: Project, tmp_path: Path) -> None:
    """A bad code cell late in the table, or a cancel, leaves the project exactly as it was."""
    bad = write(tmp_path, "bad.csv", CSV + "r5,Hull,Late row,maybe,0\n")
    _ = project.coder  # the acting coder is registered on first need, by design
    before = project.counts()
    with pytest.raises(InvalidValue, match=r"^bad\.csv: row 5, code column 'Staff'"):
        import_table(project, bad, text_column="answer", id_column="id", code_columns=["Staff"])
    assert project.counts() == before
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled, match=r"^survey\.csv: import cancelled"):
        import_table(
            project,
            write(tmp_path, "survey.csv", CSV),
            text_column="answer",
            id_column="id",
            attribute_columns=["site"],
            code_columns=["Staff"],
            cancel=cancel,
        )
    assert project.counts() == before
    assert project.attributes.list() == []


def test_import_nhs_table(project: Project, shared_data: Path) -> None:
    """The NHS FFT table imports its 50 codes as segments over each non-empty comment."""
    from collabcoder.io.tables import read_table, select_columns

    path = shared_data / "nhs-fft" / "v6framework_train.csv"
    columns = read_table(path).columns
    first = columns.index("Comment sentiment") + 1
    codes = select_columns(read_table(path), f"{columns[first]}..{columns[-1]}")
    result = import_table(
        project,
        path,
        text_column="FFT answer",
        id_column="Comment ID",
        attribute_columns=["Trust"],
        code_columns=codes,
        coder="NHS coders",
    )
    assert result.documents == 3782
    assert len(result.codes_created) == 50
    assert result.segments == 4988
    counts = project.counts()
    assert (counts.documents, counts.codes, counts.segments) == (3782, 50, 4988)
    segment = project.segments.list()[0]
    text = project.documents.text(segment.document_id)
    assert (segment.start, segment.end, segment.origin) == (0, len(text), "imported")
