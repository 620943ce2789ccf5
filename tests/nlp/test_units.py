"""Units of suggestion: sentences inside turns, whole short documents."""

from __future__ import annotations

from collabcoder.nlp.pipeline import load_pipeline
from collabcoder.nlp.units import blocks, split_units

LONG_TURN = " ".join(["We met the council every week and agreed the plan."] * 12)


def test_lookup_lemmatizer_works_offline_on_any_case() -> None:
    """The shared pipeline reduces "Trusted" and "trusting" to "trust" without any download."""
    doc = load_pipeline()("Trusted partners were trusting relationships")
    assert [t.lemma_ for t in doc] == ["trust", "partner", "be", "trust", "relationship"]


def test_blocks_cover_turns_and_the_text_between_them() -> None:
    """Text outside turns becomes its own block; overlapping turns are clipped, not merged."""
    text = "Header line\nA: one two\nB: three four\nFooter"
    a = text.index("A:")
    b = text.index("B:")
    found = blocks(text, [(a, b + 3), (b, text.index("\nFooter"))])
    assert [(text[x.start : x.end], x.turn) for x in found] == [
        ("Header line\n", None),
        ("A: one two\nB: ", 0),
        ("three four", 1),
        ("\nFooter", None),
    ]


def test_no_unit_crosses_a_turn_boundary() -> None:
    """A sentence that runs on across two turns is cut at the boundary."""
    first = LONG_TURN + " And then we"
    second = "went home. " + LONG_TURN
    text = first + second
    turns = [(0, len(first)), (len(first), len(text))]
    units = split_units(load_pipeline(), text, turns)
    assert len(units) > 20
    for unit in units:
        assert unit.turn is not None
        turn_start, turn_end = turns[unit.turn]
        assert turn_start <= unit.start < unit.end <= turn_end
        assert text[unit.start : unit.end] == text[unit.start : unit.end].strip()
    assert any(text[u.start : u.end] == "went home." for u in units)


def test_short_document_is_one_unit() -> None:
    """A short comment without turns is suggested as a whole, whitespace trimmed."""
    text = "  The staff were kind. The wait was long.\n"
    units = split_units(load_pipeline(), text)
    assert [(u.start, u.end, u.turn) for u in units] == [(2, len(text) - 1, None)]


def test_units_of_a_long_document_are_its_sentences() -> None:
    """Outside turns a long text is split into sentences on its own."""
    units = split_units(load_pipeline(), LONG_TURN)
    assert len(units) == 12
    assert all(LONG_TURN[u.start : u.end].endswith("plan.") for u in units)
