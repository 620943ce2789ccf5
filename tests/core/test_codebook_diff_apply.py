"""Applying a merge plan to a project: one undoable step, coded codes never deleted."""

from __future__ import annotations

from pathlib import Path

from collabcoder.core.codebook_merge import apply_merge_plan, plan_merge, segment_counts
from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project


def _book() -> list[CodeSpec]:
    return [
        CodeSpec("Drivers", "00000000-0000-4000-8000-000000000001", "#112233", "Why.", children=[
            CodeSpec("Systemic working", "00000000-0000-4000-8000-000000000002", "#223344"),
            CodeSpec("Evidence-led", "00000000-0000-4000-8000-000000000003", "#334455"),
        ]),
        CodeSpec("Barriers", "00000000-0000-4000-8000-000000000004", "#445566"),
    ]  # fmt: skip


def test_apply_merge_is_one_undo_step_and_spares_coded_codes(tmp_path: Path) -> None:
    """Rename, addition, removal of an uncoded code and refusal to remove a coded one happen in
    one step; a single undo brings the codebook back exactly."""
    with Project.create(tmp_path / "p.ccproj", coder="Lead", codebook=_book()) as project:
        doc = project.documents.add(NewDocument(name="call", text="Evidence matters here."))
        coded = project.codes.by_path("Drivers/Evidence-led")
        project.segments.add(doc.id, coded.id, 0, 8)
        incoming = _book()
        incoming[0].children = [incoming[0].children[0]]  # drop Evidence-led (coded)
        incoming[0].children[0].name = "Whole-system working"
        incoming[1] = CodeSpec("Challenges", "00000000-0000-4000-8000-000000000005", "#556677")
        before = project.codes.to_specs()
        plan = plan_merge(
            before, incoming, ancestor=_book(), segment_counts=segment_counts(project)
        )
        result = apply_merge_plan(project, plan)
        assert (result.added, result.updated, result.removed, result.kept) == (1, 1, 1, [])
        assert sorted(project.codes.paths().values()) == [
            "Challenges",
            "Drivers",
            "Drivers/Evidence-led",
            "Drivers/Whole-system working",
        ]
        assert len(project.segments.list()) == 1
        project.undo()
        assert project.codes.to_specs() == before
