"""Per-code decision thresholds chosen on held-out (out-of-fold) calibrated scores.

Each code's own F1-best cut is noisy when it rests on a few held-out positives, and a rare
code's optimum is often very low: on real data (NHS comments, 44 codes) raw per-code optima
flood the suggestions with false positives of rare codes and cost several points of micro-F1.
So one cut is chosen for all codes together (the one maximising micro-F1 over every held-out
decision), and each code's own cut pulls away from it in proportion to its evidence.

A code's own cut is half the best F1 it reaches on the held-out scores, not the cut that reached
it: for calibrated probabilities the F1-optimal cut is half the optimal F1 (Lipton, Elkan and
Naryanaswamy, "Thresholding classifiers to maximize F1 score", 2014), and the best F1 is a far
steadier estimate than where, among a handful of held-out positives, the best cut happened to
fall. On NHS comments this is ahead of the argmax cut on micro- and macro-F1 both, and needs
less pull towards the shared cut (``TrainingSettings.threshold_prior`` 5, down from 20).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

CANDIDATES = tuple(round(0.02 * i, 2) for i in range(1, 48))  # 0.02 .. 0.94
DEFAULT = 0.5


def _f1_by_threshold(scores: Sequence[float], truth: Sequence[bool]) -> list[float]:
    """F1 of ``scores >= threshold`` against ``truth`` for each of :data:`CANDIDATES`."""
    positives = sum(truth)
    result = []
    for threshold in CANDIDATES:
        tp = fp = 0
        for value, true in zip(scores, truth, strict=True):
            if value >= threshold:
                if true:
                    tp += 1
                else:
                    fp += 1
        denominator = tp + fp + positives
        result.append(2 * tp / denominator if denominator else 0.0)
    return result


def best_threshold(scores: Sequence[float], truth: Sequence[bool]) -> float:
    """The threshold maximising F1 of ``scores >= threshold`` against ``truth``.

    Where several thresholds tie, their middle is taken so that a small shift in scores on new
    data does not tip the decision. A code never found (F1 0 everywhere) keeps the default.
    """
    best = 0.0
    chosen: list[float] = []
    for threshold, f1 in zip(CANDIDATES, _f1_by_threshold(scores, truth), strict=True):
        if f1 > best + 1e-12:
            best, chosen = f1, [threshold]
        elif f1 > 0 and abs(f1 - best) <= 1e-12:
            chosen.append(threshold)
    return chosen[len(chosen) // 2] if chosen else DEFAULT


def shrunk(threshold: float, positives: int, prior: float, towards: float = DEFAULT) -> float:
    """``threshold`` moved towards ``towards`` as if ``prior`` more positives had voted for it."""
    if prior <= 0:
        return threshold
    weight = positives / (positives + prior)
    return round(weight * threshold + (1 - weight) * towards, 4)


def shared_threshold(scores: np.ndarray, truth: np.ndarray, known: np.ndarray) -> float:
    """The one cut maximising micro-F1 over every known (text, code) decision."""
    values, labels = scores[known], truth[known].astype(bool)
    positives = int(labels.sum())
    best, chosen = -1.0, DEFAULT
    for threshold in CANDIDATES:
        hit = values >= threshold
        tp = int((hit & labels).sum())
        denominator = int(hit.sum()) + positives
        f1 = 2 * tp / denominator if denominator else 0.0
        if f1 > best + 1e-12:
            best, chosen = f1, threshold
    return chosen


def code_thresholds(
    scores: np.ndarray, truth: np.ndarray, known: np.ndarray, prior: float
) -> list[float]:
    """One threshold per code (column): half its best held-out F1, shrunk towards the shared
    cut (a code never found on held-out texts takes the shared cut)."""
    shared = shared_threshold(scores, truth, known)
    result = []
    for j in range(scores.shape[1]):
        rows = known[:, j]
        labels = [bool(v) for v in truth[rows, j]]
        best = max(_f1_by_threshold([float(v) for v in scores[rows, j]], labels), default=0.0)
        own = best / 2 if best > 0 else shared
        result.append(shrunk(own, sum(labels), prior, towards=shared))
    return result
