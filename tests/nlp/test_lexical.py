"""The lexical suggester: codebook terms matched on lemmas, inside units, with reasons."""

from __future__ import annotations

import pytest

from collabcoder.nlp.lexical import LexicalSuggester, measured, terms_from_records
from collabcoder.nlp.suggestion import CodeTerms, DocumentText, RejectedSpans

CODES = [
    CodeTerms(1, "Trusting relationships", ("rapport",), "Partners rely on one another."),
    CodeTerms(2, "Funding", ("grant funding", "money"), "Budgets and financial resources."),
]
FILLER = " ".join(["We talked about the weather for a while."] * 15)


def test_keyword_phrase_finds_inflected_words() -> None:
    """ "Trusting relationships" finds "they trusted each other": lemmas match, not word forms."""
    text = "Honestly, they trusted each other from the start."
    found = LexicalSuggester(CODES).suggest([DocumentText(1, text)])
    assert [(s.code_id, s.start, s.end) for s in found] == [(1, 0, len(text))]
    assert found[0].method == "lexical"
    assert "trust" in found[0].reason
    assert found[0].model_version.startswith("lexical-")


def test_whole_phrase_matches_across_inflections() -> None:
    """The keyword phrase "grant funding" matches "grants funded" and is named in the reason."""
    text = FILLER + " The grants funded two posts. " + FILLER
    (found,) = LexicalSuggester(CODES).suggest([DocumentText(3, text)])
    assert text[found.start : found.end] == "The grants funded two posts."
    assert found.code_id == 2
    assert found.reason.startswith("matched: grant fund")


def test_unrelated_text_gets_no_suggestion() -> None:
    """Words from no code's terms produce nothing."""
    assert LexicalSuggester(CODES).suggest([DocumentText(1, "The weather was fine.")]) == []


def test_definition_words_alone_need_several_to_count() -> None:
    """One definition word is weak evidence; several together reach the default score."""
    suggester = LexicalSuggester(CODES)
    weak = suggester.suggest([DocumentText(1, "The budget was set.")])
    strong = suggester.suggest([DocumentText(1, "The budgets and financial resources were set.")])
    assert weak == []
    assert [s.code_id for s in strong] == [2]


def test_suggestions_stay_inside_turns() -> None:
    """A keyword in a turn is suggested for a span inside that turn only."""
    first = FILLER + " We had real rapport"
    second = " with them. " + FILLER
    text = first + second
    turns = ((0, len(first)), (len(first), len(text)))
    found = LexicalSuggester(CODES).suggest([DocumentText(1, text, turns)])
    assert [s.code_id for s in found] == [1]
    assert found[0].end <= len(first)
    assert text[found[0].start : found[0].end] == "We had real rapport"


def test_rejected_span_is_not_suggested_again() -> None:
    """A (document, code, span) the team rejected is filtered out; other codes still come."""
    text = "They trusted us with the money."
    suggester = LexicalSuggester(CODES)
    assert {s.code_id for s in suggester.suggest([DocumentText(4, text)])} == {1, 2}
    rejected = RejectedSpans({(4, 2, 0, len(text))})
    assert [s.code_id for s in suggester.suggest([DocumentText(4, text)], rejected=rejected)] == [1]


def test_terms_come_from_code_records() -> None:
    """Anything shaped like a CodeRecord gives the suggester its terms."""

    class Record:
        id = 9
        name = "Parking"
        keywords = ("car park",)
        definition = ""
        inclusion = ""

    (terms,) = terms_from_records([Record()])
    found = LexicalSuggester([terms]).suggest([DocumentText(1, "The car parks were full.")])
    assert [s.code_id for s in found] == [9]


def test_a_one_word_match_is_weak_evidence() -> None:
    """Before any coding, a one-word keyword scores as a single word (0.5), well below a whole
    keyword phrase of several words (0.9)."""
    suggester = LexicalSuggester(CODES)
    (word,) = suggester.suggest([DocumentText(1, "We had real rapport.")])
    (phrase,) = suggester.suggest([DocumentText(2, "The grant funding came late.")])
    assert word.score == 0.5
    assert phrase.score == 0.9


def test_scores_follow_measured_precision_on_the_coding() -> None:
    """Where the team coded 9 of 10 texts matching "rapport" as Trusting relationships, that
    match scores high; where only 1 of 10 texts with "money" was coded Funding, the match
    scores low and is no longer suggested."""
    texts = [f"Rapport was good at meeting {i}." for i in range(10)]
    texts += [f"The money ran out in week {i}." for i in range(10)]
    coded = [frozenset({1}) if i < 9 else frozenset() for i in range(10)]
    coded += [frozenset({2}) if i < 1 else frozenset() for i in range(10)]
    suggester = measured(CODES, texts, coded)
    assert suggester.precision[(1, "word")] == (9, 10)
    assert suggester.precision[(2, "word")] == (1, 10)
    found = suggester.suggest([DocumentText(1, "They built rapport and saved money.")])
    assert [s.code_id for s in found] == [1]
    assert found[0].score == pytest.approx((9 + 5 * 0.5) / (10 + 5), abs=1e-4)
    assert found[0].model_version != LexicalSuggester(CODES).model_version
