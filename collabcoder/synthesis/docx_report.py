"""The coding report as a Word document (what NVivo's coding summary and MAXQDA's Smart
Publisher give): a title page, contents, how the report was made, the codebook, then the
findings per code (cases within) or per case (codes within) with counts, summaries and quotes.

Everything is set through named Word styles (headings, Quote, Quote Source, Summary...), so a
researcher restyles the whole report by changing a style. A4 portrait; tables have fixed column
widths that add up to the text width.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from collabcoder.core.atomic import atomic_path
from collabcoder.core.progress import CancelToken, Progress, Steps
from collabcoder.synthesis.docx_parts import (
    Body,
    Outline,
    add_field,
    fill_contents,
    fixed_table,
    shade,
    text,
    update_fields_on_open,
)
from collabcoder.synthesis.report_content import (
    CaseEntry,
    Cell,
    ReportContent,
    ReportRequest,
    report_content,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

    from collabcoder.synthesis.frames import SynthesisData

TEXT_WIDTH_CM = 17.0  # A4 (21 cm) less 2 cm margins
COUNT_WIDTHS = [7.4, 2.4, 2.6, 2.0, 2.6]  # name, segments, documents, coders, summary
CONTENTS_LEVELS = 2
FONT = "Calibri"


class _Writer:
    """Writes one ReportContent into a new document, keeping the outline for the contents."""

    def __init__(self, content: ReportContent) -> None:
        from docx import Document as new_document

        self.content = content
        self.doc: Document = new_document()
        self.outline = Outline()
        self.styles = _define_styles(self.doc)
        self.body = Body(self.doc)

    def heading(self, title: str, level: int) -> None:
        level = min(level, 9)
        shown = text(title)
        paragraph = self.body.paragraph(shown, f"Heading{level}")
        self.outline.mark(paragraph, level, shown)

    def paragraph(self, value: str, style: str = "Normal") -> Paragraph:
        return self.body.paragraph(text(value), self.styles[style])

    def table(self, widths: list[float], header: list[str] | None, rows: list[list[str]]) -> None:
        cells = [[text(v) for v in row] for row in rows]
        fixed_table(self.body, widths, header, cells, self.styles["Table Text"])
        self.paragraph("", "Table Gap")

    # -- parts ------------------------------------------------------------------------------------
    def title_page(self) -> None:
        content = self.content
        self.paragraph(content.title, "Title")
        self.paragraph(f"Coding report: findings by {content.request.by}", "Subtitle")
        self.table([5.0, 12.0], None, [[k, v] for k, v in content.facts])
        self.doc.add_page_break()
        self.paragraph("Contents", "TOC Heading")
        self.contents = self.paragraph("")

    def method(self) -> None:
        content = self.content
        request = content.request
        limit = request.quotes_per_cell
        self.heading("About this report", 1)
        sections = len(content.sections)
        depth = "every level" if request.depth is None else f"level {request.depth}"
        chosen = (
            f"the {sections} codes chosen"
            if request.codes
            else f"the {sections} codes down to "
            f"{depth} (deeper codes count towards their ancestor at that level)"
        )
        self.paragraph(
            f"The findings are organised by {request.by}. Their sections are {chosen}; each "
            "coded segment appears once, under the nearest of its code and that code's "
            "ancestors that is a section."
        )
        quoted = "every segment" if limit is None else f"up to {limit} segments"
        self.paragraph(
            f"For each case and section the report gives the analyst's summary, when one was "
            f"written, and quotes {quoted} in codebook order, then document order. Each quote "
            "is followed by its speaker, document, turn and time where known, and the coder "
            "who applied the code. "
            "A summary marked as out of date was written before its evidence last changed."
        )
        self.paragraph(f"Filters: {request.filters.describe()}.")

    def codebook(self) -> None:
        self.heading("Codebook", 1)
        self.paragraph(
            f"{len(self.content.codebook)} codes in tree order, with how many segments in view "
            "each holds (the code itself, not its sub-codes)."
        )
        for entry in self.content.codebook:
            self.heading(entry.path.replace("/", " / "), entry.depth + 1)
            fields = [
                ("Definition", entry.definition),
                ("Include", entry.inclusion),
                ("Exclude", entry.exclusion),
                ("Example", entry.example),
                ("Keywords", entry.keywords),
                ("Segments", str(entry.segments)),
            ]
            self.table([3.0, 14.0], None, [[k, v] for k, v in fields if v.strip()])

    def by_code(self) -> None:
        self.heading("Findings by code", 1)
        for entry in self.content.sections:
            self.heading(entry.path.replace("/", " / "), entry.depth + 1)
            if entry.definition.strip():
                self.paragraph(entry.definition, "Definition")
            cells = list(self.content.cells_of_code(entry.code_id))
            if not cells:
                self.paragraph("No coded segments or summaries in view.")
                continue
            self.table(
                COUNT_WIDTHS,
                ["Case", "Segments", "Documents", "Coders", "Summary"],
                [[case.name, *_counts(cell)] for case, cell in cells],
            )
            for case, cell in cells:
                self.heading(case.name, entry.depth + 2)
                self.cell(cell, entry.path)

    def by_case(self) -> None:
        self.heading("Findings by case", 1)
        for row, case in enumerate(self.content.cases):
            self.heading(case.name, 2)
            self.case_details(case)
            cells = list(self.content.cells_of_case(row))
            if not cells:
                self.paragraph("No coded segments or summaries in view.")
                continue
            self.table(
                COUNT_WIDTHS,
                ["Code", "Segments", "Documents", "Coders", "Summary"],
                [[entry.path, *_counts(cell)] for entry, cell in cells],
            )
            for entry, cell in cells:  # a flat list under the case: full paths, one level
                self.heading(entry.path.replace("/", " / "), 3)
                self.cell(cell, entry.path)

    def case_details(self, case: CaseEntry) -> None:
        if case.description.strip():
            self.paragraph(case.description)
        values = [[name, value] for name, value in case.attributes if value]
        if values:
            self.table([5.0, 12.0], ["Attribute", "Value"], values)

    def cell(self, cell: Cell, section_path: str) -> None:
        """A cell's summary, then its quotes, each followed by where it came from."""
        if cell.summary.strip():
            paragraph = self.doc.add_paragraph("", self.styles["Summary"])
            if cell.stale:
                warning = paragraph.add_run("Out of date: the evidence changed after it. ")
                warning._r.style = self.styles["Stale Warning"]
            paragraph.add_run(text(cell.summary.strip()))
            self.paragraph(
                f"Summary by {cell.author or 'unknown'}, {_day(cell.modified)}", "Quote Source"
            )
        for quote in cell.quotes:
            self.paragraph(quote.text, "Quote")
            self.paragraph(quote.source(section_path), "Quote Source")
        if cell.quotes and cell.hidden:
            more = "segment" if cell.hidden == 1 else "segments"
            self.paragraph(f"… and {cell.hidden} more {more} not quoted here.", "Quote Source")

    # -- page furniture ---------------------------------------------------------------------------
    def page_setup(self) -> None:
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Cm

        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
        section.header_distance = section.footer_distance = Cm(1.0)
        section.different_first_page_header_footer = True  # a bare title page
        for name in ("Header", "Footer"):  # the template's tab stops are for US Letter
            stops = self.doc.styles[name].paragraph_format.tab_stops
            stops.clear_all()
            stops.add_tab_stop(Cm(TEXT_WIDTH_CM / 2), WD_TAB_ALIGNMENT.CENTER)
            stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
        header = section.header.paragraphs[0]
        header._p.style = "Header"
        header.add_run(text(self.content.title)[:120] + "\t\tCoding report")
        footer = section.footer.paragraphs[0]
        footer._p.style = "Footer"
        footer.add_run("\tPage ")
        add_field(footer, "PAGE", "1")
        footer.add_run(" of ")
        add_field(footer, "NUMPAGES", "1")

    def finish(self) -> None:
        toc = [self.styles["toc 1"], self.styles["toc 2"]]
        fill_contents(self.contents, self.outline, CONTENTS_LEVELS, toc)
        update_fields_on_open(self.doc)
        properties = self.doc.core_properties
        properties.title = text(self.content.title)[:250]
        properties.subject = "Coding report"
        properties.author = text(self.content.request.generated_by)[:250]


def _day(stamp: str) -> str:
    """An ISO time stamp as a date a reader expects ("2 December 2026")."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return f"{moment.day} {moment:%B %Y}"


def _counts(cell: Cell) -> list[str]:
    summary = ("out of date" if cell.stale else "yes") if cell.summary.strip() else "—"
    return [str(cell.segments), str(cell.documents), str(cell.coders), summary]


def _define_styles(doc: Document) -> dict[str, str]:
    """The report's named styles (built-in ones adjusted, ours added): name -> style id."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt, RGBColor

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)

    def paragraph_style(name: str, size: float) -> Any:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(size)
        return style

    quote = styles["Quote"]
    quote.font.size, quote.font.italic = Pt(10.5), True
    quote.font.color.rgb = RGBColor(0x26, 0x26, 0x26)
    quote.paragraph_format.left_indent = Cm(0.6)
    quote.paragraph_format.space_before, quote.paragraph_format.space_after = Pt(4), Pt(1)
    quote.paragraph_format.keep_with_next = True  # the source line stays with its quote
    source = paragraph_style("Quote Source", 8.5)
    source.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    source.paragraph_format.left_indent = Cm(0.6)
    source.paragraph_format.space_after = Pt(6)
    summary = paragraph_style("Summary", 10.5)
    summary.paragraph_format.left_indent = Cm(0.3)
    summary.paragraph_format.space_before = Pt(4)
    shade(summary, "F2F2F2")
    summary.paragraph_format.keep_with_next = True
    definition = paragraph_style("Definition", 10)
    definition.font.italic = True
    cell_text = paragraph_style("Table Text", 9)
    cell_text.paragraph_format.space_before = cell_text.paragraph_format.space_after = Pt(1.5)
    gap = paragraph_style("Table Gap", 4)
    gap.paragraph_format.space_after = Pt(0)
    for level in (1, 2):
        entry = paragraph_style(f"toc {level}", 10.5)
        entry.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        entry.paragraph_format.space_after = Pt(2 if level == 2 else 4)
        entry.font.bold = level == 1
    stale = styles.add_style("Stale Warning", WD_STYLE_TYPE.CHARACTER)
    stale.font.bold, stale.font.color.rgb = True, RGBColor(0x9C, 0x00, 0x06)
    for level in range(1, 10):
        styles[f"Heading {level}"].font.name = FONT
        styles[f"Heading {level}"].paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = True  # chapters start a page
    names = ["Normal", "Title", "Subtitle", "TOC Heading", "Quote", "Quote Source", "Summary"]
    names += ["Definition", "Table Text", "Table Gap", "toc 1", "toc 2", "Stale Warning"]
    return {name: styles[name].style_id for name in names}


def write_report(
    path: str | Path,
    data: SynthesisData,
    request: ReportRequest | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> ReportContent:
    """Write the coding report for ``request`` to ``path`` (.docx), whole or not at all;
    ``cancel`` is checked between steps (a cancelled export leaves the file as it was)."""
    tell = Steps(STEPS, f"Exporting {Path(path).name}", progress, cancel)
    tell("Collecting the evidence")
    content = report_content(data, request)
    tell("Writing the codebook")
    writer = _Writer(content)
    writer.page_setup()
    writer.title_page()
    writer.method()
    writer.codebook()
    tell("Writing the findings")
    writer.by_code() if content.request.by == "code" else writer.by_case()
    writer.finish()
    with atomic_path(path) as temporary:
        tell("Saving")
        writer.doc.save(str(temporary))
    return content


STEPS = 4  # the steps write_report reports, for a progress bar
