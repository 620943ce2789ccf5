"""Precision, recall and F1 for multi-label suggestions, computed the way scikit-learn does.

Undefined ratios (no predictions, no positives) count as 0, as scikit-learn's default does; the
macro average is the mean of the per-code figures, the micro average pools every decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CodeMetrics:
    """How well one code was suggested: counts and ratios over every unit tested."""

    code_id: int
    support: int  # units that truly have the code
    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class Averages:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class Scores:
    """Per-code metrics with their micro and macro averages."""

    per_code: tuple[CodeMetrics, ...]
    micro: Averages
    macro: Averages


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(tp: int, fp: int, fn: int) -> float:
    return _ratio(2 * tp, 2 * tp + fp + fn)


def score(
    truth: Sequence[frozenset[int]], predicted: Sequence[frozenset[int]], codes: Sequence[int]
) -> Scores:
    """Compare the true and predicted code sets of each unit, code by code."""
    if len(truth) != len(predicted):
        raise ValueError(f"{len(truth)} true label sets but {len(predicted)} predictions")
    per_code = []
    for code in codes:
        tp = fp = fn = 0
        for true, guess in zip(truth, predicted, strict=True):
            if code in guess:
                if code in true:
                    tp += 1
                else:
                    fp += 1
            elif code in true:
                fn += 1
        per_code.append(
            CodeMetrics(
                code_id=code,
                support=tp + fn,
                true_positives=tp,
                false_positives=fp,
                false_negatives=fn,
                precision=_ratio(tp, tp + fp),
                recall=_ratio(tp, tp + fn),
                f1=_f1(tp, fp, fn),
            )
        )
    tp = sum(m.true_positives for m in per_code)
    fp = sum(m.false_positives for m in per_code)
    fn = sum(m.false_negatives for m in per_code)
    count = len(per_code) or 1
    return Scores(
        per_code=tuple(per_code),
        micro=Averages(_ratio(tp, tp + fp), _ratio(tp, tp + fn), _f1(tp, fp, fn)),
        macro=Averages(
            sum(m.precision for m in per_code) / count,
            sum(m.recall for m in per_code) / count,
            sum(m.f1 for m in per_code) / count,
        ),
    )
