"""Read a project's synthesis tables through the Project facade."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collabcoder.synthesis.frames import SynthesisData, build_synthesis_data

if TYPE_CHECKING:
    from collabcoder.core.project import Project


def load_synthesis_data(project: Project) -> SynthesisData:
    """A snapshot of everything synthesis reads (texts included), in one go per table."""
    return build_synthesis_data(
        documents=project.documents.list(),
        texts=project.documents.texts(),
        cases=project.cases.list(),
        codes=project.codes.list(),
        coders=project.coders.list(),
        segments=project.segments.list(),
        attributes=project.attributes.list(),
        attribute_values=project.attributes.values(),
        turns=project.documents.turns(),
        summaries=project.summaries.list(),
        project=project.name,
        document_sets=project.sets.all_members(),
        speakers=project.speakers.map(),
    )
