"""Multi-label metrics agree with scikit-learn on the same predictions."""

from __future__ import annotations

import random

import pytest

from collabcoder.nlp.metrics import score


def _matrix(sets: list[frozenset[int]], codes: list[int]) -> list[list[int]]:
    return [[int(code in s) for code in codes] for s in sets]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_metrics_equal_scikit_learn(seed: int) -> None:
    """Per-code, micro and macro precision/recall/F1 equal sklearn's, including a code never
    predicted and a code never present (zero-division cases)."""
    from sklearn.metrics import precision_recall_fscore_support

    rng = random.Random(seed)
    codes = [1, 2, 3, 4, 5]
    truth = [frozenset(c for c in codes[:4] if rng.random() < 0.3) for _ in range(60)]
    predicted = [frozenset(c for c in (1, 2, 3, 5) if rng.random() < 0.3) for _ in range(60)]
    ours = score(truth, predicted, codes)
    y_true, y_pred = _matrix(truth, codes), _matrix(predicted, codes)
    p, r, f, support = precision_recall_fscore_support(y_true, y_pred, zero_division=0)
    for i, metrics in enumerate(ours.per_code):
        assert metrics.precision == pytest.approx(p[i])
        assert metrics.recall == pytest.approx(r[i])
        assert metrics.f1 == pytest.approx(f[i])
        assert metrics.support == support[i]
    for average, mine in (("micro", ours.micro), ("macro", ours.macro)):
        p, r, f, _ = precision_recall_fscore_support(
            y_true, y_pred, average=average, zero_division=0
        )
        assert (mine.precision, mine.recall, mine.f1) == pytest.approx((p, r, f))


def test_lengths_must_agree() -> None:
    """Mismatched truth and predictions are refused rather than silently truncated."""
    with pytest.raises(ValueError):
        score([frozenset({1})], [], [1])
