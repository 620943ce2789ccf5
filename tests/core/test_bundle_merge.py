"""Merging a plain bundle into a project: by GUID, in one undo step, nothing twice."""

from __future__ import annotations

from collabcoder.core.bundle import (
    Bundle,
    BundleCase,
    BundleCoder,
    BundleDocument,
    BundleMemo,
    BundleSegment,
)
from collabcoder.core.bundle_merge import merge_bundle
from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project

DOC, CODE, CHILD, SEG = (f"{n}0000000-0000-4000-8000-000000000000" for n in "1234")


def _bundle() -> Bundle:
    return Bundle(
        coders=[BundleCoder("50000000-0000-4000-8000-000000000000", "Bea")],
        codes=[CodeSpec("Trust", guid=CODE, children=[CodeSpec("Early", guid=CHILD)])],
        cases=[BundleCase("60000000-0000-4000-8000-000000000000", "Wirral")],
        documents=[BundleDocument(NewDocument("talk", "We trust you.", guid=DOC))],
        segments=[BundleSegment(SEG, DOC, CHILD, None, 3, 8, None, "talk 3-8")],
        memos=[BundleMemo("70000000-0000-4000-8000-000000000000", [("segment", SEG)], "", "Key")],
    )


def test_merging_twice_adds_nothing_the_second_time(project: Project) -> None:
    """The second merge of the same bundle finds everything by GUID and adds nothing."""
    first = merge_bundle(project, _bundle(), merge=True, label="Import")
    assert (first.added["codes"], first.added["segments"], first.added["memos"]) == (2, 1, 1)
    before = project.counts()
    second = merge_bundle(project, _bundle(), merge=True, label="Import")
    assert project.counts() == before and second.added["codes"] == 0
    (segment,) = project.segments.list()
    assert project.segments.quotes([segment]) == ["trust"]
    (memo,) = project.memos.list()
    assert (memo.target_kind, memo.target_id) == ("segment", segment.id)
    assert project.codes.path(segment.code_id) == "Trust/Early"


def test_a_merge_is_one_undo_step_and_reports_unknown_codes(project: Project) -> None:
    """Undo removes the whole merge; a coding of a code not in the codebook is reported."""
    bundle = _bundle()
    bundle.segments.append(BundleSegment("8" + SEG[1:], DOC, "nope", None, 0, 2, None, "talk 0-2"))
    outcome = merge_bundle(project, bundle, merge=False, label="Import")
    assert [(d.kind, d.name) for d in outcome.dropped] == [("coding", "talk 0-2")]
    project.undo()
    counts = project.counts()
    assert (counts.documents, counts.codes, counts.segments) == (0, 0, 0)
