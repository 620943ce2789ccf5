"""WordprocessingML pieces python-docx has no API for: fields, bookmarks, a table of contents
with its entries already filled in, and tables of fixed column widths.

Every string that reaches the document passes ``text`` first: the export sanitiser replaces
characters XML cannot hold. Text in runs is never interpreted by Word (fields exist only as field
characters and instruction text, which user text never becomes), so nothing typed by a
participant can turn into a field or a formula.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from collabcoder.core.sanitize import sanitise

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

TWIPS_PER_CM = 1440 / 2.54  # twentieths of a point
KEEP_WHOLE_ROWS = 12  # tables up to this many rows are kept on one page
# Word refuses elements out of their schema order; these follow the ones we insert.
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip
_AFTER_SHD = (
    "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def text(value: object) -> str:
    """User text safe for the document: no characters XML 1.0 cannot hold."""
    return "" if value is None else str(sanitise(str(value))[0])


@functools.cache
def _clark(name: str) -> str:
    from docx.oxml.ns import qn

    return qn(name)


def element(tag: str, **attributes: str) -> Any:
    """An OOXML element; attribute names use ``w_`` for the ``w:`` prefix (``w_val``)."""
    from docx.oxml import OxmlElement

    node = OxmlElement(tag)
    for name, value in attributes.items():
        node.set(_clark(name.replace("_", ":", 1)), value)
    return node


def _run(*children: Any) -> Any:
    run = element("w:r")
    for child in children:
        run.append(child)
    return run


def _text_node(value: str) -> Any:
    node = element("w:t", xml_space="preserve")
    node.text = value
    return node


def field_runs(instruction: str, shown: str) -> list[Any]:
    """The runs of a field: its instruction and the result shown until the field is updated."""
    code = element("w:instrText", xml_space="preserve")
    code.text = f" {instruction} "
    return [
        _run(element("w:fldChar", w_fldCharType="begin")),
        _run(code),
        _run(element("w:fldChar", w_fldCharType="separate")),
        _run(_text_node(shown)),
        _run(element("w:fldChar", w_fldCharType="end")),
    ]


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    for run in field_runs(instruction, shown):
        paragraph._p.append(run)


@dataclass
class Outline:
    """The headings written so far, each with the bookmark the table of contents links to."""

    entries: list[tuple[int, str, str]] = field(default_factory=list)  # level, text, bookmark

    def mark(self, paragraph: Paragraph, level: int, title: str) -> None:
        """Bookmark a heading paragraph and remember it."""
        number = len(self.entries)
        name = f"_Toc{number:08d}"
        paragraph._p.insert(1, element("w:bookmarkStart", w_id=str(number), w_name=name))
        paragraph._p.append(element("w:bookmarkEnd", w_id=str(number)))
        self.entries.append((level, title, name))


def fill_contents(
    placeholder: Paragraph, outline: Outline, levels: int, style_ids: Sequence[str]
) -> None:
    """Replace ``placeholder`` by a TOC field over heading levels 1..``levels`` whose result is
    already the list of headings, each a link to its heading.

    Word recomputes the field, page numbers included, when it opens the document (the settings
    ask it to); LibreOffice shows the entries as written, without page numbers."""
    shown = [(level, title, mark) for level, title, mark in outline.entries if level <= levels]
    if not shown:
        shown = [(1, "(no headings)", "")]
    paragraphs = []
    for n, (level, title, mark) in enumerate(shown):
        paragraph = element("w:p")
        properties = element("w:pPr")
        properties.append(element("w:pStyle", w_val=style_ids[min(level, len(style_ids)) - 1]))
        paragraph.append(properties)
        if n == 0:
            for run in field_runs(f'TOC \\o "1-{levels}" \\h \\z \\u', "")[:3]:
                paragraph.append(run)
        link = element("w:hyperlink", w_anchor=mark, w_history="1") if mark else paragraph
        link.append(_run(_text_node(title)))
        if link is not paragraph:
            paragraph.append(link)
        if n == len(shown) - 1:
            paragraph.append(_run(element("w:fldChar", w_fldCharType="end")))
        paragraphs.append(paragraph)
    for paragraph in paragraphs:
        placeholder._p.addprevious(paragraph)
    placeholder._p.getparent().remove(placeholder._p)


def update_fields_on_open(document: Document) -> None:
    """Ask Word to refresh fields (the contents' page numbers) when the file is opened."""
    setting = element("w:updateFields", w_val="true")
    document.settings.element.insert_element_before(setting, *_AFTER_UPDATE_FIELDS)


def shade(style: Any, fill: str) -> None:
    """Give a paragraph style a background colour (``fill``: hex RGB)."""
    properties = style.element.get_or_add_pPr()
    shading = element("w:shd", w_val="clear", w_color="auto", w_fill=fill)
    properties.insert_element_before(shading, *_AFTER_SHD)


def text_run(value: str) -> Any:
    """A run holding ``value``, its line breaks and tabs as Word's own."""
    run = element("w:r")
    for n, line in enumerate(value.split("\n")):
        if n:
            run.append(element("w:br"))
        for m, part in enumerate(line.split("\t")):
            if m:
                run.append(element("w:tab"))
            if part:
                run.append(_text_node(part))
    return run


class Body:
    """Appends paragraphs to a document's body in constant time.

    python-docx looks for the body's closing section properties on every append, a scan of the
    whole body, which makes a long report quadratic; this keeps hold of that element instead."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._end = document.element.body.sectPr

    def paragraph(self, value: str, style_id: str) -> Paragraph:
        """A new paragraph of ``value`` in the style with id ``style_id``."""
        from docx.text.paragraph import Paragraph

        node = element("w:p")
        properties = element("w:pPr")
        properties.append(element("w:pStyle", w_val=style_id))
        node.append(properties)
        if value:
            node.append(text_run(value))
        self.append(node)
        return Paragraph(node, self.document._body)

    def append(self, node: Any) -> None:
        """Add a block element (paragraph, table) at the end of the body."""
        self._end.addprevious(node)


def fixed_table(
    body: Body,
    widths_cm: Sequence[float],
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    cell_style_id: str,
    table_style_id: str = "TableGrid",
) -> None:
    """Append a table of fixed column widths (so it never runs past the margins) whose shaded
    header row repeats on every page it spans; short rows are kept whole across page breaks,
    and short tables on one page. Without a header, the first column is bold (labels)."""
    values = [*([header] if header is not None else []), *rows]
    # Rounded down, so that the columns never add up to more than the width asked for.
    twips = [str(int(w * TWIPS_PER_CM)) for w in widths_cm]
    table = element("w:tbl")
    properties = element("w:tblPr")
    properties.append(element("w:tblStyle", w_val=table_style_id))
    properties.append(element("w:tblW", w_w=str(sum(int(t) for t in twips)), w_type="dxa"))
    properties.append(element("w:tblLayout", w_type="fixed"))  # Word and LibreOffice keep widths
    table.append(properties)
    grid = element("w:tblGrid")
    for width in twips:
        grid.append(element("w:gridCol", w_w=width))
    table.append(grid)
    keep_whole = len(values) <= KEEP_WHOLE_ROWS
    for number, texts in enumerate(values):
        is_header = header is not None and number == 0
        row = element("w:tr")
        row_properties = element("w:trPr")
        if sum(len(v) for v in texts) < 600:
            row_properties.append(element("w:cantSplit"))
        if is_header:
            row_properties.append(element("w:tblHeader"))
        row.append(row_properties)
        for column, (value, width) in enumerate(zip(texts, twips, strict=True)):
            cell = element("w:tc")
            cell_properties = element("w:tcPr")
            cell_properties.append(element("w:tcW", w_w=width, w_type="dxa"))
            if is_header:
                cell_properties.append(
                    element("w:shd", w_val="clear", w_color="auto", w_fill="E7E6E6")
                )
            cell.append(cell_properties)
            paragraph = element("w:p")
            paragraph_properties = element("w:pPr")
            paragraph_properties.append(element("w:pStyle", w_val=cell_style_id))
            if keep_whole and number < len(values) - 1:
                # Word's way to keep a table on one page: every row keeps with the next.
                paragraph_properties.append(element("w:keepNext"))
            paragraph.append(paragraph_properties)
            run = text_run(value)
            if is_header or (header is None and column == 0):
                run_properties = element("w:rPr")
                run_properties.append(element("w:b"))
                run.insert(0, run_properties)
            paragraph.append(run)
            cell.append(paragraph)
            row.append(cell)
        table.append(row)
    body.append(table)
