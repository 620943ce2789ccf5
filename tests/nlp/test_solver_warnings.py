"""Training prints nothing a researcher cannot act on: scikit-learn's notes that a code is
missing from an inner fold or that the solver stopped at its iteration limit are not shown."""

from __future__ import annotations

import warnings

from collabcoder.nlp.baseline import BaselineClassifier
from collabcoder.nlp.learned import LabelledText, LearnedSuggester, TrainingSettings
from tests.nlp.test_learned import _corpus

RARE = range(10, 20)


def _with_rare_codes() -> list[LabelledText]:
    """The parking/staff/food corpus plus ten codes of two coded texts each: with three inner
    folds some of them have both texts in one fold and none in the others' training texts."""
    corpus = _corpus()
    for code in RARE:
        for n in range(2):
            corpus.append(LabelledText(f"Rare topic {code} mentioned {n}.", frozenset({code})))
    return corpus


def test_training_on_rare_codes_warns_nothing() -> None:
    """Neither the baseline nor the learned suggester lets a warning out while training on
    codes that are absent from some inner training folds."""
    corpus = _with_rare_codes()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        BaselineClassifier.train(corpus)
        LearnedSuggester.train(corpus, TrainingSettings(threshold_folds=3))
    assert [str(w.message) for w in caught] == []
