"""The Word coding report: what it holds (sections, cells, quotes) and the document written."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Length

from collabcoder.core.errors import InvalidValue, NotFound
from collabcoder.synthesis.docx_report import TEXT_WIDTH_CM, write_report
from collabcoder.synthesis.filters import SegmentFilter
from collabcoder.synthesis.report_content import Quote, ReportRequest, report_content
from tests.synthesis.conftest import SEGMENTS, make_data
from tests.synthesis.test_framework import summary

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _cell_counts(request: ReportRequest) -> dict[tuple[str, str], tuple[int, int, int]]:
    content = report_content(make_data(), request)
    paths = {e.code_id: e.path for e in content.codebook}
    return {
        (content.cases[row].name, paths[code]): (c.segments, c.documents, len(c.quotes))
        for (row, code), c in content.cells.items()
    }


def test_sections_partition_the_evidence() -> None:
    """At depth 1 the themes are the sections and each holds its whole subtree; every segment is
    quoted exactly once in the whole report (no quote repeated under a parent)."""
    content = report_content(make_data(), ReportRequest(quotes_per_cell=None))
    assert [e.path for e in content.sections] == ["Drivers", "Barriers"]
    assert [c.name for c in content.cases] == ["Alpha", "Beta", "Gamma", "(no case)"]
    assert _cell_counts(ReportRequest(quotes_per_cell=None)) == {
        ("Alpha", "Drivers"): (4, 2, 4),
        ("Beta", "Barriers"): (2, 1, 2),
        ("(no case)", "Drivers"): (1, 1, 1),
    }
    assert sum(len(c.quotes) for c in content.cells.values()) == len(SEGMENTS)


def test_deeper_sections_take_their_own_segments_from_the_parent() -> None:
    """At depth 2 a theme keeps only the segments coded with the theme itself; sub-codes below
    the depth (Late) roll up into their ancestor at the depth (Time)."""
    counts = _cell_counts(ReportRequest(depth=2, quotes_per_cell=None))
    assert counts[("Alpha", "Drivers")] == (1, 1, 1)  # segment 4, coded Drivers itself
    assert counts[("Alpha", "Drivers/Trust")] == (2, 1, 2)
    assert counts[("Alpha", "Drivers/Money")] == (1, 1, 1)
    assert counts[("Beta", "Barriers/Time")] == (1, 1, 1)  # segment 5, coded Late
    assert counts[("Beta", "Barriers")] == (1, 1, 1)  # segment 6


def test_chosen_codes_cases_and_coders() -> None:
    """--code, --case and the coder filter narrow the report; unknown names are refused."""
    request = ReportRequest(
        codes=("Drivers/Trust", "Barriers"), cases=("Alpha", "Beta"),
        filters=SegmentFilter(coders=("Ben",)),
    )  # fmt: skip
    content = report_content(make_data(), request)
    assert [e.path for e in content.codebook] == [
        "Drivers/Trust",
        "Barriers",
        "Barriers/Time",
        "Barriers/Time/Late",
    ]
    assert [e.path for e in content.sections] == ["Drivers/Trust", "Barriers"]
    assert [c.name for c in content.cases] == ["Alpha", "Beta"]
    quotes = [q for cell in content.cells.values() for q in cell.quotes]
    assert {q.coder for q in quotes} == {"Ben"} and len(quotes) == 2
    with pytest.raises(NotFound, match="Nowhere"):
        report_content(make_data(), ReportRequest(cases=("Nowhere",)))
    with pytest.raises(NotFound, match="Drivers/Nope"):
        report_content(make_data(), ReportRequest(codes=("Drivers/Nope",)))
    with pytest.raises(InvalidValue):
        ReportRequest(by="coder")


def test_quote_limit_keeps_the_counts() -> None:
    """A quote limit shows the first quotes of each cell and says how many more there are; 0
    shows counts only."""
    content = report_content(make_data(), ReportRequest(quotes_per_cell=1))
    alpha = content.cells[(0, 1)]
    assert alpha.segments == 4 and len(alpha.quotes) == 1 and alpha.hidden == 3
    assert _cell_counts(ReportRequest(quotes_per_cell=0))[("Alpha", "Drivers")] == (4, 2, 0)


def test_quote_attribution() -> None:
    """A quote names its speaker, document, turn and time, coder, and its sub-code relative to
    the section."""
    content = report_content(make_data(), ReportRequest(quotes_per_cell=None))
    trust = next(q for q in content.cells[(0, 1)].quotes if q.code == "Drivers/Trust")
    assert trust.source("Drivers") == (
        "Interviewer · Doc 10, turn 1 (00:00:01) · coded by Ann · as Trust"
    )
    plain = Quote("x", "Notes", "", 0, "", "", "Drivers")
    assert plain.source("Drivers") == "Notes · coder unknown"


def test_stale_summary_is_flagged() -> None:
    """A summary written against other evidence is carried into its cell, marked stale."""
    data = make_data(summaries=[summary(1, 1, "old")])
    cell = report_content(data).cells[(0, 1)]
    assert cell.summary == "Trust drives it." and cell.stale and cell.author == "Ann"


@pytest.fixture
def report(tmp_path: Path) -> docx.document.Document:
    """The tiny project's report, with hostile text in a case description and a quote."""
    data = make_data(summaries=[summary(1, 1, "old")])
    data.cases.loc[1, "description"] = 'Bad\x0c\x00chars\uffff and {DDE "cmd"} =HYPERLINK("x")'
    path = tmp_path / "report.docx"
    write_report(path, data, ReportRequest(by="case", generated_by="Ann"))
    return docx.Document(str(path))


def _headings(document: docx.document.Document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]


def test_report_structure_uses_real_styles(report: docx.document.Document) -> None:
    """Chapters, cases and codes are Word headings in reading order; quotes and their sources
    use the report's own named styles."""
    headings = _headings(report)
    assert [t for s, t in headings if s == "Heading 1"] == [
        "About this report",
        "Codebook",
        "Findings by case",
    ]
    cases = [t for s, t in headings if s == "Heading 2"]
    assert cases[-4:] == ["Alpha", "Beta", "Gamma", "(no case)"]
    styles = {p.style.name for p in report.paragraphs}
    assert {"Title", "Quote", "Quote Source", "Summary"} <= styles
    quotes = [p.text for p in report.paragraphs if p.style.name == "Quote"]
    assert len(quotes) == len(SEGMENTS) and "=SUM(" in quotes
    assert any("Out of date" in p.text for p in report.paragraphs if p.style.name == "Summary")


def test_contents_links_and_page_numbers(report: docx.document.Document) -> None:
    """The contents is a TOC field whose entries link to bookmarks on the headings; the footer
    numbers pages with PAGE and NUMPAGES fields; Word is asked to refresh fields on opening."""
    body = report.element.body
    instructions = [t.text.strip() for t in body.iter(f"{W}instrText")]
    assert instructions[0].startswith("TOC ")
    anchors = [h.get(qn("w:anchor")) for h in body.iter(f"{W}hyperlink")]
    marks = {b.get(qn("w:name")) for b in body.iter(f"{W}bookmarkStart")}
    assert anchors and set(anchors) <= marks
    footer = report.sections[0].footer._element
    assert [t.text.strip() for t in footer.iter(f"{W}instrText")] == ["PAGE", "NUMPAGES"]
    assert report.settings.element.find(qn("w:updateFields")) is not None
    assert report.sections[0].different_first_page_header_footer


def test_tables_fit_the_text_width(report: docx.document.Document) -> None:
    """Every table has a fixed layout and columns that add up to no more than the text width."""
    section = report.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert abs(Length(text_width).cm - TEXT_WIDTH_CM) < 0.01
    assert report.tables
    for table in report.tables:
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert sum(c.width for c in table.columns) <= text_width + 10


def test_user_text_stays_inert_text(report: docx.document.Document) -> None:
    """Characters XML cannot hold are replaced; text that looks like a formula or a field stays
    as typed, and the only fields in the document are the report's own."""
    body = report.element.body
    description = next(p.text for p in report.paragraphs if p.text.startswith("Bad"))
    assert description == 'Bad  chars  and {DDE "cmd"} =HYPERLINK("x")'
    assert not list(body.iter(f"{W}fldSimple"))
    fields = {t.text.split()[0] for t in body.iter(f"{W}instrText")}
    assert fields == {"TOC"}
