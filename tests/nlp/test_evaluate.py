"""Cross-validation and the learning curve over coded texts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from collabcoder.nlp.codebook import codebook_examples
from collabcoder.nlp.evaluate import (
    Trainer,
    cross_validate,
    curve_sizes,
    evaluate,
    split_folds,
    train_baseline,
    train_ours,
)
from collabcoder.nlp.learned import LabelledText, TrainingSettings
from tests.nlp.test_learned import _corpus

SETTINGS = TrainingSettings(threshold_folds=2)


def test_cross_validation_metrics_equal_scikit_learn() -> None:
    """The reported metrics equal sklearn's on the same out-of-fold predictions."""
    from sklearn.metrics import precision_recall_fscore_support

    result = cross_validate(_corpus(90), folds=3, settings=SETTINGS)
    assert len(result.truth) == len(result.predicted) == 90
    codes = list(result.codes)
    y_true = [[int(c in s) for c in codes] for s in result.truth]
    y_pred = [[int(c in s) for c in codes] for s in result.predicted]
    _, _, f1, _ = precision_recall_fscore_support(y_true, y_pred, zero_division=0)
    assert [m.f1 for m in result.scores.per_code] == pytest.approx(list(f1))
    for average, mine in (("micro", result.scores.micro), ("macro", result.scores.macro)):
        p, r, f, _ = precision_recall_fscore_support(
            y_true, y_pred, average=average, zero_division=0
        )
        assert (mine.precision, mine.recall, mine.f1) == pytest.approx((p, r, f))
    assert result.scores.micro.f1 > 0.9  # the synthetic codes are easy to learn


def test_rejections_train_but_are_not_tested() -> None:
    """Incomplete examples (rejections) never appear among the tested texts."""
    rejection = LabelledText("the car was kind", negatives=frozenset({2}), complete=False)
    result = cross_validate([*_corpus(40), rejection], folds=2, settings=SETTINGS)
    assert len(result.truth) == 40


def test_curve_sizes_follow_the_documented_steps() -> None:
    """100, 250, 500, 1000, then doubling, and finally all the training texts."""
    assert curve_sizes(80) == [80]
    assert curve_sizes(600) == [100, 250, 500, 600]
    assert curve_sizes(5000) == [100, 250, 500, 1000, 2000, 4000, 5000]


def test_evaluate_reports_a_learning_curve() -> None:
    """The curve has a point per training size and F1 figures within [0, 1]."""
    result = evaluate(_corpus(150), folds=2, settings=SETTINGS)
    assert result.documents == 150
    assert [p.documents for p in result.learning_curve] == [100, 120]
    assert all(0 <= p.micro_f1 <= 1 and 0 <= p.macro_f1 <= 1 for p in result.learning_curve)


def test_fold_scores_treat_absent_codes_like_scikit_learn() -> None:
    """Each fold's macro-F1 equals sklearn's ``zero_division=0`` on that fold, even for a code
    with no positives in the fold; the fold average is their mean and pooled scores all rows."""
    from sklearn.metrics import f1_score

    rare = LabelledText("the parking meter swallowed my coins", frozenset({9}))
    examples = [*_corpus(58), rare, rare]
    result = cross_validate(examples, folds=3, settings=SETTINGS)
    codes = list(result.codes)
    assert 9 in codes
    start, absent = 0, 0
    for fold, scores in enumerate(result.fold_scores):
        size = len(range(fold, len(examples), 3))
        truth = result.truth[start : start + size]
        guess = result.predicted[start : start + size]
        start += size
        y_true = [[int(c in s) for c in codes] for s in truth]
        y_pred = [[int(c in s) for c in codes] for s in guess]
        absent += not any(row[codes.index(9)] for row in y_true)
        for average, mine in (("micro", scores.micro.f1), ("macro", scores.macro.f1)):
            assert mine == pytest.approx(f1_score(y_true, y_pred, average=average, zero_division=0))
    assert absent >= 1  # the case this test is about did occur
    assert result.fold_macro_f1 == pytest.approx(sum(s.macro.f1 for s in result.fold_scores) / 3)
    assert sum(m.support for m in result.scores.per_code) == sum(len(t) for t in result.truth)


def _unique_corpus(n: int) -> list[LabelledText]:
    """The synthetic corpus with a number on each text, so that texts identify examples."""
    return [LabelledText(f"{e.text} ({i})", e.positives) for i, e in enumerate(_corpus(n))]


def test_folds_are_disjoint_and_cover_every_coded_text() -> None:
    """Each coded text is in exactly one fold; rejections and codebook texts in none."""
    examples = [
        *_unique_corpus(47),
        LabelledText("the car was kind", negatives=frozenset({2}), complete=False),
        *codebook_examples({1: ["Parking: car park, spaces"]}),
    ]
    parts = split_folds(examples, 5, seed=4)
    rows = [row for part in parts for row in part]
    assert sorted(rows) == list(range(47))
    assert {len(part) for part in parts} <= {9, 10}
    assert split_folds(examples, 5, seed=4) == parts  # the same folds for ours and the baseline


@pytest.mark.parametrize("trainer", [train_ours, train_baseline], ids=["ours", "baseline"])
def test_no_tested_text_reaches_its_fold_model(trainer: Trainer) -> None:
    """Every fold's model (its calibration and thresholds are fitted inside training) is given
    none of that fold's test texts; rejections and codebook texts join every training fold."""
    prior = codebook_examples({1: ["Parking: car park, spaces"]})
    rejection = LabelledText("the car was kind", negatives=frozenset({2}), complete=False)
    examples = [*_unique_corpus(60), rejection, *prior]
    seen: list[set[str]] = []

    def spy(train: Sequence[LabelledText], settings: TrainingSettings, cancelled: object) -> Any:
        seen.append({e.text for e in train})
        return trainer(train, settings, None)

    result = cross_validate(examples, folds=3, settings=SETTINGS, trainer=spy)
    tested = [examples[i].text for i in range(60)]
    parts = split_folds(examples, 3, SETTINGS.seed)
    assert len(seen) == 3
    for part, train in zip(parts, seen, strict=True):
        assert not train & {tested[i] for i in part}
        assert train >= {rejection.text, prior[0].text}
        assert len(train) == 60 - len(part) + 2
    assert len(result.truth) == 60


def test_evaluate_scores_the_baseline_on_the_same_folds() -> None:
    """The evaluation carries the baseline's pooled metrics, computed over the same codes."""
    result = evaluate(_corpus(90), folds=3, settings=SETTINGS, with_curve=False)
    assert result.baseline is not None
    assert len(result.baseline.per_code) == len(result.scores.per_code)
    assert [m.support for m in result.baseline.per_code] == [
        m.support for m in result.scores.per_code
    ]
