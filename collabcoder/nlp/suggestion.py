"""Plain data passed into and out of the suggesters (no project, no database)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


class CodeLike(Protocol):
    """What the suggesters read from a code's codebook entry (``CodeRecord`` has it all)."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def keywords(self) -> Sequence[str]: ...
    @property
    def definition(self) -> str: ...
    @property
    def inclusion(self) -> str: ...


@dataclass(frozen=True, slots=True)
class DocumentText:
    """A document's canonical text and its speaker turns as (start, end) code-point spans;
    ``skipped`` holds the numbers (in ``turns``) of turns not suggested on (an interviewer's);
    ``context`` its case's attribute values as "name: value"."""

    document_id: int
    text: str
    turns: tuple[tuple[int, int], ...] = ()
    skipped: frozenset[int] = frozenset()
    context: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested code for one span, with why it was suggested and by which model."""

    document_id: int
    start: int
    end: int
    code_id: int
    score: float
    method: str  # lexical | learned
    reason: str
    model_version: str


@dataclass(frozen=True, slots=True)
class CodeTerms:
    """What the lexical suggester knows about a code: its name, keywords and definition."""

    code_id: int
    name: str
    keywords: tuple[str, ...] = ()
    definition: str = ""
    inclusion: str = ""


@dataclass
class RejectedSpans:
    """Rejected suggestions as (document, code, start, end): never suggest one of them again.

    The key order is the one ``project.suggestions.rejected_spans()`` returns.
    """

    spans: set[tuple[int, int, int, int]] = field(default_factory=set)

    def blocks(self, suggestion: Suggestion) -> bool:
        """Whether ``suggestion`` repeats a rejected one."""
        key = (suggestion.document_id, suggestion.code_id, suggestion.start, suggestion.end)
        return key in self.spans
