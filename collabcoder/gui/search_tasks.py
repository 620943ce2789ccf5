"""What the Search dock runs on the worker: a text search, a coding query or code-by-heading,
each turned into result lines; and the segments a set of results touches.

Plain functions of the project (no widgets), so the dock only builds and shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collabcoder.core.search_coding import Passage
from collabcoder.core.search_eval import Hit

if TYPE_CHECKING:
    from collabcoder.core.progress import CancelToken
    from collabcoder.core.project import Project

KINDS = ("text", "coding", "headings")


@dataclass(frozen=True)
class Outcome:
    """Result lines, what auto-coded segments record, the status line, and the kind run."""

    hits: list[Hit]
    provenance: str
    summary: str
    kind: str


def hit_passage(hit: Hit) -> Passage:
    return Passage(hit.document_id, hit.document, hit.start, hit.end, hit.text, hit.speaker)


def passage_hit(passage: Passage) -> Hit:
    """A passage (a coding query's, a heading's section) as a result line of its own span."""
    span = (passage.start, passage.end)
    return Hit(passage.document_id, passage.document, passage.start, passage.end, passage.text,
               "", "", passage.speaker, "", span, span)  # fmt: skip


def run(project: Project, kind: str, definition: dict[str, Any], cancel: CancelToken) -> Outcome:
    """Run ``definition`` (the dock's query, options and scope) as ``kind``."""
    from collabcoder.core.search_saved import definition_options, definition_scope

    query = str(definition.get("query", ""))
    scope = definition_scope(project, definition)
    if kind == "coding":
        hits = [passage_hit(p) for p in project.search.coding_query(query, scope, cancel)]
        return Outcome(hits, f"coding query {query!r}", f"{len(hits)} passage(s)", kind)
    if kind == "headings":
        from collabcoder.core.search_headings import matching, provenance, sections

        regex = bool(definition.get("regex"))
        texts = project.documents.texts
        found = matching(sections(project, scope.document_ids), query, regex=regex)
        bodies = texts(sorted({s.document_id for s in found}))
        hits = [
            passage_hit(Passage(s.document_id, s.document, s.start, s.end,
                                bodies[s.document_id][s.start : s.end].rstrip(), ""))
            for s in found
        ]  # fmt: skip
        return Outcome(hits, provenance(query, regex), f"{len(hits)} section(s)", kind)
    result = project.search.run(query, definition_options(definition), scope, cancel)
    found_line = f"{len(result.hits)} hit(s) in {result.documents} document(s)"
    return Outcome(result.hits, result.provenance(), found_line, kind)


def segments_touched(project: Project, kind: str, query: str, hits: list[Hit]) -> list[int]:
    """The segments sharing text with ``hits``: of a coding query's codes (and the codes under
    them) only; of any code for a text search or headings."""
    from collabcoder.core.search_coding import code_names, parse_coding_query

    codes = None
    if kind == "coding":
        ids = [project.codes.by_path(n).id for n in code_names(parse_coding_query(query))]
        codes = sorted({i for code in ids for i in project.codes.descendants(code)})
    return project.search.segments_at([hit_passage(h) for h in hits], codes)
