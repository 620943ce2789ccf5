"""Calibration end to end on a synthetic project: the learned suggester's scores match how often
a coder who knows the truth accepts its suggestions."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.project import Project
from collabcoder.nlp.learned import TrainingSettings
from collabcoder.nlp.service import suggest

# How often a comment with each phrase carries the code.
RATES = {"the corridor": 0.3, "the parking meter": 0.8, "": 0.02}
FILLER = ["today", "visit", "ward", "time", "went", "we"]
PER_DOCUMENT = 20


def _comments(rng: random.Random, n: int) -> list[tuple[str, bool]]:
    result = []
    for _ in range(n):
        phrase = rng.choice(sorted(RATES))
        words = " ".join(rng.choices(FILLER, k=4))
        result.append(
            (f"{words} {phrase}".strip().capitalize() + ".", rng.random() < RATES[phrase])
        )
    return result


def _add(
    project: Project, name: str, comments: list[tuple[str, bool]]
) -> list[tuple[int, int, bool]]:
    """A transcript with one turn per comment; returns (start, end, truth) of each turn."""
    spans, at = [], 0
    for text, truth in comments:
        spans.append((at, at + len(text), truth))
        at += len(text) + 1
    text = "\n".join(t for t, _ in comments)
    turns = [NewTurn("A" if i % 2 else "B", s, e) for i, (s, e, _) in enumerate(spans)]
    project.documents.add(NewDocument(name, text, "transcript", turns=turns))
    return spans


def test_scores_match_acceptance_rates(tmp_path: Path) -> None:
    """Train on 1,200 coded comments where phrases carry the code 30 %, 80 % or 2 % of the time;
    suggest for 900 new ones and let a coder accept exactly the suggestions that are right. The
    mean score of the suggestions reviewed matches the share accepted (within 0.08), overall and
    among those above and below the median score, and the project's reliability counts say so."""
    rng = random.Random(7)
    project = Project.create(tmp_path / "p.ccproj", coder="Ann", codebook=[CodeSpec("Parking")])
    parking = project.codes.list()[0].id
    for n in range(1200 // PER_DOCUMENT):
        spans = _add(project, f"coded {n}", _comments(rng, PER_DOCUMENT))
        document = project.documents.by_name(f"coded {n}").id
        for start, end, truth in spans:
            if truth:
                project.segments.add(document, parking, start, end)
    truth: dict[tuple[int, int, int], bool] = {}
    for n in range(900 // PER_DOCUMENT):
        spans = _add(project, f"new {n}", _comments(rng, PER_DOCUMENT))
        document = project.documents.by_name(f"new {n}").id
        truth.update({(document, s, e): t for s, e, t in spans})
    suggest(project, "learned", settings=TrainingSettings(threshold_folds=3))
    offered = project.suggestions.list()
    assert len(offered) > 100
    for suggestion in offered:
        if truth[(suggestion.document_id, suggestion.start, suggestion.end)]:
            project.suggestions.accept(suggestion.id)
        else:
            project.suggestions.reject(suggestion.id)
    accepted, decided = project.suggestions.reliability()[(parking, "learned")]
    assert decided == len(offered)
    scores = sorted(s.score for s in offered)
    assert sum(scores) / len(scores) == pytest.approx(accepted / decided, abs=0.08)
    median = scores[len(scores) // 2]
    for band in (
        [s for s in offered if s.score >= median],
        [s for s in offered if s.score < median],
    ):
        if len(band) < 30:
            continue
        right = sum(truth[(s.document_id, s.start, s.end)] for s in band)
        assert sum(s.score for s in band) / len(band) == pytest.approx(right / len(band), abs=0.08)
