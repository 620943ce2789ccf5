"""The learned suggester: a linear model per code trained on the team's coding.

Positives are coded texts; negatives are the codes a unit was coded without (when its coding is
complete) and rejected suggestions; the codebook's own words (definitions, inclusion criteria,
examples, keywords) are extra positives of their code, which matters most for codes with few
coded examples. The model reads lower-case lemmas (so "trusted" and "trusts" are one feature) and
character n-grams (see :mod:`collabcoder.nlp.training` for how it is trained). Its scores are
calibrated on out-of-fold predictions, so a score of 0.8 means that about 80 % of such units had
the code; each code's threshold is chosen on the same out-of-fold scores. A trained model
serialises to bytes (msgpack, no pickle) together with a record of what it was trained on.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from collabcoder.core.errors import Cancelled, InvalidValue
from collabcoder.core.progress import CancelToken, Progress
from collabcoder.nlp.features import EMPTY, Sentence, unit_lemmas
from collabcoder.nlp.linear import Inputs, LinearModel
from collabcoder.nlp.pipeline import load_pipeline
from collabcoder.nlp.suggestion import DocumentText, RejectedSpans, Suggestion
from collabcoder.nlp.training import (
    LabelledText,
    TrainingSettings,
    inputs_of,
    learnable_codes,
    train_model,
)
from collabcoder.nlp.units import SHORT_DOCUMENT_WORDS

if TYPE_CHECKING:
    from collabcoder.nlp.units import Unit

# The reason of a suggestion no single word or context item weighs for (character n-grams, or
# the sentence pooling, carried it).
NO_STANDOUT = "the text as a whole (no single word stands out)"
REASON_WORDS = 3
FORMAT = 3  # of the stored blob; 1 was a spaCy textcat model, 2 had no at-least-one rule


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
        values["settings"] = TrainingSettings(
            **{**data["settings"], "c_grid": tuple(data["settings"]["c_grid"])}
        )
        return cls(**values)


def fingerprint(examples: Sequence[LabelledText], settings: TrainingSettings) -> str:
    """SHA-256 of the training data and settings: equal fingerprints, equal models."""
    digest = hashlib.sha256(repr(settings).encode())
    for example in examples:
        digest.update(example.text.encode())
        labels = (sorted(example.positives), sorted(example.negatives), example.complete)
        digest.update(repr((*labels, example.prior, example.context)).encode())
    return digest.hexdigest()


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
        cancel: CancelToken | None = None,
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
        total = len(codes) * ((folds * len(settings.c_grid) if folds >= 2 else 0) + 1)
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total, f"Training on your coding: step {done} of {total}…")
            if cancel is not None and cancel.is_set():
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

    def scores(
        self, texts: Sequence[str], contexts: Sequence[Sequence[str]] = ()
    ) -> list[dict[int, float]]:
        """Calibrated scores per code for each text (with its context, if given)."""
        if not texts:
            return []
        rows = self._model.probabilities(inputs_of(texts, contexts))
        return [dict(zip(self.codes, (float(v) for v in row), strict=True)) for row in rows]

    def predict(
        self, texts: Sequence[str], contexts: Sequence[Sequence[str]] = ()
    ) -> list[frozenset[int]]:
        """The codes each text (with its context, if given) is predicted to have."""
        if not texts:
            return []
        chosen = self._model.decisions(self._model.probabilities(inputs_of(texts, contexts)))
        return [
            frozenset(c for c, yes in zip(self.codes, row, strict=True) if yes) for row in chosen
        ]

    def _reason(self, words: Sequence[str], code: int, context: Sequence[str] = ()) -> str:
        """The unit's words, and context, with the highest weight for ``code`` in the model
        ("words: nothing · FFT question: What was good?")."""
        column = self.codes.index(code)
        weights = self._model.word_weights(sorted({w for w in words if w.isalpha()}), column)
        around = self._model.context_weights(context, column)
        ranked = sorted(
            [(v, w, False) for w, v in weights.items() if v > 0]
            + [(v, item, True) for item, v in around.items() if v > 0],
            reverse=True,
        )[:REASON_WORDS]
        found = [w for _, w, is_context in ranked if not is_context]
        context_items = [item for _, item, is_context in ranked if is_context]
        if not found:
            return " · ".join(context_items) or NO_STANDOUT
        return " · ".join(["words: " + ", ".join(found), *context_items])

    def suggest(
        self,
        documents: Iterable[DocumentText],
        rejected: RejectedSpans | None = None,
        short_words: int = SHORT_DOCUMENT_WORDS,
    ) -> list[Suggestion]:
        """Suggestions for every unit of ``documents`` scoring at or over the code's threshold
        (and, when the model learned that every coded unit has a code, each unit's best one)."""
        documents = list(documents)
        units: list[tuple[int, Unit]] = []
        words: list[list[str]] = []
        sentences: list[list[Sentence]] = []
        for index, unit, lemmas, parts in unit_lemmas(load_pipeline(), documents, short_words):
            units.append((index, unit))
            words.append(lemmas)
            sentences.append(parts)
        if not units:
            return []
        texts = [documents[i].text[u.start : u.end].lower() for i, u in units]
        contexts = [documents[i].context for i, _ in units]
        probabilities = self._model.probabilities(Inputs.of(words, texts, sentences, contexts))
        chosen = self._model.decisions(probabilities)
        result = []
        for (index, unit), lemmas, row, picked in zip(
            units, words, probabilities, chosen, strict=True
        ):
            for code, value, yes in zip(self.codes, row, picked, strict=True):
                if not yes:
                    continue
                suggestion = Suggestion(
                    document_id=documents[index].document_id,
                    start=unit.start,
                    end=unit.end,
                    code_id=code,
                    score=round(float(value), 4),
                    method=self.method,
                    reason=self._reason(
                        [w for w in lemmas if w != EMPTY], code, documents[index].context
                    ),
                    model_version=self.version,
                )
                if rejected is None or not rejected.blocks(suggestion):
                    result.append(suggestion)
        return result
