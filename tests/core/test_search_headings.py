"""Code by heading: headings kept beside the text at import (Markdown, Word, OpenDocument),
each section coded after a preview as one undo step with provenance; older projects' Markdown
headings read from their text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from collabcoder.core.documents import NewDocument
from collabcoder.core.errors import InvalidValue
from collabcoder.core.project import Project
from collabcoder.core.search_autocode import provenance_of
from collabcoder.core.search_headings import (
    markdown_headings,
    preview_headings,
    provenance,
    sections,
    title_of,
)
from collabcoder.core.search_schema import DocumentHeading
from collabcoder.io.batch import import_files
from collabcoder.io.formats import parse_file

MARKDOWN = (
    "---\ntitle: Notes 🙂\n---\n"
    "# Visit one\nWe met the council.\n## Funding\nMoney was short 🙂.\n"
    "## Trust\nTrust grew.\n# Visit two\n## Funding again ##\nA grant came.\n"
)


def _lines(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_markdown_headings_index_the_stored_text(tmp_path: Path) -> None:
    """A Markdown file's # lines are headings whose offsets cut their own line out of the text
    (after the front matter left it, past emoji), with their level; text keeps the marks."""
    path = tmp_path / "n.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    parsed = parse_file(path)
    text = parsed.text
    assert _lines(text, [(h.start, h.end) for h in parsed.headings]) == [
        "# Visit one", "## Funding", "## Trust", "# Visit two", "## Funding again ##",
    ]  # fmt: skip
    assert [h.level for h in parsed.headings] == [1, 2, 2, 1, 2]
    assert title_of("## Funding again ##") == "Funding again"
    # Not headings: a hashtag, a bare mark, an indented code line.
    assert [h.start for h in markdown_headings("#hashtag\n#\n    # code\n# Real")] == [22]


def test_word_and_opendocument_heading_styles(tmp_path: Path) -> None:
    """Word's Title and Heading N styles and OpenDocument's text:h with its outline level are
    headings; offsets index the canonical text (a heading repeated as body text is not one)."""
    import docx
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = docx.Document()
    doc.add_heading("Zoë's interview", level=0)  # the Title style
    doc.add_paragraph("Funding")  # body text that reads like the heading below
    doc.add_heading("Funding", level=2)
    doc.add_paragraph("Money was short.")
    doc.save(str(tmp_path / "w.docx"))
    word = parse_file(tmp_path / "w.docx")
    assert [(h.level, word.text[h.start : h.end]) for h in word.headings] == [
        (1, "Zoë's interview"),
        (2, "Funding"),
    ]
    assert word.headings[1].start == word.text.index("Funding", 20)
    odt = OpenDocumentText()
    odt.text.addElement(H(outlinelevel=1, text="Field visit"))
    odt.text.addElement(P(text="Date: 3 May"))
    odt.text.addElement(H(outlinelevel=3, text="Café"))
    odt.save(str(tmp_path / "n.odt"))
    notes = parse_file(tmp_path / "n.odt")
    assert [(h.level, notes.text[h.start : h.end]) for h in notes.headings] == [
        (1, "Field visit"),
        (3, "Café"),
    ]


@pytest.fixture
def imported(project: Project, tmp_path: Path) -> Project:
    """The Markdown notes imported (headings stored with the document, one undo step)."""
    path = tmp_path / "notes.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    import_files(project, [path])
    return project


def test_sections_run_to_the_next_heading_of_their_level(imported: Project) -> None:
    """A section runs from its heading to the next heading of the same or a higher level; a
    second-level heading's section stops at the next one."""
    text = imported.documents.text(1)
    found = {s.title: text[s.start : s.end].strip() for s in sections(imported)}
    assert found["Visit one"].endswith("Trust grew.")
    assert found["Funding"] == "## Funding\nMoney was short 🙂."
    assert found["Funding again"] == "## Funding again ##\nA grant came."


def test_code_by_heading_previews_then_codes_in_one_step(imported: Project) -> None:
    """'funding' matches both Funding headings (any case); the preview lists their sections;
    coding them is one undo step recording the heading words; a level narrows them."""
    spans = preview_headings(imported, "FUNDING")
    assert [s.text for s in spans] == [
        "## Funding\nMoney was short 🙂.",
        "## Funding again ##\nA grant came.",
    ]
    assert preview_headings(imported, "visit", level=2) == []
    code = imported.codes.add("Funding")
    result = imported.search.autocode(spans, code.id, provenance("FUNDING"))
    assert imported.undo_label == "Auto-code 2 passages as Funding"
    text = imported.documents.text(1)
    assert [text[s.start : s.end] for s in result.segments] == [s.text for s in spans]
    assert set(provenance_of(imported, [s.guid for s in result.segments]).values()) == {
        "code by heading 'FUNDING' (words)"
    }
    imported.undo()
    assert imported.segments.list() == []
    with pytest.raises(InvalidValue, match="not valid"):
        preview_headings(imported, "(", regex=True)


def test_an_older_markdown_document_has_its_headings_read_from_text(project: Project) -> None:
    """A Markdown document with no stored headings (imported before they were kept) has the
    headings of its # lines; a plain-text one has none."""
    body = "# Visit\nWe met.\n## Funding\nShort.\n"
    project.documents.add(NewDocument("old", body, source_name="old.md"))
    project.documents.add(NewDocument("plain", body, source_name="old.txt"))
    with project.read() as conn:
        assert conn.execute(DocumentHeading.__table__.select()).first() is None
    assert [(s.document, s.title) for s in sections(project)] == [
        ("old", "Visit"),
        ("old", "Funding"),
    ]


def test_real_framework_headings(tmp_path: Path, shared_data: Path, project: Project) -> None:
    """The NHS feedback framework (Markdown with three levels of headings): 'funding' is one
    third-level heading whose section ends at the next one; 'staff' is the second-level Staff
    section (which holds its two Staff... sub-headings) and two more sections elsewhere,
    checked by hand against the file."""
    path = tmp_path / "framework.md"
    shutil.copy(shared_data / "nhs-fft" / "framework3.qmd", path)
    import_files(project, [path])
    text = project.documents.text(1)
    (funding,) = preview_headings(project, "funding")
    assert funding.text.startswith("### Funding & use of financial resources\n")
    assert text[funding.end :].lstrip().startswith("### Feeling safe")
    staff = preview_headings(project, "staff")
    assert [s.text.split("\n", 1)[0] for s in staff] == [
        "## Staff",
        "### Staff listening, understanding & involving patients",
        "### Information directly from staff during care",
    ]
    assert text[staff[0].end :].lstrip().startswith("## Access to medical care & support")
    assert len(preview_headings(project, "staff", level=3)) == 4  # four ### lines (grep)


def test_heading_offsets_survive_canonical_text() -> None:
    """Offsets of heading lines index the canonical text even when canonical text changes the
    lines before them: CR LF, a decomposed accent (NFC), a BOM in the middle, a control."""
    from collabcoder.core.text import canonical_text
    from collabcoder.io.parsed import locate_headings

    lines = ["\ufeffTitle", "Cafe\u0301 talk\r", "x\u0007y", "\ufeffmid", "  Funding  ", "end"]
    text = canonical_text("\n".join(lines))
    found = locate_headings(lines, [(1, 0), (2, 4), (2, 3)])
    assert [(h.level, text[h.start : h.end]) for h in found] == [
        (1, "Title"),
        (2, "\ufeffmid"),
        (2, "Funding"),
    ]
