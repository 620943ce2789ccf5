"""Case x code matrix counts on the hand-built project."""

from __future__ import annotations

import pytest

from collabcoder.core.errors import InvalidValue, NotFound
from collabcoder.synthesis.filters import SegmentFilter
from collabcoder.synthesis.frames import SynthesisData
from collabcoder.synthesis.matrix import case_code_matrix


def grid(data: SynthesisData, **kwargs: object) -> dict[str, dict[str, float]]:
    matrix = case_code_matrix(data, **kwargs)  # type: ignore[arg-type]
    return matrix.labelled().to_dict(orient="index")


def test_segments_roll_up_to_top_level_codes(tiny: SynthesisData) -> None:
    """At depth 1 each theme counts its own and its descendants' segments; documents without a
    case get their own row and cases without segments show zeros."""
    counts = grid(tiny, depth=1, measure="segments")
    assert list(counts) == ["Alpha", "Beta", "Gamma", "(no case)"]
    assert counts["Alpha"] == {"Drivers": 4, "Barriers": 0}
    assert counts["Beta"] == {"Drivers": 0, "Barriers": 2}
    assert counts["Gamma"] == {"Drivers": 0, "Barriers": 0}
    assert counts["(no case)"] == {"Drivers": 1, "Barriers": 0}


def test_deeper_columns_follow_tree_order(tiny: SynthesisData) -> None:
    """Depth 2 shows parents and children in tree order; a grandchild counts in its ancestor."""
    matrix = case_code_matrix(tiny, depth=2)
    assert list(matrix.columns["path"]) == [
        "Drivers",
        "Drivers/Trust",
        "Drivers/Money",
        "Barriers",
        "Barriers/Time",
    ]
    alpha = matrix.labelled().loc["Alpha"].to_dict()
    assert alpha == {
        "Drivers": 4,
        "Drivers/Trust": 2,
        "Drivers/Money": 1,
        "Barriers": 0,
        "Barriers/Time": 0,
    }
    assert matrix.labelled().loc["Beta", "Barriers/Time"] == 1


def test_overlapping_segments_are_not_double_counted(tiny: SynthesisData) -> None:
    """Coverage and words union overlapping spans: Alpha's Drivers text is [0,30) of doc 10
    plus [0,10) of doc 11, i.e. 40 of 150 characters and 6 + 2 words."""
    coverage = grid(tiny, measure="coverage")
    assert coverage["Alpha"]["Drivers"] == pytest.approx(40 / 150)
    assert coverage["Beta"]["Barriers"] == pytest.approx(20 / 100)
    assert coverage["Gamma"]["Drivers"] == 0
    words = grid(tiny, measure="words")
    assert words["Alpha"]["Drivers"] == 8
    assert words["Beta"]["Barriers"] == 4


def test_documents_and_coders_are_distinct_counts(tiny: SynthesisData) -> None:
    """Four segments in two documents by two coders count as 2 documents and 2 coders."""
    assert grid(tiny, measure="documents")["Alpha"]["Drivers"] == 2
    assert grid(tiny, measure="coders")["Alpha"]["Drivers"] == 2
    assert grid(tiny, measure="coders")["Beta"]["Barriers"] == 2


def test_filters_by_coder_origin_and_document_kind(tiny: SynthesisData) -> None:
    """Each filter removes exactly the segments it should."""
    assert grid(tiny, filters=SegmentFilter(coders=("Ben",)))["Alpha"]["Drivers"] == 1
    assert grid(tiny, filters=SegmentFilter(origins=("manual",)))["Alpha"]["Drivers"] == 3
    kinds = grid(tiny, filters=SegmentFilter(document_kinds=("transcript",)))
    assert kinds["Alpha"]["Drivers"] == 3
    assert "(no case)" not in kinds
    coverage = grid(tiny, measure="coverage", filters=SegmentFilter(document_kinds=("transcript",)))
    assert coverage["Alpha"]["Drivers"] == pytest.approx(30 / 100)


def test_rows_grouped_by_case_attribute(tiny: SynthesisData) -> None:
    """Grouping by an attribute orders groups by its choices, then cases without a value."""
    counts = grid(tiny, rows="model")
    assert list(counts) == ["Network", "Hub", "(no value)", "(no case)"]
    assert counts["Hub"]["Drivers"] == 4
    assert counts["Network"]["Barriers"] == 2
    hub_only = grid(tiny, rows="model", filters=SegmentFilter(case_attributes={"model": ("Hub",)}))
    assert list(hub_only) == ["Hub"]


def test_bad_requests_name_the_problem(tiny: SynthesisData) -> None:
    """Unknown measures, attributes, coders and depths raise errors that say what was wrong."""
    with pytest.raises(InvalidValue, match="measure"):
        case_code_matrix(tiny, measure="pages")
    with pytest.raises(NotFound, match="colour"):
        case_code_matrix(tiny, rows="colour")
    with pytest.raises(NotFound, match="Zed"):
        case_code_matrix(tiny, filters=SegmentFilter(coders=("Zed",)))
    with pytest.raises(InvalidValue, match="depth"):
        case_code_matrix(tiny, depth=0)
