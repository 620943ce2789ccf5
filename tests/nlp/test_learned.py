"""The learned suggester: trains on coded texts and rejections, predicts, explains, round-trips."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from collabcoder.core.errors import InvalidValue
from collabcoder.nlp.learned import (
    BOW_EPOCHS,
    BOW_LEARN_RATE,
    LabelledText,
    LearnedSuggester,
    TrainingSettings,
    resolved,
)
from collabcoder.nlp.suggestion import DocumentText, RejectedSpans

PARKING, STAFF, FOOD = 1, 2, 3
PHRASES = {
    PARKING: ["the car park was full", "no parking spaces left", "parking costs too much"],
    STAFF: ["the nurses were kind", "staff were rude to me", "a friendly nurse helped"],
    FOOD: ["the food was cold", "lunch was tasty", "meals came late and cold"],
}
FAST = TrainingSettings(
    architecture="bow", epochs=8, learn_rate=0.02, threshold_folds=2, feature_slots=4096
)


def _corpus(n: int = 120, seed: int = 0) -> list[LabelledText]:
    rng = random.Random(seed)
    examples = []
    for _ in range(n):
        codes = rng.sample(sorted(PHRASES), rng.choice([1, 1, 2]))
        text = ". ".join(rng.choice(PHRASES[c]) for c in codes) + "."
        examples.append(LabelledText(text.capitalize(), frozenset(codes)))
    return examples


@pytest.fixture(scope="module")
def model() -> LearnedSuggester:
    return LearnedSuggester.train(_corpus(), FAST)


def test_predicts_obvious_codes(model: LearnedSuggester) -> None:
    """New sentences built from each code's words get that code and not the others."""
    assert model.predict(["Parking was full again", "The kind nurses", "Cold food"]) == [
        frozenset({PARKING}),
        frozenset({STAFF}),
        frozenset({FOOD}),
    ]


def test_record_says_what_it_was_trained_on(model: LearnedSuggester) -> None:
    """The record names codes, counts, thresholds per code and a data fingerprint."""
    record = model.record
    assert record.codes == (PARKING, STAFF, FOOD)
    assert record.examples == 120 and record.rejections == 0
    assert sum(record.positives.values()) > 120
    assert set(record.thresholds) == {PARKING, STAFF, FOOD}
    assert all(0 < t < 1 for t in record.thresholds.values())
    assert record.version == "learned-" + record.fingerprint[:12]


def test_fingerprint_follows_the_data() -> None:
    """Changing one label changes the fingerprint; the same data gives the same one."""
    data = _corpus(30)
    settings = TrainingSettings("bow", epochs=1, threshold_folds=0, feature_slots=1024)
    first = LearnedSuggester.train(data, settings).record.fingerprint
    assert LearnedSuggester.train(data, settings).record.fingerprint == first
    changed = [LabelledText(data[0].text, frozenset({FOOD, STAFF, PARKING})), *data[1:]]
    assert LearnedSuggester.train(changed, settings).record.fingerprint != first


def test_round_trips_through_bytes(model: LearnedSuggester) -> None:
    """A model read back from bytes predicts the same scores and keeps its record."""
    again = LearnedSuggester.from_bytes(model.to_bytes())
    texts = ["the car park", "rude staff and cold lunch"]
    assert again.record == model.record
    assert again.score_words([["the", "car", "park"]]) == model.score_words(
        [["the", "car", "park"]]
    )
    assert again.predict(texts) == model.predict(texts)


def test_unreadable_bytes_are_refused() -> None:
    """Garbage in the model table gives a clear error, not a crash deep in spaCy."""
    with pytest.raises(InvalidValue):
        LearnedSuggester.from_bytes(b"not a model")


def test_suggestions_carry_reason_and_version(model: LearnedSuggester) -> None:
    """Each suggestion names the words that weighed most for its code and the model version."""
    text = "Staff were rude to me.\nThe car park was full."
    turns = ((0, 22), (23, len(text)))
    found = model.suggest([DocumentText(5, text, turns)])
    spans = {(text[s.start : s.end], s.code_id) for s in found}
    assert spans == {("Staff were rude to me.", STAFF), ("The car park was full.", PARKING)}
    for suggestion in found:
        assert suggestion.method == "learned"
        assert suggestion.model_version == model.version
        assert suggestion.reason.startswith("words: ")
    staff = next(s for s in found if s.code_id == STAFF)
    assert "rude" in staff.reason or "staff" in staff.reason
    rejected = RejectedSpans({(5, STAFF, 0, 22)})
    assert {s.code_id for s in model.suggest([DocumentText(5, text, turns)], rejected)} == {PARKING}


def test_rejections_teach_the_model() -> None:
    """Rejecting a code for a phrasing lowers that code's score for it."""
    data = _corpus(60)
    tricky = "the car was kind"
    settings = TrainingSettings(
        "bow", epochs=10, learn_rate=0.02, threshold_folds=0, feature_slots=4096
    )
    before = LearnedSuggester.train(data, settings)
    rejection = LabelledText(tricky, negatives=frozenset({STAFF}), complete=False)
    after = LearnedSuggester.train([*data, *[rejection] * 20], settings)
    words = [["the", "car", "be", "kind"]]
    assert after.score_words(words)[0][STAFF] < before.score_words(words)[0][STAFF]
    assert after.record.rejections == 20


def test_nothing_to_learn_is_an_error() -> None:
    """Training with no code coded twice says so."""
    with pytest.raises(InvalidValue, match="nothing to learn"):
        LearnedSuggester.train([LabelledText("one", frozenset({1}))], FAST)


def test_averaged_weights_are_what_the_model_predicts_with() -> None:
    """Training with weight averaging gives different scores from the last-step weights, and
    the averaged model still predicts the obvious codes."""
    data = _corpus(90)
    words = [["the", "car", "park", "be", "full"]]
    averaged = LearnedSuggester.train(data, FAST)
    last = LearnedSuggester.train(data, replace(FAST, average_weights=False))
    assert averaged.score_words(words) != last.score_words(words)
    assert averaged.predict(["the car park was full"]) == [frozenset({PARKING})]


def test_default_ensemble_round_trips_through_bytes() -> None:
    """By default a small corpus trains the ensemble (bag of words + CNN); it is recorded as
    such and rebuilt from bytes with equal scores."""
    settings = replace(TrainingSettings(), epochs=2, threshold_folds=0)
    model = LearnedSuggester.train(_corpus(40), settings)
    assert model.record.settings.architecture == "ensemble"
    again = LearnedSuggester.from_bytes(model.to_bytes())
    words = [["staff", "be", "rude"], ["cold", "food"]]
    assert again.score_words(words) == model.score_words(words)
    assert again.record == model.record


def test_auto_falls_back_to_bag_of_words_for_long_texts() -> None:
    """ "auto" keeps the ensemble up to its token budget and trains bag of words beyond it."""
    settings = TrainingSettings(architecture="auto", ensemble_max_tokens=1000)
    assert resolved(settings, 1000).architecture == "ensemble"
    bow = resolved(settings, 1001)
    assert (bow.architecture, bow.learn_rate, bow.epochs) == ("bow", BOW_LEARN_RATE, BOW_EPOCHS)
    assert resolved(FAST, 10**9) == FAST
