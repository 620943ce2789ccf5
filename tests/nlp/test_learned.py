"""The learned suggester: trains on coded texts and rejections, predicts, explains, round-trips."""

from __future__ import annotations

import random

import pytest
import srsly

from collabcoder.core.errors import InvalidValue
from collabcoder.nlp.codebook import codebook_examples
from collabcoder.nlp.learned import NO_STANDOUT, LabelledText, LearnedSuggester, TrainingSettings
from collabcoder.nlp.suggestion import DocumentText, RejectedSpans

PARKING, STAFF, FOOD = 1, 2, 3
PHRASES = {
    PARKING: ["the car park was full", "no parking spaces left", "parking costs too much"],
    STAFF: ["the nurses were kind", "staff were rude to me", "a friendly nurse helped"],
    FOOD: ["the food was cold", "lunch was tasty", "meals came late and cold"],
}
FAST = TrainingSettings(threshold_folds=2)


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
    settings = TrainingSettings(threshold_folds=0)
    first = LearnedSuggester.train(data, settings).record.fingerprint
    assert LearnedSuggester.train(data, settings).record.fingerprint == first
    changed = [LabelledText(data[0].text, frozenset({FOOD, STAFF, PARKING})), *data[1:]]
    assert LearnedSuggester.train(changed, settings).record.fingerprint != first


def test_round_trips_through_bytes(model: LearnedSuggester) -> None:
    """A model read back from bytes predicts the same scores and keeps its record."""
    again = LearnedSuggester.from_bytes(model.to_bytes())
    texts = ["the car park", "rude staff and cold lunch"]
    assert again.record == model.record
    assert again.scores(texts) == model.scores(texts)
    assert again.predict(texts) == model.predict(texts)


def test_stored_model_holds_only_numbers_and_text() -> None:
    """The blob is plain msgpack of numbers, strings and raw arrays: nothing that runs code
    when read (no pickle), so a project file from someone else cannot execute anything."""
    model = LearnedSuggester.train(
        _corpus(40), TrainingSettings(threshold_folds=0, char_min=2, char_max=4)
    )
    blob = srsly.msgpack_loads(model.to_bytes())

    def plain(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list | tuple):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, bool | int | float | str | bytes)

    assert plain(blob)
    assert b"pickle" not in model.to_bytes()
    again = LearnedSuggester.from_bytes(model.to_bytes())
    assert again.scores(["cold food"]) == model.scores(["cold food"])


def test_unreadable_bytes_are_refused() -> None:
    """Garbage, or a model stored by the earlier spaCy format, gives a clear error."""
    with pytest.raises(InvalidValue):
        LearnedSuggester.from_bytes(b"not a model")
    with pytest.raises(InvalidValue, match="older version"):
        LearnedSuggester.from_bytes(srsly.msgpack_dumps({"record": {}, "config": "", "model": b""}))


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
    settings = TrainingSettings(threshold_folds=0)
    before = LearnedSuggester.train(data, settings)
    rejection = LabelledText(tricky, negatives=frozenset({STAFF}), complete=False)
    after = LearnedSuggester.train([*data, *[rejection] * 20], settings)
    assert after.scores([tricky])[0][STAFF] < before.scores([tricky])[0][STAFF]
    assert after.record.rejections == 20


def test_nothing_to_learn_is_an_error() -> None:
    """Training with no code coded twice says so."""
    with pytest.raises(InvalidValue, match="nothing to learn"):
        LearnedSuggester.train([LabelledText("one", frozenset({1}))], FAST)


def test_codebook_text_teaches_words_no_one_has_coded_yet() -> None:
    """A word found only in a code's codebook definition raises that code's score, and the
    codebook texts are counted apart from the coded examples."""
    data = _corpus(60)
    prior = codebook_examples({FOOD: ["Food: meals, snacks, sandwiches and drinks"]})
    plain = LearnedSuggester.train(data, TrainingSettings(threshold_folds=0))
    informed = LearnedSuggester.train([*data, *prior], TrainingSettings(threshold_folds=0))
    text = ["the sandwiches"]
    assert informed.scores(text)[0][FOOD] > plain.scores(text)[0][FOOD]
    assert informed.record.codebook_texts == 1
    assert informed.record.examples == plain.record.examples == 60
    assert informed.record.positives == plain.record.positives


def test_a_code_known_only_from_the_codebook_is_not_learned() -> None:
    """Codebook text alone does not make a code learnable: it needs coded examples."""
    prior = codebook_examples({9: ["Parking meters", "coins and tickets"]})
    model = LearnedSuggester.train([*_corpus(40), *prior], TrainingSettings(threshold_folds=0))
    assert 9 not in model.codes


def _project_with_rates(rng: random.Random, n: int) -> list[tuple[str, LabelledText]]:
    """Texts where a phrase carries the code 30 % ("weak"), 80 % ("strong") or 2 % of the time."""
    rates = {"weak": 0.3, "strong": 0.8, "none": 0.02}
    phrases = {"weak": "the corridor", "strong": "the parking meter", "none": ""}
    result = []
    for _ in range(n):
        kind = rng.choice(sorted(rates))
        filler = " ".join(rng.choices(["today", "visit", "ward", "time", "went", "we"], k=4))
        coded = frozenset({PARKING}) if rng.random() < rates[kind] else frozenset()
        result.append((kind, LabelledText(f"{filler} {phrases[kind]}", coded)))
    return result


def test_calibrated_scores_match_how_often_the_code_applies() -> None:
    """On new texts of a synthetic project, the mean score of each kind of evidence is close to
    how often that evidence carried the code (30 %, 80 %, 2 %): scores are calibrated on
    out-of-fold predictions rather than fixed or raw model outputs."""
    rng = random.Random(3)
    train, test = _project_with_rates(rng, 1200), _project_with_rates(rng, 900)
    model = LearnedSuggester.train([e for _, e in train], TrainingSettings(threshold_folds=3))
    scores = model.scores([e.text for _, e in test])
    for kind, rate in (("weak", 0.3), ("strong", 0.8), ("none", 0.02)):
        mine = [s[PARKING] for (k, _), s in zip(test, scores, strict=True) if k == kind]
        coded = [PARKING in e.positives for k, e in test if k == kind]
        assert sum(mine) / len(mine) == pytest.approx(rate, abs=0.1)
        # and close to how often the new texts really have it
        assert sum(mine) / len(mine) == pytest.approx(sum(coded) / len(coded), abs=0.1)


def test_a_reason_with_no_weighing_word_says_so(model: LearnedSuggester) -> None:
    """A unit whose words the model never saw has no word to name: its reason says the text as
    a whole carried it, never an empty "words: "."""
    assert model._reason(["zzzz", "qqqq"], PARKING) == NO_STANDOUT
