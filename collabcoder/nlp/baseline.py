"""The standard text classifier, run beside ours so that "better" is measured, not claimed.

It is what the NHS data set's own authors use, built from scikit-learn's parts as anyone would:
a ``FeatureUnion`` of two ``TfidfVectorizer`` (word 1-2-grams and character 2-5-grams within
words, sublinear tf), a ``OneVsRestClassifier`` of class-weighted ``LogisticRegression``, and for
each code the probability cut maximising its F1 on out-of-fold predictions
(``cross_val_predict``) of the training texts. The regularisation strength is chosen from a
small grid on those same out-of-fold predictions. It sees only completely coded texts: it knows
nothing of rejections, the codebook or lemmas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collabcoder.core.errors import InvalidValue
from collabcoder.nlp.solver_warnings import quiet_training
from collabcoder.nlp.thresholds import best_threshold

if TYPE_CHECKING:
    import numpy as np

    from collabcoder.nlp.learned import LabelledText


@dataclass(frozen=True, slots=True)
class BaselineSettings:
    c_grid: tuple[float, ...] = (1.0, 10.0)
    threshold_folds: int = 3
    min_positives: int = 2
    seed: int = 0


def _pipeline(c: float) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, make_pipeline

    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True
                ),
            ),
        ]
    )
    model = LogisticRegression(
        C=c, class_weight="balanced", solver="liblinear", dual=True, max_iter=1000, random_state=0
    )
    return make_pipeline(features, OneVsRestClassifier(model))


def _f1s(probabilities: np.ndarray, truth: np.ndarray, thresholds: Sequence[float]) -> float:
    """Mean of micro- and macro-F1 of the thresholded probabilities."""
    from sklearn.metrics import f1_score

    predicted = probabilities >= thresholds
    micro = f1_score(truth, predicted, average="micro", zero_division=0)
    macro = f1_score(truth, predicted, average="macro", zero_division=0)
    return float(micro + macro) / 2


class BaselineClassifier:
    """A fitted scikit-learn pipeline with a probability threshold per code."""

    def __init__(self, pipeline: Any, codes: Sequence[int], thresholds: Sequence[float]) -> None:
        self._pipeline = pipeline
        self.codes = tuple(codes)
        self.thresholds = tuple(thresholds)

    @classmethod
    def train(
        cls, examples: Sequence[LabelledText], settings: BaselineSettings | None = None
    ) -> BaselineClassifier:
        import numpy as np
        from sklearn.model_selection import KFold, cross_val_predict

        settings = settings or BaselineSettings()
        coded = [e for e in examples if e.complete and not e.prior]
        counts: dict[int, int] = {}
        for example in coded:
            for code in example.positives:
                counts[code] = counts.get(code, 0) + 1
        codes = sorted(c for c, n in counts.items() if n >= settings.min_positives)
        if not codes:
            raise InvalidValue("nothing to learn from: too few coded examples")
        texts = [e.text for e in coded]
        truth = np.array([[int(c in e.positives) for c in codes] for e in coded])
        folds = KFold(settings.threshold_folds, shuffle=True, random_state=settings.seed)
        best: tuple[float, float, list[float]] | None = None
        for c in settings.c_grid:
            with quiet_training():
                held = cross_val_predict(
                    _pipeline(c), texts, truth, cv=folds, method="predict_proba"
                )
            thresholds = [
                best_threshold(list(held[:, j]), [bool(v) for v in truth[:, j]])
                for j in range(len(codes))
            ]
            quality = _f1s(held, truth, thresholds)
            if best is None or quality > best[0]:
                best = (quality, c, thresholds)
        assert best is not None
        _, c, thresholds = best
        with quiet_training():
            fitted = _pipeline(c).fit(texts, truth)
        return cls(fitted, codes, thresholds)

    def predict(
        self, texts: Sequence[str], contexts: Sequence[Sequence[str]] = ()
    ) -> list[frozenset[int]]:
        """The codes each text is predicted to have (from its words alone: ``contexts`` are
        not read, as the standard classifier reads text only)."""
        probabilities = self._pipeline.predict_proba(list(texts))
        return [
            frozenset(c for c, p, t in zip(self.codes, row, self.thresholds, strict=True) if p >= t)
            for row in probabilities
        ]
