"""Per-code thresholds: the F1-best cut on held-out scores, shrunk towards 0.5 on thin evidence."""

from __future__ import annotations

import pytest

from collabcoder.nlp.thresholds import DEFAULT, best_threshold, best_thresholds, shrunk


def test_best_threshold_separates_clean_scores() -> None:
    """Positives at 0.3-0.4 and negatives at 0.1 or below give a cut between them."""
    scores = [0.05, 0.1, 0.08, 0.3, 0.35, 0.4]
    truth = [False, False, False, True, True, True]
    assert 0.1 < best_threshold(scores, truth) <= 0.3


def test_a_code_never_found_keeps_the_default() -> None:
    """With no positives at all no cut scores above F1 0, so the default stays."""
    assert best_threshold([0.1, 0.9], [False, False]) == DEFAULT


def test_shrinkage_follows_the_evidence() -> None:
    """No prior leaves the optimum alone; many positives keep most of it; few keep little."""
    assert shrunk(0.2, 3, 0.0) == 0.2
    assert shrunk(0.2, 900, 100.0) == pytest.approx(0.2 + 0.3 * 100 / 1000)
    assert shrunk(0.2, 3, 100.0) > 0.49


def test_rare_codes_are_pulled_harder_than_frequent_ones() -> None:
    """Two codes with the same held-out optimum: the rare one ends nearer 0.5."""
    rows, cats = [], []
    for i in range(400):
        frequent = i % 2 == 0
        rare = i % 100 == 0
        rows.append([0.3 if frequent else 0.05, 0.3 if rare else 0.05])
        cats.append({"1": float(frequent), "2": float(rare)})
    plain = best_thresholds(rows, cats, [1, 2])
    assert plain[1] == plain[2]
    pulled = best_thresholds(rows, cats, [1, 2], prior=50.0)
    assert abs(pulled[1] - plain[1]) < abs(pulled[2] - plain[2])
    assert plain[2] < pulled[2] < DEFAULT
