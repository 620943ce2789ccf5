"""Per-code thresholds: the F1-best cut on held-out scores, shrunk towards the shared cut."""

from __future__ import annotations

import numpy as np
import pytest

from collabcoder.nlp.thresholds import (
    DEFAULT,
    best_threshold,
    code_thresholds,
    shared_threshold,
    shrunk,
)


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
    """Two codes with the same held-out optimum: the rare one ends nearer the shared cut, and
    no prior leaves both at their own optimum."""
    rows, truth = [], []
    for i in range(400):
        frequent = i % 2 == 0
        rare = i % 100 == 0
        rows.append([0.3 if frequent else 0.05, 0.3 if rare else 0.05])
        truth.append([int(frequent), int(rare)])
    scores, labels = np.array(rows), np.array(truth)
    known = np.ones(scores.shape, dtype=bool)
    shared = shared_threshold(scores, labels, known)
    plain = code_thresholds(scores, labels, known, prior=0.0)
    assert plain[0] == plain[1]
    pulled = code_thresholds(scores, labels, known, prior=50.0)
    assert abs(pulled[0] - plain[0]) < abs(pulled[1] - plain[1])
    assert shared == plain[0] or abs(pulled[1] - shared) < abs(plain[1] - shared)


def test_unknown_labels_are_left_out() -> None:
    """A row whose label for a code is unknown (a rejection of another code) does not count:
    here the unknown rows would be false positives at every cut."""
    scores = np.array([[0.9], [0.9], [0.1], [0.9], [0.9]])
    labels = np.array([[1], [1], [0], [0], [0]])
    known = np.array([[True], [True], [True], [False], [False]])
    assert 0.1 < code_thresholds(scores, labels, known, prior=0.0)[0] <= 0.9
    assert shared_threshold(scores, labels, known) > 0.1


def test_a_codes_own_cut_is_half_its_best_held_out_f1() -> None:
    """Scores whose best cut reaches F1 8/9: the code's own threshold (no shrinkage) is 4/9,
    not the 0.3 where, among a few positives, the best cut happened to fall."""
    scores = np.array([[0.9], [0.8], [0.7], [0.6], [0.3], [0.2], [0.1], [0.1], [0.1], [0.1]])
    labels = np.array([[1], [1], [1], [0], [1], [0], [0], [0], [0], [0]])
    known = np.ones(scores.shape, dtype=bool)
    # Best F1: cut at 0.7 (tp 3, fp 0, fn 1) gives 6/7; at 0.3 (tp 4, fp 1) gives 8/9.
    assert code_thresholds(scores, labels, known, prior=0.0)[0] == pytest.approx(8 / 9 / 2)
