"""Which documents and segments a matrix, framework or export looks at."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from collabcoder.synthesis.frames import SynthesisData


@dataclass(frozen=True)
class SegmentFilter:
    """Restrictions on documents (kind, case attribute values) and segments (coder, origin).

    Empty means "no restriction". ``case_attributes`` maps an attribute name to the values a
    document's case must have one of.
    """

    document_kinds: tuple[str, ...] = ()
    case_attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    coders: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()  # documents in any of these document sets

    def known_to(self, data: SynthesisData) -> SegmentFilter:
        """This filter without the sets ``data`` lacks (deleted since a window's box was ticked)."""
        known = {name.casefold() for name in data.document_sets}
        return replace(self, sets=tuple(s for s in self.sets if s.casefold() in known))

    # Speaker roles of the turn a segment starts in: kept, and left out ("exclude interviewer").
    roles: tuple[str, ...] = ()
    exclude_roles: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for provenance: what was left out."""
        parts = []
        if self.document_kinds:
            parts.append("document kinds: " + ", ".join(self.document_kinds))
        for name, values in self.case_attributes.items():
            parts.append(f"{name}: " + ", ".join(values))
        if self.coders:
            parts.append("coders: " + ", ".join(self.coders))
        if self.origins:
            parts.append("origins: " + ", ".join(self.origins))
        if self.sets:
            parts.append("sets: " + ", ".join(self.sets))
        if self.roles:
            parts.append("turns of: " + ", ".join(self.roles))
        if self.exclude_roles:
            parts.append("leaving out turns of: " + ", ".join(self.exclude_roles))
        return "; ".join(parts) or "none (all documents, coders and origins)"


def filtered_cases(data: SynthesisData, filters: SegmentFilter) -> pd.DataFrame:
    """The cases (in name order) that pass the case attribute filters."""
    cases = data.cases
    for name, values in filters.case_attributes.items():
        value_of_case = data.case_attribute(name)
        cases = cases[value_of_case.reindex(cases.index).isin(values)]
    return cases


def filtered_documents(data: SynthesisData, filters: SegmentFilter) -> pd.DataFrame:
    """The documents that pass the document kind and case attribute filters."""
    docs = data.documents
    if filters.document_kinds:
        docs = docs[docs["kind"].isin(filters.document_kinds)]
    if filters.case_attributes:
        docs = docs[docs["case_id"].isin(filtered_cases(data, filters).index)]
    if filters.sets:
        docs = docs[docs.index.isin(data.set_members(filters.sets))]
    return docs


def filtered_segments(data: SynthesisData, filters: SegmentFilter) -> pd.DataFrame:
    """The segments in filtered documents, by the chosen coders and of the chosen origins."""
    segments = data.segments
    if filters.document_kinds or filters.case_attributes or filters.sets:
        segments = segments[segments["document_id"].isin(filtered_documents(data, filters).index)]
    if filters.coders:
        segments = segments[segments["coder_id"].isin(data.coder_ids(filters.coders))]
    if filters.origins:
        segments = segments[segments["origin"].isin(filters.origins)]
    if filters.roles or filters.exclude_roles:
        from collabcoder.synthesis.speaker_rows import wanted_roles

        segments = segments[wanted_roles(data, segments, filters)]
    return segments
