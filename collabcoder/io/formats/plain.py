"""Plain text (.txt) and Markdown (.md) files."""

from __future__ import annotations

import re
from pathlib import Path

from collabcoder.core.search_headings import markdown_headings
from collabcoder.core.text import canonical_text
from collabcoder.io.fieldnotes import front_matter_meta
from collabcoder.io.formats.decoding import decode_text
from collabcoder.io.parsed import ParsedDocument

# YAML front matter: "---" on the first line, closed by "---" or "..." on a line of its own.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _loader() -> type:
    """A safe YAML loader that refuses aliases, so a "billion laughs" header cannot blow up."""
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
            if self.check_event(yaml.AliasEvent):
                raise yaml.YAMLError("aliases (*name) are not allowed")
            return super().compose_node(parent, index)

    return NoAliasLoader


def read_txt(path: Path, data: bytes) -> ParsedDocument:
    """A plain-text file in any of the encodings :func:`decode_text` recognises."""
    raw, warnings = decode_text(data, path.name)
    return ParsedDocument(canonical_text(raw), warnings=warnings)


def read_md(path: Path, data: bytes) -> ParsedDocument:
    """A Markdown file; YAML front matter becomes metadata and leaves the text.

    Markdown markup (``**Name**:``) stays: it is what the researcher wrote and codes against;
    its ``#`` heading lines are also kept as headings beside the text.
    """
    import yaml

    raw, warnings = decode_text(data, path.name)
    text = canonical_text(raw)
    match = _FRONT_MATTER.match(text)
    if not match:
        return ParsedDocument(text, warnings=warnings, headings=markdown_headings(text))
    try:
        data_ = yaml.load(match["yaml"] or "", Loader=_loader())
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0]
        warnings.append(f"{path.name}: front matter is not valid YAML ({problem}); kept as text")
        return ParsedDocument(text, warnings=warnings, headings=markdown_headings(text))
    if data_ is not None and not isinstance(data_, dict):
        warnings.append(f"{path.name}: front matter is not a set of keys; kept as text")
        return ParsedDocument(text, warnings=warnings, headings=markdown_headings(text))
    # The body is canonical text of its own: a BOM right after the front matter is a leading BOM.
    body = canonical_text(text[match.end() :].lstrip("\n"))
    meta = front_matter_meta(data_ or {})
    return ParsedDocument(body, meta=meta, warnings=warnings, headings=markdown_headings(body))
