"""Span helpers and the painted coding layer, without widgets."""

from __future__ import annotations

from collabcoder.core.records import TurnRecord
from collabcoder.gui.coding_layer import CodingLayer, Span
from collabcoder.gui.spans import (
    in_vivo_name,
    quote_context,
    sentence_bounds,
    turn_label,
    whole_turn,
)

TEXT = "[00:00:10] Ann: First point. Second point here! Third?\n\nBob: Yes."
TURNS = [
    TurnRecord(1, 1, "Ann", 0, TEXT.index("\n"), "00:00:10", 10.0),
    TurnRecord(2, 1, "Bob", TEXT.index("Bob"), len(TEXT), None, None),
]


def test_turn_label_finds_stamp_and_speaker() -> None:
    """The timestamp and the "Ann:" label are found; the body starts after them."""
    label = turn_label(TEXT, TURNS[0])
    assert label.stamp is not None and TEXT[slice(*label.stamp)] == "[00:00:10]"
    assert label.speaker is not None and TEXT[slice(*label.speaker)] == "Ann:"
    assert TEXT[label.body_start :].startswith("First point.")


def test_whole_turn_leaves_out_the_label() -> None:
    """Code whole turn takes the spoken words only."""
    start, end = whole_turn(TEXT, TURNS, TEXT.index("Second"))  # type: ignore[misc]
    assert TEXT[start:end] == "First point. Second point here! Third?"
    start, end = whole_turn(TEXT, TURNS, TEXT.index("Yes"))  # type: ignore[misc]
    assert TEXT[start:end] == "Yes."


def test_sentence_bounds_widen_to_full_sentences() -> None:
    """A selection inside a sentence widens to that sentence, never into the speaker label."""
    s = TEXT.index("point here")
    start, end = sentence_bounds(TEXT, s, s + 5, TURNS)
    assert TEXT[start:end] == "Second point here!"
    start, end = sentence_bounds(TEXT, TEXT.index("First") + 2, TEXT.index("Second") + 3, TURNS)
    assert TEXT[start:end] == "First point. Second point here!"


def test_in_vivo_name_is_tidy_and_short() -> None:
    """In-vivo names lose line breaks and stray punctuation, and stay short."""
    assert in_vivo_name('  "taking off\nthe badge",  ') == "taking off the badge"
    long = in_vivo_name("word " * 40)
    assert len(long) <= 61 and long.endswith("…")


def test_quote_context_cuts_on_words() -> None:
    """Context either side is trimmed to whole words and flattened to one line."""
    before, quote, after = quote_context(TEXT, TEXT.index("Second"), TEXT.index(" here"), 12)
    assert quote == "Second point"
    assert before == "…point." and after.startswith("here!")


def _span(ident: int, start: int, end: int, colour: str) -> Span:
    return Span(ident, ident, 1, start, end, colour, f"code {ident}")


def test_layer_pieces_and_lanes() -> None:
    """Overlaps split into pieces carrying every colour; lanes never hold overlapping spans."""
    layer = CodingLayer([_span(1, 0, 10, "#a"), _span(2, 5, 15, "#b"), _span(3, 12, 20, "#c")])
    assert [(p.start, p.end, p.colours) for p in layer.pieces_between(0, 100)] == [
        (0, 5, ("#a",)),
        (5, 10, ("#a", "#b")),
        (10, 12, ("#b",)),
        (12, 15, ("#c", "#b")),  # lane order: #c reuses the first lane
        (15, 20, ("#c",)),
    ]
    assert len(layer.lanes) == 2
    assert [p.start for p in layer.pieces_between(11, 13)] == [11, 12]
    assert {s.segment_id for _, s in layer.spans_between(9, 11)} == {1, 2}
    assert [s.segment_id for s in layer.spans_at(6)] == [1, 2]


def test_layer_add_and_remove_keep_lanes_apart() -> None:
    """Adding a span finds a lane with room; removing one frees its place."""
    layer = CodingLayer([_span(1, 0, 10, "#a")])
    layer.add(_span(2, 5, 15, "#b"))
    layer.add(_span(3, 10, 12, "#c"))
    assert len(layer.lanes) == 2 and len(layer) == 3
    for lane in layer.lanes:
        assert all(a.end <= b.start for a, b in zip(lane.spans, lane.spans[1:], strict=False))
    layer.remove(2)
    assert len(layer.lanes) == 1
    assert [s.segment_id for s in layer.spans] == [1, 3]
