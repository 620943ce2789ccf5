"""HTML pages (.html, .htm): the visible text, one paragraph per block element.

Scripts, styles and the head are dropped; ``<br>`` keeps its line break; a table row becomes one
line with cells joined by `` | `` like Word tables; ``<pre>`` keeps its spacing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from collabcoder.io.formats.office import CELL_SEPARATOR
from collabcoder.io.parsed import ParsedDocument, document_text

_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog"),
        *("div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "nav", "ol", "p", "pre"),
        *("section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul"),
    }
)
_INVISIBLE = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "iframe", "object"}
)
_CELLS = frozenset({"td", "th"})
# Source line breaks in HTML are plain spaces; only <br> and blocks break lines.
_SPACE = re.compile(r"\s+")


def read_html(path: Path, data: bytes) -> ParsedDocument:
    """The visible text of an HTML page; its ``<title>`` becomes the ``title`` metadata."""
    from bs4 import BeautifulSoup

    # BeautifulSoup detects the encoding (BOM, <meta charset>, then a guess) from the bytes.
    soup = BeautifulSoup(data, "lxml")
    meta = {}
    if soup.title and soup.title.string and soup.title.string.strip():
        meta["title"] = " ".join(soup.title.string.split())
    text, warnings = document_text(_visible_text(soup), path.name)
    return ParsedDocument(text, meta=meta, warnings=warnings)


class _Paragraphs:
    """Collects text pieces into paragraphs, collapsing HTML whitespace except inside <pre>."""

    def __init__(self) -> None:
        self.done: list[str] = []
        self._pieces: list[str] = []
        self.pre_depth = 0

    def add(self, piece: str) -> None:
        self._pieces.append(piece)

    def flush(self) -> None:
        joined = "".join(self._pieces)
        self._pieces.clear()
        if self.pre_depth:
            paragraph = joined.strip("\n")
        else:
            paragraph = "\n".join(" ".join(line.split()) for line in joined.split("\n")).strip()
        if paragraph.strip():
            self.done.append(paragraph)


def _visible_text(soup: Any) -> str:
    from bs4 import CData, NavigableString, Tag

    paragraphs = _Paragraphs()
    # Explicit stack of (node, leaving) so deeply nested pages cannot hit the recursion limit.
    stack: list[tuple[Any, bool]] = [(soup, False)]
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, Tag):
            name = node.name.lower()
            if name in _INVISIBLE:
                continue
            if name in _BLOCKS or name == "br":
                if name == "br" and not leaving:
                    paragraphs.add("\n")
                    continue
                paragraphs.flush()
                if name == "pre":
                    paragraphs.pre_depth += -1 if leaving else 1
            if name in _CELLS and not leaving and node.find_previous_sibling(_CELLS):
                paragraphs.add(CELL_SEPARATOR)
            if not leaving:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))
        elif type(node) in (NavigableString, CData):
            text = str(node)
            paragraphs.add(text if paragraphs.pre_depth else _SPACE.sub(" ", text))
    paragraphs.flush()
    return "\n\n".join(paragraphs.done)
