"""The faster readings search uses give exactly what the plain rules give.

``sentence_spans_in`` scans a line with three searches per sentence instead of one lazy regex;
``_starts`` finds the words a set of forms accepts with ``list.index``. Both were the slowest
steps of a query over 5 M words (``bench/search_bench.py --profile``).
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from collabcoder.core.search_eval import _starts
from collabcoder.core.search_text import sentence_spans, sentence_spans_in
from collabcoder.synthesis import units

_TEXT = st.text(st.sampled_from([*"ab .!?…\"'”’)]\n\t\r x", "\u00a0", "🙂"]), max_size=60)


@given(text=_TEXT, cut=st.tuples(st.integers(0, 60), st.integers(0, 60)))
def test_sentences_are_those_of_the_one_regex_rule(text: str, cut: tuple[int, int]) -> None:
    """Whole texts and any slice give the spans of the rule as one regex (the one synthesis
    units still use), so index rows and matrix units agree."""
    rule = units._SENTENCE
    assert sentence_spans(text) == [m.span() for m in rule.finditer(text)]
    start, end = min(cut[0], len(text)), min(max(cut), len(text))
    assert sentence_spans_in(text, start, end) == [
        m.span() for m in rule.finditer(text, start, end)
    ]


@given(
    forms=st.lists(st.sampled_from(["work", "works", "the", "worked", "a"]), max_size=30),
    limit=st.integers(0, 32),
)
def test_starts_are_the_positions_a_scan_finds(forms: list[str], limit: int) -> None:
    """A set of forms finds the positions (below ``limit``) that testing every word finds, in
    order; a wildcard tests every word."""
    accepted = frozenset({"work", "works", "worked"})
    assert _starts(forms, accepted, limit) == [
        i for i, f in enumerate(forms[:limit]) if f in accepted
    ]
    pattern = re.compile("wor.*")
    assert _starts(forms, lambda f: pattern.fullmatch(f) is not None, limit) == [
        i for i, f in enumerate(forms[:limit]) if pattern.fullmatch(f)
    ]
