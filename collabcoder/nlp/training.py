"""How the learned model is trained: labels from coded texts, rejections and codebook text;
out-of-fold scores to choose the regularisation strength, calibration, thresholds and whether
every text gets at least its best code; then the model on everything.

A fold model never sees the texts it is scored on, and codebook text (``prior``) is never held
out, so calibration and thresholds rest on the team's real coding only.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from collabcoder.nlp.features import text_lemmas
from collabcoder.nlp.linear import (
    FeatureSettings,
    HashedTexts,
    Inputs,
    LinearModel,
    Vectoriser,
    calibrated,
    decide,
    fit_decisions,
    platt,
)
from collabcoder.nlp.pipeline import load_pipeline
from collabcoder.nlp.thresholds import code_thresholds

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True, slots=True)
class LabelledText:
    """A text and what the team decided about it.

    ``complete`` means the text was coded in full, so every code outside ``positives`` is known
    not to apply; a rejected suggestion is an incomplete example whose only label is a negative.
    ``prior`` marks text from the codebook rather than from coding: it is always trained on and
    never held out to score, calibrate or evaluate with. ``context`` is what is known of where
    the text comes from, as "name: value" (its document's case attributes: the survey question
    it answers, the service).
    """

    text: str
    positives: frozenset[int] = frozenset()
    negatives: frozenset[int] = frozenset()
    complete: bool = True
    prior: bool = False
    context: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TrainingSettings:
    """How the model is built and trained (recorded with it)."""

    # Inverse regularisation strengths of each code's logistic regression to choose from, on
    # out-of-fold predictions of the training texts (the mean of their micro- and macro-F1).
    c_grid: tuple[float, ...] = (1.0, 3.0)
    word_ngrams: int = 2
    # Character n-grams (within words) from char_min to char_max letters; 0: none. They catch
    # misspellings and word parts ("appointment"/"appointments", "A&E").
    char_min: int = 2
    char_max: int = 5
    min_df: int = 2  # an n-gram in fewer training texts is ignored
    threshold_folds: int = 3  # out-of-fold predictions for calibration and thresholds
    # Pseudo-count pulling each code's threshold towards the cut shared by all codes: a code
    # with n held-out positives keeps n / (n + threshold_prior) of its own cut. A project starting
    # out has one or two held-out positives per code, too few for a cut of its own (with no pull
    # the sample project gets no learned suggestion); on NHS comments 5 costs 0.005 macro-F1.
    threshold_prior: float = 5.0
    min_positives: int = 2  # a code with fewer coded examples is not learned
    prior_weight: float = 1.0  # of a codebook text against one coded text
    # How far a text of several sentences scores towards its best sentence (0: the whole text
    # only; 1: its best sentence, or the whole text where that is higher).
    sentence_share: float = 0.5
    # Read each text's context (its case's attribute values) as features beside its words.
    context: bool = True
    # Pseudo-count of the naive-Bayes log-count ratios that scale each code's features (see
    # linear.fit_decisions); 0: plain TF-IDF. The scaled features want stronger regularisation
    # than plain ones did (C 10-30).
    nb_smoothing: float = 1.0
    seed: int = 0

    def features(self) -> FeatureSettings:
        return FeatureSettings(
            self.word_ngrams, (self.char_min, self.char_max), self.min_df, self.context
        )


def inputs_of(texts: Sequence[str], contexts: Sequence[Sequence[str]] = ()) -> Inputs:
    """Texts as the model reads them (lemmas and sentences from the shared spaCy pipeline)."""
    read = text_lemmas(load_pipeline(), texts)
    return Inputs.of(
        [words for words, _ in read],
        [t.lower() for t in texts],
        [parts for _, parts in read],
        contexts,
    )


@dataclass
class _Labels:
    values: np.ndarray  # texts x codes, 1 where the code applies
    known: np.ndarray  # texts x codes, True where the text says whether it applies
    weights: np.ndarray


def _labels(examples: Sequence[LabelledText], codes: Sequence[int], prior_weight: float) -> _Labels:
    import numpy as np

    column = {code: j for j, code in enumerate(codes)}
    values = np.zeros((len(examples), len(codes)), dtype=np.int8)
    known = np.zeros((len(examples), len(codes)), dtype=bool)
    for i, example in enumerate(examples):
        if example.complete:
            known[i] = True
        for code in example.positives | example.negatives:
            if code in column:
                known[i, column[code]] = True
        for code in example.positives:
            if code in column:
                values[i, column[code]] = 1
    weights = np.array([prior_weight if e.prior else 1.0 for e in examples])
    return _Labels(values, known, weights)


def _fit(
    features: HashedTexts,
    labels: _Labels,
    rows: Sequence[int],
    settings: TrainingSettings,
    c: float,
    step: Callable[[], None],
) -> tuple[Vectoriser, np.ndarray, np.ndarray]:
    """Features and per-code weights learned from ``rows`` only."""
    import numpy as np

    chosen = np.asarray(rows, dtype=np.int64)
    part = [block[chosen] for block in features.blocks]
    vectoriser = Vectoriser.fit(part, settings.features())
    coef, intercept = fit_decisions(
        vectoriser.weigh(part),
        labels.values[chosen],
        labels.known[chosen],
        labels.weights[chosen],
        c,
        step,
        settings.nb_smoothing,
    )
    return vectoriser, coef, intercept


@dataclass
class _Choice:
    """What the out-of-fold predictions of one regularisation strength lead to."""

    c: float
    quality: float
    calibration: np.ndarray
    thresholds: np.ndarray
    at_least_one: bool


def _out_of_fold(
    features: HashedTexts,
    labels: _Labels,
    folds: list[list[int]],
    always: list[int],
    settings: TrainingSettings,
    c: float,
    step: Callable[[], None],
) -> np.ndarray:
    """Decision values of every held-out text from the model trained without its fold."""
    import numpy as np

    decisions = np.zeros(labels.values.shape)
    for test in folds:
        taken = set(test)
        train = [i for part in folds for i in part if i not in taken] + always
        vectoriser, coef, intercept = _fit(features, labels, train, settings, c, step)
        decisions[test] = features.decisions(
            vectoriser, coef, intercept, test, settings.sentence_share
        )
    return decisions


def _choose(
    c: float, decisions: np.ndarray, labels: _Labels, scored: np.ndarray, settings: TrainingSettings
) -> _Choice:
    """Calibration, thresholds and the at-least-one rule from out-of-fold decision values, and
    how good they are on those same held-out texts."""
    import numpy as np

    known = labels.known & scored[:, None]
    codes = labels.values.shape[1]
    calibration = np.zeros((codes, 2))
    for j in range(codes):
        rows = known[:, j]
        calibration[j] = platt(decisions[rows, j], labels.values[rows, j]) if rows.any() else (1, 0)
    probabilities = calibrated(decisions, calibration)
    thresholds = np.array(
        code_thresholds(probabilities, labels.values, known, settings.threshold_prior)
    )
    complete = scored & known.all(axis=1)
    truth, scores = labels.values[complete], probabilities[complete]
    quality = f1_quality(truth, decide(scores, thresholds, False))
    # Where every coded text has a code, a text none clears is still likely to have its best one.
    every = bool(len(truth)) and bool(truth.any(axis=1).all())
    filled = f1_quality(truth, decide(scores, thresholds, True)) if every else -1.0
    return _Choice(c, max(quality, filled), calibration, thresholds, filled > quality)


def f1_quality(truth: np.ndarray, predicted: np.ndarray) -> float:
    """The mean of micro- and macro-F1 (macro over the codes with a held-out positive)."""
    tp = (truth & predicted).sum(axis=0)
    positives, guesses = truth.sum(axis=0), predicted.sum(axis=0)
    micro = 2 * tp.sum() / max(positives.sum() + guesses.sum(), 1)
    present = positives > 0
    macro = (
        (2 * tp[present] / (positives[present] + guesses[present])).mean() if present.any() else 0
    )
    return float(micro + macro) / 2


def train_model(
    examples: Sequence[LabelledText],
    codes: Sequence[int],
    settings: TrainingSettings,
    step: Callable[[], None] = lambda: None,
    inputs: Inputs | None = None,
) -> LinearModel:
    """For each strength in ``settings.c_grid``, ``settings.threshold_folds`` models each
    trained without one fold of the coded texts and scored on it; the strength whose calibrated,
    thresholded out-of-fold predictions are best is kept, with its calibration, thresholds and
    at-least-one rule; then the model with it trained on everything."""
    import numpy as np

    if inputs is None:
        inputs = inputs_of([e.text for e in examples], [e.context for e in examples])
    features = HashedTexts.of(inputs, settings.features())
    labels = _labels(examples, codes, settings.prior_weight)
    held_out = [i for i, e in enumerate(examples) if not e.prior]
    always = [i for i, e in enumerate(examples) if e.prior]
    folds = settings.threshold_folds if len(held_out) >= 2 * settings.threshold_folds else 0
    choice = _Choice(
        settings.c_grid[0],
        0.0,
        np.tile([1.0, 0.0], (len(codes), 1)),
        np.full(len(codes), 0.5),
        False,
    )
    if folds >= 2:
        random.Random(settings.seed).shuffle(held_out)
        parts = [held_out[fold::folds] for fold in range(folds)]
        scored = np.zeros(len(examples), dtype=bool)
        scored[held_out] = True
        best: _Choice | None = None
        for c in settings.c_grid:
            decisions = _out_of_fold(features, labels, parts, always, settings, c, step)
            candidate = _choose(c, decisions, labels, scored, settings)
            if best is None or candidate.quality > best.quality + 1e-12:
                best = candidate
        assert best is not None
        choice = best
    vectoriser, coef, intercept = _fit(
        features, labels, range(len(examples)), settings, choice.c, step
    )
    return LinearModel(
        vectoriser,
        coef,
        intercept,
        choice.calibration,
        choice.thresholds,
        choice.at_least_one,
        settings.sentence_share,
    )


def learnable_codes(examples: Sequence[LabelledText], min_positives: int) -> list[int]:
    """Codes with at least ``min_positives`` coded (not codebook) examples."""
    counts: dict[int, int] = {}
    for example in examples:
        if not example.prior:
            for code in example.positives:
                counts[code] = counts.get(code, 0) + 1
    return sorted(code for code, n in counts.items() if n >= min_positives)
