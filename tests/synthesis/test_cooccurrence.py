"""Code x code co-occurrence on the hand-built project."""

from __future__ import annotations

import pytest

from collabcoder.synthesis.cooccurrence import cooccurrence
from collabcoder.synthesis.frames import SynthesisData
from collabcoder.synthesis.units import sentence_spans


def test_overlapping_passages_and_character_jaccard(tiny: SynthesisData) -> None:
    """Trust [0,20) and Money [10,30) overlap once sharing 10 of 35 characters (Trust also has
    5 characters in document 30); Late and Barriers share 5 of 20."""
    result = cooccurrence(tiny, mode="overlap")
    counts, jaccard = result.labelled("counts"), result.labelled("jaccard")
    assert counts.loc["Drivers/Trust", "Drivers/Money"] == 1
    assert counts.loc["Drivers/Money", "Drivers/Trust"] == 1
    assert jaccard.loc["Drivers/Trust", "Drivers/Money"] == pytest.approx(10 / 35)
    assert jaccard.loc["Barriers/Time/Late", "Barriers"] == pytest.approx(5 / 20)
    assert counts.loc["Drivers/Trust", "Drivers/Trust"] == 2  # two passages
    assert counts.loc["Drivers", "Drivers/Trust"] == 0


def test_depth_folds_codes_into_their_ancestors(tiny: SynthesisData) -> None:
    """At depth 1 Trust and Money become Drivers, so nothing co-occurs across the two themes."""
    result = cooccurrence(tiny, mode="overlap", depth=1)
    assert list(result.codes["path"]) == ["Drivers", "Barriers"]
    assert result.labelled().loc["Drivers", "Barriers"] == 0
    assert result.labelled().loc["Drivers", "Drivers"] == 3


def test_unit_modes_count_shared_units(tiny: SynthesisData) -> None:
    """Document mode: Trust and Money share document 10 of Trust's 2 documents. Turn mode:
    they share the second turn; Trust touches both turns."""
    document = cooccurrence(tiny, mode="document")
    assert document.labelled().loc["Drivers/Trust", "Drivers/Money"] == 1
    assert document.labelled("jaccard").loc["Drivers/Trust", "Drivers/Money"] == 0.5
    assert document.labelled().loc["Barriers", "Barriers/Time/Late"] == 1
    turn = cooccurrence(tiny, mode="turn")
    assert turn.labelled().loc["Drivers/Trust", "Drivers/Trust"] == 2
    assert turn.labelled("jaccard").loc["Drivers/Trust", "Drivers/Money"] == 0.5
    assert turn.labelled().loc["Barriers", "Barriers/Time/Late"] == 0  # document 20 has no turns


def test_sentence_splitter() -> None:
    """Sentences end at terminal punctuation before a space or at a line break."""
    text = 'We met. "Was it useful?" Yes!\nNew line without stop\n\nLast one...'
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["We met.", '"Was it useful?"', "Yes!", "New line without stop", "Last one..."]


def test_cell_passages_are_found_in_their_own_documents(tiny: SynthesisData) -> None:
    """Passages of several documents are placed by one search of the offsets: Trust's own
    passages are the joined run [0,20) of document 10 and [0,5) of document 30, each with its
    document's name and text; Trust meets Money once, from Trust's start to Money's end."""
    from collabcoder.synthesis.meeting import meeting_passages

    own = meeting_passages(tiny, 2, 2)
    assert [(p.document_id, p.document, p.start, p.end) for p in own] == [
        (10, "Doc 10", 0, 20),
        (30, "Doc 30", 0, 5),
    ]
    assert [p.text for p in own] == [tiny.texts[10][0:20], "=SUM("]
    (meeting,) = meeting_passages(tiny, 2, 3)
    assert (meeting.document_id, meeting.start, meeting.end) == (10, 0, 30)
