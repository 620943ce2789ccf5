"""Agreement statistics equal scikit-learn and the krippendorff package on the same labels."""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from collabcoder.core.errors import InvalidValue
from collabcoder.core.records import SegmentRecord
from collabcoder.synthesis.agreement import agreement
from collabcoder.synthesis.frames import SynthesisData
from collabcoder.synthesis.units import build_units
from tests.synthesis.conftest import make_data, segment


def random_segments(seed: int, coders: int) -> list[SegmentRecord]:
    """Random overlapping segments by several coders over documents 10, 11 and 20."""
    rng = random.Random(seed)
    lengths = {10: 100, 11: 50, 20: 100}
    rows = []
    for n in range(60):
        doc = rng.choice(list(lengths))
        start = rng.randrange(lengths[doc] - 1)
        end = min(lengths[doc], start + rng.randrange(1, 30))
        rows.append(
            segment(n + 1, doc, rng.choice([2, 3, 6]), rng.randrange(coders) + 1, start, end)
        )
    # Every coder touches every document so all three are in scope.
    for coder in range(1, coders + 1):
        for i, doc in enumerate(lengths):
            rows.append(segment(1000 + coder * 10 + i, doc, 2, coder, 0, 1))
    return rows


def char_labels(data: SynthesisData, coder: int, code_id: int, docs: tuple[int, ...]) -> np.ndarray:
    """The reference labelling: one yes/no per character, built the slow obvious way."""
    parts = []
    for doc in docs:
        labels = np.zeros(int(data.documents.at[doc, "length"]), int)
        segs = data.segments[
            (data.segments["document_id"] == doc)
            & (data.segments["coder_id"] == coder)
            & (data.segments["code_id"] == code_id)
        ]
        for start, end in zip(segs["start"], segs["end"], strict=True):
            labels[start:end] = 1
        parts.append(labels)
    return np.concatenate(parts)


def unit_labels(
    data: SynthesisData, kind: str, coder: int, code_id: int, docs: tuple[int, ...]
) -> np.ndarray:
    units = build_units(data, kind)
    labels = []
    for doc, start, end in zip(units.document_id, units.start, units.end, strict=True):
        if doc not in docs:
            continue
        segs = data.segments[
            (data.segments["document_id"] == doc)
            & (data.segments["coder_id"] == coder)
            & (data.segments["code_id"] == code_id)
        ]
        labels.append(int(((segs["start"] < end) & (segs["end"] > start)).any()))
    return np.array(labels)


def alpha_reference(rows: list[np.ndarray]) -> float:
    return float(
        krippendorff.alpha(reliability_data=np.vstack(rows), level_of_measurement="nominal")
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_coders_character_level_matches_references(seed: int) -> None:
    """Per-code and pooled kappa and alpha at character level equal sklearn and krippendorff."""
    data = make_data(random_segments(seed, 2))
    report = agreement(data, ["Ann", "Ben"], unit="char")
    assert report.document_ids == (10, 11, 20)
    pooled_a, pooled_b = [], []
    for score in report.per_code:
        a = char_labels(data, 1, score.code_id, report.document_ids)
        b = char_labels(data, 2, score.code_id, report.document_ids)
        pooled_a.append(a)
        pooled_b.append(b)
        assert score.units == len(a)
        assert score.coded == (a.sum(), b.sum())
        assert score.percent == pytest.approx(float((a == b).mean()))
        assert score.kappa == pytest.approx(cohen_kappa_score(a, b))
        assert score.alpha == pytest.approx(alpha_reference([a, b]))
    a, b = np.concatenate(pooled_a), np.concatenate(pooled_b)
    assert report.overall.kappa == pytest.approx(cohen_kappa_score(a, b))
    assert report.overall.alpha == pytest.approx(alpha_reference([a, b]))


@pytest.mark.parametrize("unit", ["char", "turn", "document"])
def test_three_coders_alpha_matches_krippendorff(unit: str) -> None:
    """With three coders alpha equals the krippendorff package and kappa is not offered."""
    data = make_data(random_segments(7, 3))
    report = agreement(data, ["Ann", "Ben", "Cat"], unit=unit)
    for score in report.per_code:
        if unit == "char":
            rows = [char_labels(data, c, score.code_id, report.document_ids) for c in (1, 2, 3)]
        else:
            rows = [
                unit_labels(data, unit, c, score.code_id, report.document_ids) for c in (1, 2, 3)
            ]
        assert score.kappa is None
        assert score.units == len(rows[0])
        if score.alpha is not None:
            assert score.alpha == pytest.approx(alpha_reference(rows))
    assert any(score.alpha is not None for score in report.per_code)


def test_turn_units_match_sklearn() -> None:
    """At turn level each turn is one unit labelled yes when any segment of the code touches it."""
    data = make_data(random_segments(11, 2))
    report = agreement(data, ["Ann", "Ben"], unit="turn")
    assert report.overall.units == 2 * len(report.per_code)
    for score in report.per_code:
        a = unit_labels(data, "turn", 1, score.code_id, report.document_ids)
        b = unit_labels(data, "turn", 2, score.code_id, report.document_ids)
        if score.kappa is not None:
            assert score.kappa == pytest.approx(cohen_kappa_score(a, b))
        assert score.percent == pytest.approx(float((a == b).mean()))


def test_disagreements_list_spans_and_who_coded_them() -> None:
    """Where Ann coded [0,20) and Ben [10,30), the disagreements are [0,10) and [20,30)."""
    data = make_data([segment(1, 10, 2, 1, 0, 20), segment(2, 10, 2, 2, 10, 30)])
    report = agreement(data, ["Ann", "Ben"])
    assert report.disagreements is not None
    columns = ["document_id", "start", "end", "applied_by", "not_by"]
    spans = [tuple(row) for row in report.disagreements[columns].itertuples(index=False)]
    assert spans == [(10, 0, 10, "Ann", "Ben"), (10, 20, 30, "Ben", "Ann")]
    assert report.per_code[0].percent == pytest.approx(80 / 100)
    document_level = agreement(data, ["Ann", "Ben"], unit="document")
    assert document_level.disagreements is not None
    assert document_level.disagreements.empty
    assert document_level.overall.percent == 1.0


def test_agreement_refuses_bad_requests() -> None:
    """One coder, an unknown unit, or coders with nothing in common are refused clearly."""
    data = make_data([segment(1, 10, 2, 1, 0, 20), segment(2, 11, 2, 2, 10, 30)])
    with pytest.raises(InvalidValue, match="2 to"):
        agreement(data, ["Ann"])
    with pytest.raises(InvalidValue, match="unit"):
        agreement(data, ["Ann", "Ben"], unit="page")
    with pytest.raises(InvalidValue, match="no coded document in common"):
        agreement(data, ["Ann", "Ben"])
