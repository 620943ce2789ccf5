"""The learned suggester: a spaCy ``textcat_multilabel`` model trained on the team's coding.

Positives are coded texts; negatives are the codes a unit was coded without (when its coding is
complete) and rejected suggestions. The model reads lower-case lemmas, so "trusted" and "trusts"
are one feature. Each code gets its own threshold, chosen on held-out folds of the training data
rather than a fixed 0.5: rare codes score low even when right. A trained model serialises to
bytes together with a record of what it was trained on.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from collabcoder.core.errors import Cancelled, InvalidValue
from collabcoder.nlp.features import EMPTY, lemma_lists, unit_lemmas
from collabcoder.nlp.pipeline import load_pipeline
from collabcoder.nlp.suggestion import DocumentText, RejectedSpans, Suggestion
from collabcoder.nlp.thresholds import best_thresholds
from collabcoder.nlp.units import SHORT_DOCUMENT_WORDS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import TextCategorizer

    from collabcoder.nlp.units import Unit

Progress = Callable[[int, int], None]  # (steps done, steps in all)
CancelCheck = Callable[[], bool]

TEXTCAT = "textcat_multilabel"
REASON_WORDS = 3


@dataclass(frozen=True, slots=True)
class LabelledText:
    """A text and what the team decided about it.

    ``complete`` means the text was coded in full, so every code outside ``positives`` is known
    not to apply; a rejected suggestion is an incomplete example whose only label is a negative.
    """

    text: str
    positives: frozenset[int] = frozenset()
    negatives: frozenset[int] = frozenset()
    complete: bool = True


@dataclass(frozen=True, slots=True)
class TrainingSettings:
    """How the model is built and trained (recorded with it)."""

    # "bow" (linear over n-grams), "ensemble" (bow + a CNN), or "auto": the ensemble with these
    # settings while the training texts hold at most ``ensemble_max_tokens`` tokens, else bow
    # with the BOW_* presets (the CNN's cost grows with tokens: past that it trains too slowly).
    architecture: str = "auto"
    ngram_size: int = 1
    width: int = 64  # of the CNN's token vectors (ensemble only)
    epochs: int = 15
    learn_rate: float = 0.005
    batch_size: int = 64
    feature_slots: int = 2**15  # hashed n-gram table size per code
    threshold_folds: int = 2
    # Pseudo-count pulling each code's held-out threshold towards 0.5: a code with n held-out
    # positives keeps n / (n + threshold_prior) of its own optimum (see thresholds.py).
    threshold_prior: float = 100.0
    min_positives: int = 2  # a code with fewer coded examples is not learned
    seed: int = 0
    average_weights: bool = True  # predict with the running average of the weights
    l2: float = 0.01  # weight decay, as in spaCy's default training config
    ensemble_max_tokens: int = 50_000  # ~70 s to train (2 threshold folds) on 2 CPU cores


# What "auto" trains when the texts are too long for the ensemble: the bag-of-words model needs
# a higher rate and fewer epochs than the ensemble to converge.
BOW_LEARN_RATE = 0.02
BOW_EPOCHS = 12


def resolved(settings: TrainingSettings, tokens: int) -> TrainingSettings:
    """``settings`` with an "auto" architecture decided for training texts of ``tokens`` tokens."""
    if settings.architecture != "auto":
        return settings
    if tokens <= settings.ensemble_max_tokens:
        return replace(settings, architecture="ensemble")
    return replace(settings, architecture="bow", learn_rate=BOW_LEARN_RATE, epochs=BOW_EPOCHS)


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
    spacy_version: str
    seconds: float

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


@dataclass
class _Prepared:
    words: list[list[str]]
    cats: list[dict[str, float]]


def fingerprint(examples: Sequence[LabelledText], settings: TrainingSettings) -> str:
    """SHA-256 of the training data and settings: equal fingerprints, equal models."""
    digest = hashlib.sha256(repr(settings).encode())
    for example in examples:
        digest.update(example.text.encode())
        digest.update(
            repr((sorted(example.positives), sorted(example.negatives), example.complete)).encode()
        )
    return digest.hexdigest()


def _prepare(examples: Sequence[LabelledText], codes: Sequence[int], nlp: Language) -> _Prepared:
    labels = [str(code) for code in codes]
    known = set(codes)
    words = lemma_lists(nlp, [example.text for example in examples])
    cats = []
    for example in examples:
        if example.complete:
            values = dict.fromkeys(labels, 0.0)
        else:
            # Codes not mentioned are missing, not negative: spaCy leaves them out of the loss.
            values = {str(code): 0.0 for code in example.negatives if code in known}
        values.update({str(code): 1.0 for code in example.positives if code in known})
        cats.append(values)
    return _Prepared(words, cats)


def _model_config(settings: TrainingSettings) -> dict[str, Any]:
    bow = {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": False,
        "ngram_size": settings.ngram_size,
        "no_output_layer": False,
        "length": settings.feature_slots,
        "nO": None,
    }
    if settings.architecture == "bow":
        return bow
    if settings.architecture != "ensemble":
        raise InvalidValue(f"unknown model architecture {settings.architecture!r}")
    width = settings.width
    # The words are lemmas already, so NORM sees lemmas; PREFIX helps with misspellings.
    tok2vec = {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": width,
            "rows": [5000, 2500],
            "attrs": ["NORM", "PREFIX"],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": width,
            "window_size": 1,
            "maxout_pieces": 3,
            "depth": 2,
        },
    }
    return {
        "@architectures": "spacy.TextCatEnsemble.v2",
        "nO": None,
        "linear_model": bow,
        "tok2vec": tok2vec,
    }


def _new_pipeline(codes: Sequence[int], settings: TrainingSettings) -> Language:
    import spacy

    nlp = spacy.blank("en")
    textcat = nlp.add_pipe(TEXTCAT, config={"model": _model_config(settings)})
    for code in codes:
        textcat.add_label(str(code))  # type: ignore[attr-defined]
    return nlp


def _fit(
    data: _Prepared,
    rows: Sequence[int],
    codes: Sequence[int],
    settings: TrainingSettings,
    step: Callable[[], None],
) -> Language:
    from spacy.tokens import Doc
    from spacy.training import Example
    from spacy.util import minibatch
    from thinc.api import Adam

    nlp = _new_pipeline(codes, settings)
    examples = [
        Example.from_dict(Doc(nlp.vocab, words=data.words[row]), {"cats": data.cats[row]})
        for row in rows
    ]
    nlp.initialize(lambda: examples)
    # spaCy's default optimiser keeps no running average of the weights; predicting with the
    # average rather than the last noisy step generalises better (measured on the NHS data).
    optimizer = Adam(
        settings.learn_rate, L2=settings.l2, grad_clip=1.0, use_averages=settings.average_weights
    )
    shuffler = random.Random(settings.seed)
    for _ in range(settings.epochs):
        shuffler.shuffle(examples)
        for batch in minibatch(examples, size=settings.batch_size):
            nlp.update(batch, sgd=optimizer, drop=0.0)
        step()
    if optimizer.averages:
        model = cast("TextCategorizer", nlp.get_pipe(TEXTCAT)).model
        for node in model.walk():
            for name in node.param_names:
                if (node.id, name) in optimizer.averages:
                    node.set_param(name, optimizer.averages[(node.id, name)])
    return nlp


def _scores(nlp: Language, words: Sequence[list[str]], codes: Sequence[int]) -> list[list[float]]:
    from spacy.tokens import Doc

    labels = [str(code) for code in codes]
    docs = (Doc(nlp.vocab, words=w) for w in words)
    return [
        [doc.cats[label] for label in labels]
        for doc in cast("TextCategorizer", nlp.get_pipe(TEXTCAT)).pipe(docs)
    ]


class LearnedSuggester:
    """A trained model with per-code thresholds; suggests codes for units of text."""

    method = "learned"

    def __init__(self, nlp: Language, record: TrainingRecord) -> None:
        self._nlp = nlp
        self.record = record
        self._word_scores: dict[str, list[float]] = {}

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
        """Train on ``examples`` (codes with too few positives are left out).

        Thresholds come from ``settings.threshold_folds`` models trained on part of the data and
        scored on the rest; the final model is then trained on everything.
        """
        import spacy

        settings = settings or TrainingSettings()
        began = time.perf_counter()
        counts: dict[int, int] = {}
        for example in examples:
            for code in example.positives:
                counts[code] = counts.get(code, 0) + 1
        codes = sorted(code for code, n in counts.items() if n >= settings.min_positives)
        if not codes:
            raise InvalidValue(
                "nothing to learn from: no code has "
                f"{settings.min_positives} or more coded examples"
            )
        data = _prepare(examples, codes, load_pipeline())
        settings = resolved(settings, sum(len(words) for words in data.words))
        folds = max(
            0, settings.threshold_folds if len(examples) >= 2 * settings.threshold_folds else 0
        )
        total = settings.epochs * (folds + 1)
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total)
            if cancelled is not None and cancelled():
                raise Cancelled("training the suggestion model was cancelled")

        thresholds = dict.fromkeys(codes, 0.5)
        if folds:
            order = list(range(len(examples)))
            random.Random(settings.seed).shuffle(order)
            held_scores: list[list[float]] = [[] for _ in examples]
            for fold in range(folds):
                held = order[fold::folds]
                held_set = set(held)
                model = _fit(data, [r for r in order if r not in held_set], codes, settings, step)
                for row, row_scores in zip(
                    held, _scores(model, [data.words[r] for r in held], codes), strict=True
                ):
                    held_scores[row] = row_scores
            thresholds = best_thresholds(
                held_scores, data.cats, codes, prior=settings.threshold_prior
            )
        nlp = _fit(data, range(len(examples)), codes, settings, step)
        data_print = fingerprint(examples, settings)
        record = TrainingRecord(
            version=f"learned-{data_print[:12]}",
            trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
            examples=sum(1 for e in examples if e.complete),
            rejections=sum(1 for e in examples if not e.complete),
            codes=tuple(codes),
            positives={code: counts[code] for code in codes},
            thresholds=thresholds,
            fingerprint=data_print,
            settings=settings,
            spacy_version=spacy.__version__,
            seconds=round(time.perf_counter() - began, 2),
        )
        return cls(nlp, record)

    def to_bytes(self) -> bytes:
        """The model and its training record as one blob (for the project's model table)."""
        import srsly

        return srsly.msgpack_dumps(
            {
                "record": self.record.as_json(),
                "config": self._nlp.config.to_str(),
                "model": self._nlp.to_bytes(),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> LearnedSuggester:
        """Rebuild a model stored with :meth:`to_bytes`."""
        import srsly
        from spacy.lang.en import English
        from thinc.api import Config

        try:
            blob = srsly.msgpack_loads(data)
            nlp = English.from_config(Config().from_str(blob["config"]))
            nlp.from_bytes(blob["model"])
            record = TrainingRecord.from_json(blob["record"])
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidValue(f"the stored suggestion model cannot be read: {error}") from error
        return cls(nlp, record)

    def score_words(self, words: Sequence[list[str]]) -> list[dict[int, float]]:
        """Scores per code for texts given as lemma lists."""
        rows = _scores(self._nlp, [w or [EMPTY] for w in words], self.codes)
        return [dict(zip(self.codes, row, strict=True)) for row in rows]

    def predict(self, texts: Sequence[str]) -> list[frozenset[int]]:
        """The codes each text is predicted to have (scores at or over each code's threshold)."""
        thresholds = self.record.thresholds
        return [
            frozenset(code for code, value in scores.items() if value >= thresholds[code])
            for scores in self.score_words(lemma_lists(load_pipeline(), texts))
        ]

    def _reason(self, words: Sequence[str], code: int) -> str:
        """The unit's words whose own weight for ``code`` is highest in the model."""
        fresh = sorted({w for w in words if w not in self._word_scores and w.isalpha()})
        if fresh:
            for word, row in zip(
                fresh, _scores(self._nlp, [[w] for w in fresh], self.codes), strict=True
            ):
                self._word_scores[word] = row
        column = self.codes.index(code)
        ranked = sorted(
            {w for w in words if w in self._word_scores},
            key=lambda w: self._word_scores[w][column],
            reverse=True,
        )
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
        thresholds = self.record.thresholds
        result = []
        for (index, unit), lemmas, scores in zip(
            units, words, self.score_words(words), strict=True
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
                    reason=self._reason(lemmas, code),
                    model_version=self.version,
                )
                if rejected is None or not rejected.blocks(suggestion):
                    result.append(suggestion)
        return result
