"""The bundled sample project builds completely from its folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabcoder.core.errors import InvalidValue
from collabcoder.core.project import Project
from collabcoder.io.sample_project import build_sample_project, default_sample_folder


def test_sample_project_has_the_study_cases_documents_and_coding(tmp_path: Path) -> None:
    """All ten research subjects with typed attributes, every document with turns or field-note
    metadata, and the illustrative coding of two researchers on the quotes it names."""
    target = build_sample_project(default_sample_folder(), tmp_path / "sample.ccproj")
    with Project.open(target, coder="Test") as project:
        cases = {c.name: c.id for c in project.cases.list()}
        attributes = {a.name: a for a in project.attributes.list()}
        values = project.attributes.values()
        documents = project.documents.list()
        segments = project.segments.list()
        coders = {c.id: c.name for c in project.coders.list()}
        quotes = project.segments.quotes(segments)
    assert len(cases) == 10 and "West London Zone" in cases
    model = attributes["Model of collaboration"]
    assert model.kind == "choice" and len(model.choices) == 4
    assert values[(cases["Golden Key"], model.id)] == "Agent of change"
    assert values[(cases["Wirral Council"], attributes["Call type"].id)] == "Deep dive"
    # Documents are named by their front matter's title, or by the file name without one.
    kinds = {d.name: d.kind for d in documents}
    assert kinds["Oldham community conversation, field notes (illustrative)"] == "fieldnotes"
    assert kinds["Golden Key learning call (illustrative)"] == "transcript"
    assert kinds["Plymouth Council - learning call"] == "transcript"
    assert all(d.case_id is not None for d in documents)
    assert all("ILLUSTRATIVE" in d.meta.get("note", "ILLUSTRATIVE") for d in documents)
    assert {coders[s.coder_id] for s in segments} == {"Researcher A", "Researcher B"}
    assert "We use proxy measures." in quotes
    assert len(segments) == 29


def test_sample_refuses_to_overwrite_without_replace(tmp_path: Path) -> None:
    """An existing file is left alone unless --replace is given."""
    target = tmp_path / "sample.ccproj"
    target.write_text("keep me")
    with pytest.raises(InvalidValue, match="already exists"):
        build_sample_project(default_sample_folder(), target)
    assert target.read_text() == "keep me"
