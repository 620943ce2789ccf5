"""The learned suggester: a linear model per code trained on the team's coding.

Positives are coded texts; negatives are the codes a unit was coded without (when its coding is
complete) and rejected suggestions; the codebook's own words (definitions, inclusion criteria,
examples, keywords) are extra positives of their code, which matters most for codes with few
coded examples. The model reads lower-case lemmas (so "trusted" and "trusts" are one feature) and,
optionally, character n-grams. Its scores are calibrated on out-of-fold predictions, so a score of
0.8 means that about 80 % of such units had the code; each code's threshold is chosen on the
same out-of-fold scores. A trained model serialises to bytes (msgpack, no pickle) together with
a record of what it was trained on.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from collabcoder.core.errors import Cancelled, InvalidValue
from collabcoder.nlp.features import EMPTY, lemma_lists, unit_lemmas
from collabcoder.nlp.linear import (
    FeatureSettings,
    Inputs,
    LinearModel,
    Vectoriser,
    fit_decisions,
    platt,
)
from collabcoder.nlp.pipeline import load_pipeline
from collabcoder.nlp.suggestion import DocumentText, RejectedSpans, Suggestion
from collabcoder.nlp.thresholds import code_thresholds
from collabcoder.nlp.units import SHORT_DOCUMENT_WORDS

if TYPE_CHECKING:
    import numpy as np

    from collabcoder.nlp.units import Unit

Progress = Callable[[int, int], None]  # (steps done, steps in all)
CancelCheck = Callable[[], bool]

REASON_WORDS = 3
FORMAT = 2  # of the stored blob; 1 was a spaCy textcat model


@dataclass(frozen=True, slots=True)
class LabelledText:
    """A text and what the team decided about it.

    ``complete`` means the text was coded in full, so every code outside ``positives`` is known
    not to apply; a rejected suggestion is an incomplete example whose only label is a negative.
    ``prior`` marks text from the codebook rather than from coding: it is always trained on and
    never held out to score, calibrate or evaluate with.
    """

    text: str
    positives: frozenset[int] = frozenset()
    negatives: frozenset[int] = frozenset()
    complete: bool = True
    prior: bool = False


@dataclass(frozen=True, slots=True)
class TrainingSettings:
    """How the model is built and trained (recorded with it)."""

    c: float = 10.0  # inverse regularisation strength of each code's logistic regression
    word_ngrams: int = 2
    # Character n-grams (within words) from char_min to char_max letters; 0: none. They catch
    # misspellings and word parts ("appointment"/"appointments", "A&E").
    char_min: int = 2
    char_max: int = 5
    min_df: int = 2  # an n-gram in fewer training texts is ignored
    threshold_folds: int = 3  # out-of-fold predictions for calibration and thresholds
    # Pseudo-count pulling each code's threshold towards the cut shared by all codes: a code
    # with n held-out positives keeps n / (n + threshold_prior) of its own optimum.
    threshold_prior: float = 30.0
    min_positives: int = 2  # a code with fewer coded examples is not learned
    prior_weight: float = 1.0  # of a codebook text against one coded text
    seed: int = 0

    def features(self) -> FeatureSettings:
        return FeatureSettings(self.word_ngrams, (self.char_min, self.char_max), self.min_df)


@dataclass(frozen=True)
class TrainingRecord:
    """What a model was trained on and how: stored beside it, shown to the team."""

    version: str
    trained_at: str
    examples: int
    rejections: int
    codes: tuple[int, ...]
    positives: dict[int, int]
    thresholds: dict[int, float]
    fingerprint: str
    settings: TrainingSettings
    seconds: float
    codebook_texts: int = 0

    def as_json(self) -> dict[str, Any]:
        """The record as JSON-ready data (code ids become strings in mappings)."""
        data = asdict(self)
        data["positives"] = {str(k): v for k, v in self.positives.items()}
        data["thresholds"] = {str(k): v for k, v in self.thresholds.items()}
        data["codes"] = list(self.codes)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainingRecord:
        values = dict(data)
        values["positives"] = {int(k): v for k, v in data["positives"].items()}
        values["thresholds"] = {int(k): v for k, v in data["thresholds"].items()}
        values["codes"] = tuple(data["codes"])
        values["settings"] = TrainingSettings(**data["settings"])
        return cls(**values)


def fingerprint(examples: Sequence[LabelledText], settings: TrainingSettings) -> str:
    """SHA-256 of the training data and settings: equal fingerprints, equal models."""
    digest = hashlib.sha256(repr(settings).encode())
    for example in examples:
        digest.update(example.text.encode())
        labels = (sorted(example.positives), sorted(example.negatives), example.complete)
        digest.update(repr((*labels, example.prior)).encode())
    return digest.hexdigest()


def inputs_of(texts: Sequence[str]) -> Inputs:
    """Texts as the model reads them (lemmas from the shared spaCy pipeline)."""
    lemmas = lemma_lists(load_pipeline(), texts)
    return Inputs([" ".join(words) for words in lemmas], [text.lower() for text in texts])


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
    inputs: Inputs,
    labels: _Labels,
    rows: Sequence[int],
    settings: TrainingSettings,
    step: Callable[[], None],
) -> tuple[Vectoriser, np.ndarray, np.ndarray]:
    """Features and per-code weights learned from ``rows`` only."""
    import numpy as np

    chosen = np.asarray(rows, dtype=np.int64)
    part = inputs.take(list(rows))
    vectoriser = Vectoriser.fit(part, settings.features())
    coef, intercept = fit_decisions(
        vectoriser.transform(part),
        labels.values[chosen],
        labels.known[chosen],
        labels.weights[chosen],
        settings.c,
        step,
    )
    return vectoriser, coef, intercept


def train_model(
    examples: Sequence[LabelledText],
    codes: Sequence[int],
    settings: TrainingSettings,
    step: Callable[[], None] = lambda: None,
    inputs: Inputs | None = None,
) -> LinearModel:
    """Calibration and thresholds from ``settings.threshold_folds`` models each trained without
    one fold of the coded texts and scored on it; then the model trained on everything."""
    import numpy as np

    inputs = inputs if inputs is not None else inputs_of([e.text for e in examples])
    labels = _labels(examples, codes, settings.prior_weight)
    held_out = [i for i, e in enumerate(examples) if not e.prior]
    always = [i for i, e in enumerate(examples) if e.prior]
    folds = settings.threshold_folds if len(held_out) >= 2 * settings.threshold_folds else 0
    decisions = np.zeros(labels.values.shape)
    scored = np.zeros(len(examples), dtype=bool)
    if folds >= 2:
        random.Random(settings.seed).shuffle(held_out)
        for fold in range(folds):
            test = held_out[fold::folds]
            taken = set(test)
            train = [i for i in held_out if i not in taken] + always
            vectoriser, coef, intercept = _fit(inputs, labels, train, settings, step)
            x = vectoriser.transform(inputs.take(test))
            decisions[test] = np.asarray(x @ coef.T) + intercept
            scored[test] = True
    vectoriser, coef, intercept = _fit(inputs, labels, range(len(examples)), settings, step)
    known = labels.known & scored[:, None]
    calibration = np.zeros((len(codes), 2))
    for j in range(len(codes)):
        rows = known[:, j]
        calibration[j] = platt(decisions[rows, j], labels.values[rows, j]) if rows.any() else (1, 0)
    model = LinearModel(vectoriser, coef, intercept, calibration, np.full(len(codes), 0.5))
    if known.any():
        z = decisions * calibration[:, 0] + calibration[:, 1]
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        model.thresholds = np.array(
            code_thresholds(probabilities, labels.values, known, settings.threshold_prior)
        )
    return model


def learnable_codes(examples: Sequence[LabelledText], min_positives: int) -> list[int]:
    """Codes with at least ``min_positives`` coded (not codebook) examples."""
    counts: dict[int, int] = {}
    for example in examples:
        if not example.prior:
            for code in example.positives:
                counts[code] = counts.get(code, 0) + 1
    return sorted(code for code, n in counts.items() if n >= min_positives)


class LearnedSuggester:
    """A trained model with per-code thresholds; suggests codes for units of text."""

    method = "learned"

    def __init__(self, model: LinearModel, record: TrainingRecord) -> None:
        self._model = model
        self.record = record

    @property
    def codes(self) -> tuple[int, ...]:
        return self.record.codes

    @property
    def version(self) -> str:
        return self.record.version

    @classmethod
    def train(
        cls,
        examples: Sequence[LabelledText],
        settings: TrainingSettings | None = None,
        progress: Progress | None = None,
        cancelled: CancelCheck | None = None,
    ) -> LearnedSuggester:
        """Train on ``examples`` (codes with too few coded positives are left out)."""
        settings = settings or TrainingSettings()
        began = time.perf_counter()
        codes = learnable_codes(examples, settings.min_positives)
        if not codes:
            raise InvalidValue(
                "nothing to learn from: no code has "
                f"{settings.min_positives} or more coded examples"
            )
        coded = sum(1 for e in examples if not e.prior)
        folds = settings.threshold_folds if coded >= 2 * settings.threshold_folds else 0
        total = len(codes) * ((folds if folds >= 2 else 0) + 1)
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total)
            if cancelled is not None and cancelled():
                raise Cancelled("training the suggestion model was cancelled")

        model = train_model(examples, codes, settings, step)
        data_print = fingerprint(examples, settings)
        positives = {code: 0 for code in codes}
        for example in examples:
            for code in example.positives:
                if code in positives and not example.prior:
                    positives[code] += 1
        record = TrainingRecord(
            version=f"learned-{data_print[:12]}",
            trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
            examples=sum(1 for e in examples if e.complete and not e.prior),
            rejections=sum(1 for e in examples if not e.complete and not e.prior),
            codes=tuple(codes),
            positives=positives,
            thresholds={c: float(t) for c, t in zip(codes, model.thresholds, strict=True)},
            fingerprint=data_print,
            settings=settings,
            seconds=round(time.perf_counter() - began, 2),
            codebook_texts=sum(1 for e in examples if e.prior),
        )
        return cls(model, record)

    def to_bytes(self) -> bytes:
        """The model and its training record as one msgpack blob (numbers and text only)."""
        import srsly

        return srsly.msgpack_dumps(
            {"format": FORMAT, "record": self.record.as_json(), "model": self._model.to_data()}
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> LearnedSuggester:
        """Rebuild a model stored with :meth:`to_bytes`."""
        import srsly

        try:
            blob = srsly.msgpack_loads(data)
            if blob.get("format") != FORMAT:
                raise ValueError("it was trained by an older version of CollabCoder; retrain it")
            model = LinearModel.from_data(blob["model"])
            record = TrainingRecord.from_json(blob["record"])
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise InvalidValue(f"the stored suggestion model cannot be read: {error}") from error
        return cls(model, record)

    def scores(self, texts: Sequence[str]) -> list[dict[int, float]]:
        """Calibrated scores per code for each text."""
        return self._scores_of(inputs_of(texts))

    def _scores_of(self, inputs: Inputs) -> list[dict[int, float]]:
        if not inputs.texts:
            return []
        rows = self._model.probabilities(inputs)
        return [dict(zip(self.codes, (float(v) for v in row), strict=True)) for row in rows]

    def predict(self, texts: Sequence[str]) -> list[frozenset[int]]:
        """The codes each text is predicted to have (scores at or over each code's threshold)."""
        thresholds = self.record.thresholds
        return [
            frozenset(code for code, value in scores.items() if value >= thresholds[code])
            for scores in self.scores(texts)
        ]

    def _reason(self, words: Sequence[str], code: int) -> str:
        """The unit's words with the highest weight for ``code`` in the model."""
        column = self.codes.index(code)
        weights = self._model.word_weights(sorted({w for w in words if w.isalpha()}), column)
        ranked = sorted((w for w, v in weights.items() if v > 0), key=lambda w: -weights[w])
        return "words: " + ", ".join(ranked[:REASON_WORDS])

    def suggest(
        self,
        documents: Iterable[DocumentText],
        rejected: RejectedSpans | None = None,
        short_words: int = SHORT_DOCUMENT_WORDS,
    ) -> list[Suggestion]:
        """Suggestions for every unit of ``documents`` scoring at or over the code's threshold."""
        documents = list(documents)
        units: list[tuple[int, Unit]] = []
        words: list[list[str]] = []
        for index, unit, lemmas in unit_lemmas(load_pipeline(), documents, short_words):
            units.append((index, unit))
            words.append(lemmas)
        texts = [documents[i].text[u.start : u.end].lower() for i, u in units]
        inputs = Inputs([" ".join(w) for w in words], texts)
        thresholds = self.record.thresholds
        result = []
        for (index, unit), lemmas, scores in zip(
            units, words, self._scores_of(inputs), strict=True
        ):
            for code, value in scores.items():
                if value < thresholds[code]:
                    continue
                suggestion = Suggestion(
                    document_id=documents[index].document_id,
                    start=unit.start,
                    end=unit.end,
                    code_id=code,
                    score=round(value, 4),
                    method=self.method,
                    reason=self._reason([w for w in lemmas if w != EMPTY], code),
                    model_version=self.version,
                )
                if rejected is None or not rejected.blocks(suggestion):
                    result.append(suggestion)
        return result
