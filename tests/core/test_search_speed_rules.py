"""The faster readings search uses give exactly what the plain rules give.

``sentence_spans_in`` scans a line with three searches per sentence instead of one lazy regex;
``_starts`` finds the words a set of forms accepts with ``list.index``; ``prune_units`` reads
only the units in contexts where the query could be true. These were the slowest steps of a
query over 5 M words (``bench/search_bench.py --profile``).
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collabcoder.core import search as search_module
from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.core.search_eval import SearchOptions, _starts
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


_WORDS = st.sampled_from(["trust", "funding", "council", "the", "trusted", ".", "\n", "Funded."])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bodies=st.lists(st.lists(_WORDS, min_size=1, max_size=40), min_size=1, max_size=3))
def test_pruned_candidates_give_the_hits_of_all_candidates(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    bodies: list[list[str]],
) -> None:
    """Reading only the units in contexts where the query could be true (``prune_units``)
    finds exactly the hits that reading every candidate unit finds, for every operator and
    context."""
    folder = tmp_path_factory.mktemp("prune")
    queries = [
        "trust AND funding",
        "trust NEAR/3 council",
        "funding NOT council",
        "(trust OR council) AND fund*",
        "trust council NOT funding",
        '"the council" trust',
    ]
    with Project.create(folder / "p.ccproj", coder="Ann") as project:
        for n, words in enumerate(bodies):
            project.documents.add(NewDocument(f"d{n}", " ".join(words)))

        def everything(query: object, by_leaf: dict, context: str) -> list:  # type: ignore[type-arg]
            units = {u.id: u for rows in by_leaf.values() for u in rows}
            return sorted(units.values(), key=lambda u: (u.document_id, u.start))

        for context in ("sentence", "paragraph", "turn", "document"):
            options = SearchOptions(context=context)
            pruned = {q: project.search.run(q, options).hits for q in queries}
            with monkeypatch.context() as patch:
                patch.setattr(search_module, "prune_units", everything)
                for query in queries:
                    assert project.search.run(query, options).hits == pruned[query], query


def _disjoint(points: list[int]) -> list[tuple[int, int]]:
    cuts = sorted(set(points))
    return [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]


@settings(max_examples=200, deadline=None)
@given(
    left=st.lists(st.integers(0, 200), max_size=16),
    right=st.lists(st.integers(0, 200), max_size=16),
    turn_cuts=st.lists(st.integers(1, 199), max_size=8),
    distance=st.integers(0, 6),
)
def test_relations_by_nearest_passages_match_every_pair(
    left: list[int], right: list[int], turn_cuts: list[int], distance: int
) -> None:
    """Deciding a relation from the passages nearest each one (bisection) keeps exactly the
    passages that testing every pair keeps, for every relation, in words and in turns."""
    from collabcoder.core import search_coding as sc
    from collabcoder.core.records import TurnRecord

    text = ("ab cd. ef gh ij! " * 12)[:201]
    bounds = [0, *sorted(set(turn_cuts)), 201]
    turns = [TurnRecord(n, 1, "S", a, b, None, None) for n, (a, b) in
             enumerate(itertools.pairwise(bounds)) if a < b]  # fmt: skip
    a, b = _disjoint(left), _disjoint(right)
    documents = {1: sc._Document(text, turns)}
    leaves = {"A": {1: a} if a else {}, "B": {1: b} if b else {}}
    for op, unit in [("OVERLAPS", "WORDS"), ("WITHIN", "WORDS"), ("ENCLOSES", "WORDS"),
                     ("FOLLOWED", "WORDS"), ("PRECEDED", "WORDS"), ("NEAR", "WORDS"),
                     ("NEAR", "TURNS"), ("SAME", "SENTENCE")]:  # fmt: skip
        relation = sc.Relation(op, sc.CodeRef("A"), sc.CodeRef("B"), distance, unit)
        every_pair = [x for x in a if any(sc._related(relation, x, y, documents[1]) for y in b)]
        assert sc.evaluate(relation, leaves, documents).get(1, []) == every_pair, (op, unit)


@given(
    text=st.text(st.sampled_from([*"ab -’'\n\t.", "é", "🙂", " "]), max_size=50),
    cut=st.tuples(st.integers(0, 50), st.integers(0, 50)),
)
def test_words_in_a_gap_are_counted_as_in_the_whole_text(text: str, cut: tuple[int, int]) -> None:
    """Counting the words that start in a gap, reading only from the space before it, gives
    what the whole text's word spans give (a gap may start inside a word)."""
    from bisect import bisect_left

    from collabcoder.core.search_coding import _Document
    from collabcoder.core.text import word_spans

    start, end = sorted(min(c, len(text)) for c in cut)
    starts = [s for s, _ in word_spans(text)]
    expected = bisect_left(starts, end) - bisect_left(starts, start)
    assert _Document(text, []).words_starting(start, end, 100) == expected
