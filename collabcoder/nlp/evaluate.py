"""How good the learned suggestions are: k-fold cross-validation and a learning curve, with the
standard text classifier (:mod:`collabcoder.nlp.baseline`) on the very same folds beside ours.

Only completely coded texts are tested; rejected suggestions and codebook texts join every
training fold (they are evidence, but say nothing about the other codes of their span). Each
fold's model, with its calibration and thresholds, is trained on that fold's training texts
alone. A code is scored when it has at least ``settings.min_positives`` coded examples; a fold
model that could not learn it simply never predicts it, which counts against it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from collabcoder.core.errors import Cancelled, InvalidValue
from collabcoder.core.progress import CancelToken, Progress
from collabcoder.nlp.learned import LabelledText, LearnedSuggester, TrainingSettings
from collabcoder.nlp.metrics import Scores, score

CURVE_START = (100, 250, 500, 1000)


class Predictor(Protocol):
    def predict(
        self, texts: Sequence[str], contexts: Sequence[Sequence[str]] = ()
    ) -> list[frozenset[int]]: ...


# Trains on the examples given (and nothing else) and returns what predicts the held-out texts.
Trainer = Callable[[Sequence[LabelledText], TrainingSettings, CancelToken | None], Predictor]


def train_ours(
    examples: Sequence[LabelledText], settings: TrainingSettings, cancel: CancelToken | None
) -> Predictor:
    """The learned suggester."""
    return LearnedSuggester.train(examples, settings, cancel=cancel)


def train_baseline(
    examples: Sequence[LabelledText], settings: TrainingSettings, cancel: CancelToken | None
) -> Predictor:
    """The standard scikit-learn classifier, with the same seed and minimum of positives."""
    from collabcoder.nlp.baseline import BaselineClassifier, BaselineSettings

    chosen = BaselineSettings(min_positives=settings.min_positives, seed=settings.seed)
    return BaselineClassifier.train(examples, chosen)


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """F1 on a fixed held-out set after training on the first ``documents`` coded texts."""

    documents: int
    micro_f1: float
    macro_f1: float


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold predictions for every complete text, and the metrics over them.

    ``scores`` pools every fold's predictions (each text tested once) and scores them together,
    as scikit-learn's ``f1_score`` does on the stacked out-of-fold predictions. ``fold_scores``
    scores each fold alone over the same codes: a code with no positives in a fold and never
    predicted there scores F1 0 (scikit-learn's ``zero_division=0``), so with rare codes the
    fold average of macro-F1 is lower than the pooled figure.
    """

    scores: Scores
    codes: tuple[int, ...]
    truth: tuple[frozenset[int], ...]
    predicted: tuple[frozenset[int], ...]
    fold_scores: tuple[Scores, ...] = ()

    @property
    def fold_micro_f1(self) -> float:
        """Micro-F1 averaged over the folds."""
        return sum(s.micro.f1 for s in self.fold_scores) / (len(self.fold_scores) or 1)

    @property
    def fold_macro_f1(self) -> float:
        """Macro-F1 averaged over the folds."""
        return sum(s.macro.f1 for s in self.fold_scores) / (len(self.fold_scores) or 1)


@dataclass(frozen=True)
class Evaluation:
    """Cross-validated metrics over the coded texts, and the learning curve."""

    scores: Scores
    folds: int
    documents: int
    codes: tuple[int, ...]
    learning_curve: tuple[CurvePoint, ...]
    seconds: float
    baseline: Scores | None = None  # the standard classifier on the same folds
    baseline_curve: tuple[CurvePoint, ...] = ()  # its learning curve, on the same subsets


def curve_sizes(available: int) -> list[int]:
    """100, 250, 500, 1000, then doubling, below ``available``; then ``available`` itself."""
    sizes = [n for n in CURVE_START if n < available]
    n = CURVE_START[-1] * 2
    while n < available:
        sizes.append(n)
        n *= 2
    return [*sizes, available]


def scored_codes(examples: Sequence[LabelledText], min_positives: int) -> list[int]:
    """Codes with enough coded examples among the complete texts to be learned and scored."""
    counts: dict[int, int] = {}
    for example in examples:
        if example.complete and not example.prior:
            for code in example.positives:
                counts[code] = counts.get(code, 0) + 1
    return sorted(code for code, n in counts.items() if n >= min_positives)


def tested(example: LabelledText) -> bool:
    """Whether an example is a coded text to test on (not a rejection, not codebook text)."""
    return example.complete and not example.prior


def split_folds(examples: Sequence[LabelledText], folds: int, seed: int) -> list[list[int]]:
    """The rows of the tested examples dealt into ``folds`` disjoint folds after a shuffle."""
    rows = [i for i, e in enumerate(examples) if tested(e)]
    random.Random(seed).shuffle(rows)
    return [rows[fold::folds] for fold in range(folds)]


def _predict(
    examples: Sequence[LabelledText],
    train: Sequence[int],
    test: Sequence[int],
    settings: TrainingSettings,
    cancel: CancelToken | None,
    trainer: Trainer = train_ours,
) -> list[frozenset[int]]:
    if cancel is not None and cancel.is_set():  # the baseline cannot stop inside its training
        raise Cancelled("evaluating suggestions was cancelled")
    model = trainer([examples[i] for i in train], settings, cancel)
    return model.predict([examples[i].text for i in test], [examples[i].context for i in test])


def cross_validate(
    examples: Sequence[LabelledText],
    folds: int = 5,
    settings: TrainingSettings | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    trainer: Trainer = train_ours,
    only_folds: Sequence[int] | None = None,
) -> CrossValidation:
    """Train on all folds but one, predict that one, for each fold in turn; score the lot.

    ``only_folds`` runs some of the folds only (the same folds as a full run: for quick looks).
    """
    settings = settings or TrainingSettings()
    parts = split_folds(examples, folds, settings.seed)
    if folds < 2 or any(not part for part in parts):
        raise InvalidValue(f"{folds}-fold cross-validation needs at least {folds} coded texts")
    codes = scored_codes(examples, settings.min_positives)
    always = [i for i, e in enumerate(examples) if not tested(e)]
    truth: list[frozenset[int]] = []
    predicted: list[frozenset[int]] = []
    per_fold: list[Scores] = []
    chosen = range(folds) if only_folds is None else only_folds
    for done, fold in enumerate(chosen, start=1):
        test = parts[fold]
        train = [i for other, part in enumerate(parts) if other != fold for i in part]
        fold_predicted = _predict(examples, train + always, test, settings, cancel, trainer)
        fold_truth = [examples[i].positives for i in test]
        per_fold.append(score(fold_truth, fold_predicted, codes))
        predicted += fold_predicted
        truth += fold_truth
        if progress is not None:
            progress(done, len(chosen), f"Cross-validating: fold {done} of {len(chosen)}")
    return CrossValidation(
        score(truth, predicted, codes),
        tuple(codes),
        tuple(truth),
        tuple(predicted),
        tuple(per_fold),
    )


def learning_curve(
    examples: Sequence[LabelledText],
    settings: TrainingSettings | None = None,
    held_out_share: float = 0.2,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    trainer: Trainer = train_ours,
) -> list[CurvePoint]:
    """F1 on one held-out share after training on 100, 250, 500, 1000, ... of the rest (the
    same held-out share and training subsets whichever ``trainer``)."""
    settings = settings or TrainingSettings()
    folds = max(2, round(1 / held_out_share))
    parts = split_folds(examples, folds, settings.seed)
    test = parts[0]
    pool = [i for part in parts[1:] for i in part]
    always = [i for i, e in enumerate(examples) if not tested(e)]
    codes = scored_codes(examples, settings.min_positives)
    truth = [examples[i].positives for i in test]
    sizes = curve_sizes(len(pool))
    points = []
    for done, size in enumerate(sizes, start=1):
        train = pool[:size]
        if len(scored_codes([examples[i] for i in train], settings.min_positives)) == 0:
            continue  # too few coded examples yet for any code: no model, no point
        predicted = _predict(examples, train + always, test, settings, cancel, trainer)
        result = score(truth, predicted, codes)
        points.append(CurvePoint(size, result.micro.f1, result.macro.f1))
        if progress is not None:
            progress(done, len(sizes), f"Learning curve: {size} texts")
    return points


def evaluate(
    examples: Sequence[LabelledText],
    folds: int = 5,
    settings: TrainingSettings | None = None,
    with_curve: bool = True,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    with_baseline: bool = True,
) -> Evaluation:
    """Cross-validated metrics, the baseline's on the same folds and (optionally) the learning
    curves of both for a set of coded texts."""
    began = time.perf_counter()
    result = cross_validate(examples, folds, settings, progress, cancel)
    baseline = (
        cross_validate(examples, folds, settings, progress, cancel, train_baseline).scores
        if with_baseline
        else None
    )
    curve = (
        learning_curve(examples, settings, progress=progress, cancel=cancel) if with_curve else []
    )
    baseline_curve = (
        learning_curve(examples, settings, progress=progress, cancel=cancel, trainer=train_baseline)
        if with_curve and with_baseline
        else []
    )
    return Evaluation(
        scores=result.scores,
        folds=folds,
        documents=sum(1 for e in examples if tested(e)),
        codes=result.codes,
        learning_curve=tuple(curve),
        seconds=round(time.perf_counter() - began, 2),
        baseline=baseline,
        baseline_curve=tuple(baseline_curve),
    )
