"""Per-code decision thresholds chosen on held-out scores.

A fixed 0.5 suits frequent codes only: a code seen a dozen times rarely scores that high even
when it applies. Each code gets the threshold that maximises its F1 on held-out examples, pulled
towards 0.5 in proportion to how little evidence it rests on: the optimum for a code with three
held-out positives is mostly noise, and on real data (NHS comments, 44 codes) raw per-code
optima cost several points of micro-F1 without raising macro-F1. The held-out scores come from
models trained on part of the data, which score lower than the final model, so pulling towards
0.5 also corrects that bias.
"""

from __future__ import annotations

from collections.abc import Sequence

CANDIDATES = tuple(round(0.02 * i, 2) for i in range(1, 48))  # 0.02 .. 0.94
DEFAULT = 0.5


def best_threshold(scores: Sequence[float], truth: Sequence[bool]) -> float:
    """The threshold maximising F1 of ``scores >= threshold`` against ``truth``.

    Where several thresholds tie, their middle is taken so that a small shift in scores on new
    data does not tip the decision. A code never found (F1 0 everywhere) keeps the default.
    """
    positives = sum(truth)
    best = 0.0
    chosen: list[float] = []
    for threshold in CANDIDATES:
        tp = fp = 0
        for value, true in zip(scores, truth, strict=True):
            if value >= threshold:
                if true:
                    tp += 1
                else:
                    fp += 1
        denominator = tp + fp + positives
        f1 = 2 * tp / denominator if denominator else 0.0
        if f1 > best + 1e-12:
            best, chosen = f1, [threshold]
        elif f1 > 0 and abs(f1 - best) <= 1e-12:
            chosen.append(threshold)
    return chosen[len(chosen) // 2] if chosen else DEFAULT


def shrunk(threshold: float, positives: int, prior: float) -> float:
    """``threshold`` moved towards the default as if ``prior`` more positives had voted for it."""
    if prior <= 0:
        return threshold
    weight = positives / (positives + prior)
    return round(weight * threshold + (1 - weight) * DEFAULT, 4)


def best_thresholds(
    scores: Sequence[Sequence[float]],
    cats: Sequence[dict[str, float]],
    codes: Sequence[int],
    prior: float = 0.0,
) -> dict[int, float]:
    """One threshold per code from held-out ``scores`` (rows) and known labels ``cats``.

    Examples whose label for a code is unknown (a rejection about another code) are skipped.
    ``prior`` > 0 shrinks each code's optimum towards the default (see :func:`shrunk`).
    """
    result = {}
    for column, code in enumerate(codes):
        label = str(code)
        pairs = [
            (row[column], cat[label] >= 0.5)
            for row, cat in zip(scores, cats, strict=True)
            if label in cat
        ]
        truth = [p[1] for p in pairs]
        result[code] = shrunk(best_threshold([p[0] for p in pairs], truth), sum(truth), prior)
    return result
