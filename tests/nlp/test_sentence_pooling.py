"""A text of several sentences scores towards its best sentence: a topic one sentence raises is
not lost in the whole text's vector."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from collabcoder.nlp.features import text_lemmas, unit_lemmas
from collabcoder.nlp.learned import LearnedSuggester, TrainingSettings
from collabcoder.nlp.linear import Inputs, LinearModel, pooled
from collabcoder.nlp.pipeline import load_pipeline
from collabcoder.nlp.suggestion import DocumentText
from tests.nlp.test_learned import PARKING, STAFF, _corpus

SETTINGS = TrainingSettings(threshold_folds=2)
# One sentence on parking among five on the staff: the whole text reads as a staff comment.
LONG = (
    "The nurses were kind. A friendly nurse helped my mother. Staff were polite to us. "
    "The nurses were kind at night. Staff helped with everything. The car park was full."
)


def test_a_topic_raised_in_one_sentence_of_many_is_found() -> None:
    """The parking sentence at the end of a long comment on the staff scores parking higher
    than the whole text alone does, and clears parking's threshold only with pooling."""
    corpus = _corpus()
    pooling = LearnedSuggester.train(corpus, SETTINGS)
    whole_only = LearnedSuggester.train(corpus, replace(SETTINGS, sentence_share=0.0))
    assert pooling.scores([LONG])[0][PARKING] > whole_only.scores([LONG])[0][PARKING]
    assert PARKING in pooling.predict([LONG])[0]
    assert STAFF in pooling.predict([LONG])[0]


def test_suggest_pools_the_sentences_of_a_whole_short_document() -> None:
    """A short document is one unit; its parking sentence still earns the parking suggestion."""
    model = LearnedSuggester.train(_corpus(), SETTINGS)
    found = model.suggest([DocumentText(7, LONG)])
    assert {s.code_id for s in found} >= {PARKING, STAFF}
    assert all((s.start, s.end) == (0, len(LONG)) for s in found)


def test_sentences_are_read_only_for_texts_that_have_several() -> None:
    """One-sentence texts get no sentences; a three-sentence text gets its three, lower case."""
    read = text_lemmas(load_pipeline(), ["The food was cold.", "Food cold. Staff kind. Long wait!"])
    assert read[0][1] == []
    assert [text for text, _ in read[1][1]] == ["food cold.", "staff kind.", "long wait!"]
    inputs = Inputs.of([w for w, _ in read], ["a", "b"], [s for _, s in read])
    assert list(inputs.owners) == [1, 1, 1]
    assert inputs.sentences is not None and len(inputs.sentences.lemmas) == 3


def test_units_that_are_sentences_carry_no_sentences() -> None:
    """A long document is split into sentence units, each read as itself; a short one is one
    unit with its sentences."""
    long_text = " ".join(["The nurses were kind to everyone on the ward today."] * 20)
    nlp = load_pipeline()
    long_units = list(unit_lemmas(nlp, [DocumentText(1, long_text)]))
    assert len(long_units) == 20 and all(parts == [] for *_, parts in long_units)
    (short,) = list(unit_lemmas(nlp, [DocumentText(2, "Food cold. Staff kind.")]))
    assert [text for text, _ in short[3]] == ["food cold.", "staff kind."]


@given(
    arrays(np.float64, (3, 2), elements=st.floats(-20, 20)),
    arrays(np.float64, (4, 2), elements=st.floats(-20, 20)),
    st.floats(0, 1),
)
def test_pooling_lies_between_the_text_and_its_best_sentence(
    whole: np.ndarray, parts: np.ndarray, share: float
) -> None:
    """For every input: never below the whole text's value, never above the best of it and its
    sentences; share 0 is the text alone, share 1 the best; a text without sentences keeps its
    own value."""
    owners = np.array([0, 0, 2, 2])
    result = pooled(whole, parts, owners, share)
    best = whole.copy()
    best[0] = np.maximum(best[0], parts[:2].max(axis=0))
    best[2] = np.maximum(best[2], parts[2:].max(axis=0))
    assert np.all(result >= whole - 1e-9) and np.all(result <= best + 1e-9)
    np.testing.assert_allclose(result[1], whole[1])
    np.testing.assert_allclose(pooled(whole, parts, owners, 0.0), whole)
    np.testing.assert_allclose(pooled(whole, parts, owners, 1.0), best, atol=1e-9)


def test_models_stored_before_pooling_read_as_whole_text_models() -> None:
    """A stored model without a sentence share (trained before pooling) loads with share 0,
    so it scores as it did when it was trained; a new one keeps its share."""
    model = LearnedSuggester.train(_corpus(60), SETTINGS)
    data = model._model.to_data()
    assert LinearModel.from_data(data).sentence_share == SETTINGS.sentence_share
    del data["sentence_share"]
    assert LinearModel.from_data(data).sentence_share == 0.0
