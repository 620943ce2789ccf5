"""Training and evaluating report progress in the one core shape and stop at the one token."""

from __future__ import annotations

import pytest

from collabcoder.core.errors import Cancelled
from collabcoder.core.progress import CancelToken
from collabcoder.nlp.evaluate import cross_validate, train_baseline
from collabcoder.nlp.learned import LabelledText, LearnedSuggester, TrainingSettings

PHRASES = {
    1: ["the car park was full", "no parking spaces left"],
    2: ["the nurses were kind", "staff were rude to me"],
    3: ["the food was cold", "lunch was tasty"],
}
SETTINGS = TrainingSettings(threshold_folds=2)


def _corpus() -> list[LabelledText]:
    return [
        LabelledText(f"{PHRASES[code][n % 2].capitalize()} ({n}).", frozenset({code}))
        for n in range(30)
        for code in PHRASES
    ]


def test_training_reports_steps_and_stops_when_cancelled() -> None:
    """Training says (step, steps in all, what) and stops at the step after Cancel."""
    token = CancelToken()
    heard: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, message: str) -> None:
        heard.append((done, total, message))
        if done == 2:
            token.cancel()

    with pytest.raises(Cancelled, match="training the suggestion model was cancelled"):
        LearnedSuggester.train(_corpus(), SETTINGS, progress, token)
    assert [done for done, _total, _message in heard] == [1, 2]
    total = heard[0][1]
    assert total > 2 and heard[1][2] == f"Training on your coding: step 2 of {total}…"


def test_evaluation_stops_before_the_next_fold_when_cancelled() -> None:
    """A cancel during cross-validation stops before the next fold's model is trained, even for
    the standard classifier, which cannot stop inside its own training."""
    token = CancelToken()
    folds: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        folds.append(done)
        token.cancel()

    with pytest.raises(Cancelled):
        cross_validate(_corpus(), 3, SETTINGS, progress, token, train_baseline)
    assert folds == [1]
