"""Running a text search: the index narrows, the stored text decides.

The index gives the sentences that may hold each word of the query; each of those sentences is
read from the document's stored text and its words compared exactly (form, lemma or wildcard),
so every hit's position is an index into that text, and both databases give the same hits.
Boolean operators and NEAR are then decided per context (sentence, paragraph, turn, document).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .errors import InvalidValue
from .records import SegmentRecord, TurnRecord
from .search_index import KeyQuery, UnitRow
from .search_query import And, Near, Node, Not, Or, Phrase, Term, leaves
from .search_text import (
    WORD,
    forms_of,
    index_key,
    lemma,
    paragraph_span,
    sentence_spans_in,
    word_form,
)
from .speaker_map import SpeakerFilter, SpeakerMap

CONTEXTS = ("sentence", "paragraph", "turn", "document")
_SHOWN = 70  # characters of context each side of a hit


@dataclass(frozen=True)
class SearchOptions:
    """How words match (``lemmas``; else exact forms) and where AND/NOT/NEAR look (``context``)."""

    lemmas: bool = True
    context: str = "paragraph"
    regex: bool = False

    def __post_init__(self) -> None:
        if self.context not in CONTEXTS:
            raise InvalidValue(f"Context must be one of {', '.join(CONTEXTS)}.")


@dataclass(frozen=True)
class Scope:
    """Where to search: documents, speakers' turns, and text some coders (or codes) coded."""

    document_ids: tuple[int, ...] | None = None
    speakers: tuple[str, ...] = ()
    exclude_speakers: tuple[str, ...] = ()
    coded_by: tuple[int, ...] = ()
    coded_with: tuple[int, ...] = ()
    roles: tuple[str, ...] = ()  # keep only turns of speakers in these roles
    exclude_roles: tuple[str, ...] = ()  # "exclude interviewer turns"

    @cached_property
    def turns(self) -> SpeakerFilter:
        """The speaker and role part of the scope (speaker names resolve through aliases)."""
        return SpeakerFilter(self.speakers, self.exclude_speakers, self.roles, self.exclude_roles)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where a word, phrase or regex match lies, and the sentence around it."""

    document_id: int
    start: int
    end: int
    first_word: int  # word numbers in the document (for NEAR)
    last_word: int
    unit_start: int  # the index row it was found in (whole sentences)
    unit_end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Hit:
    """One result line: the match, its surroundings and who was speaking."""

    document_id: int
    document: str
    start: int
    end: int
    text: str
    before: str
    after: str
    speaker: str
    timestamp: str
    sentence: tuple[int, int]
    paragraph: tuple[int, int]


@dataclass
class Corpus:
    """What the search reads: texts, names, turns and (for coded scope) segments per document."""

    texts: dict[int, str]
    names: dict[int, str]
    turns: dict[int, list[TurnRecord]] = field(default_factory=dict)
    segments: dict[int, list[SegmentRecord]] = field(default_factory=dict)
    speakers: SpeakerMap | None = None  # loaded when the scope filters by speaker or role
    _starts: dict[int, list[int]] = field(default_factory=dict)
    _sentences: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict)

    def sentence(
        self, document_id: int, unit: UnitRow | Occurrence, position: int
    ) -> tuple[int, int]:
        """The sentence holding ``position`` in a unit (sentences found once per unit)."""
        span = (unit.start, unit.end) if isinstance(unit, UnitRow) else (
            unit.unit_start, unit.unit_end)  # fmt: skip
        key = (document_id, span[0])
        sentences = self._sentences.get(key)
        if sentences is None:
            body = self.texts[document_id]
            sentences = self._sentences[key] = sentence_spans_in(body, *span) or [span]
        return _containing(sentences, position)

    def turn_at(self, document_id: int, position: int) -> TurnRecord | None:
        turns = self.turns.get(document_id, [])
        starts = self._starts.get(document_id)
        if starts is None or len(starts) != len(turns):
            starts = self._starts[document_id] = [t.start for t in turns]
        n = bisect_right(starts, position) - 1
        if n >= 0 and turns[n].start <= position < turns[n].end:
            return turns[n]
        return None


Matcher = Callable[[str], bool]


def accepted_forms(term: Term, lemmas: bool) -> frozenset[str] | None:
    """The word forms ``term`` matches: itself, or every form of its lemma (None: a wildcard).

    A word matches a lemma when it is one of its forms in the lookup table (or a possessive of
    one): "trust" finds trusted, trusting, trust's.
    """
    if term.pattern is not None:
        return None
    return forms_of(lemma(term.form)) if lemmas else frozenset({term.form})


def _matcher(term: Term, lemmas: bool) -> Matcher | frozenset[str]:
    forms = accepted_forms(term, lemmas)
    if forms is not None:
        return forms
    pattern = term.pattern
    assert pattern is not None
    return lambda form: pattern.fullmatch(form) is not None


def term_keys(term: Term, lemmas: bool) -> KeyQuery | None:
    """The index keys that may hold ``term``; None when the index cannot narrow it."""
    if term.pattern is not None:
        key = term.prefix_key
        return KeyQuery(prefixes=frozenset({key})) if key else None
    forms = accepted_forms(term, lemmas) or frozenset()
    keys = frozenset(k for k in (index_key(f) for f in forms) if k)
    return KeyQuery(exact=keys) if keys else None


def _phrase_terms(leaf: Term | Phrase) -> tuple[Term, ...]:
    return leaf.terms if isinstance(leaf, Phrase) else (leaf,)


CHECK_EVERY = 512  # units read between two looks at the cancel token


def find_occurrences(
    units: Sequence[UnitRow],
    corpus: Corpus,
    query: Node,
    lemmas: bool,
    check: Callable[[], None] = lambda: None,
) -> dict[Term | Phrase, list[Occurrence]]:
    """Every occurrence of every word and phrase of ``query`` in ``units``; ``check`` is called
    every :data:`CHECK_EVERY` units (it raises to stop the search)."""
    found: dict[Term | Phrase, list[Occurrence]] = defaultdict(list)
    plans = [(leaf, [_matcher(t, lemmas) for t in _phrase_terms(leaf)]) for leaf in leaves(query)]
    for n, unit in enumerate(units):
        if n % CHECK_EVERY == 0:
            check()
        body = corpus.texts[unit.document_id]
        found_words = WORD.findall(body, unit.start, unit.end)
        forms = list(map(str.lower, found_words))
        if "’" in body[unit.start : unit.end]:
            forms = [word_form(w) for w in found_words]
        spans: list[tuple[int, int]] | None = None
        for leaf, matchers in plans:
            # Most candidate units lack a word: sets rule them out at C speed.
            if any(isinstance(m, frozenset) and m.isdisjoint(forms) for m in matchers):
                continue
            tests = [m.__contains__ if isinstance(m, frozenset) else m for m in matchers]
            rest = tests[1:]
            size = len(tests)
            # max: a phrase longer than the unit starts nowhere (a negative slice would count
            # from the end).
            for i in _starts(forms, matchers[0], max(len(forms) - size + 1, 0)):
                if rest and not all(test(forms[i + 1 + j]) for j, test in enumerate(rest)):
                    continue
                if spans is None:
                    spans = list(map(_SPAN, WORD.finditer(body, unit.start, unit.end)))
                start, end = spans[i][0], spans[i + size - 1][1]
                if size > 1 and end > corpus.sentence(unit.document_id, unit, start)[1]:
                    continue  # a phrase does not run on over a sentence's end
                found[leaf].append(
                    Occurrence(
                        unit.document_id,
                        start,
                        end,
                        unit.word_offset + i,
                        unit.word_offset + i + size - 1,
                        unit.start,
                        unit.end,
                        unit.paragraph,
                    )
                )
    return found


_SPAN = re.Match.span


def _starts(forms: list[str], matcher: Matcher | frozenset[str], limit: int) -> list[int]:
    """Where in ``forms[:limit]`` a word the matcher accepts stands, in order.

    A set of forms is looked up by ``list.index`` for each form present (C speed: most units
    hold one or two of the forms); a wildcard tests every word.
    """
    if not isinstance(matcher, frozenset):
        return [i for i, form in enumerate(forms[:limit]) if matcher(form)]
    found: list[int] = []
    for form in matcher.intersection(forms[:limit]):
        at = forms.index(form, 0, limit)
        while True:
            found.append(at)
            try:
                at = forms.index(form, at + 1, limit)
            except ValueError:
                break
    found.sort()
    return found


def unit_context(unit: UnitRow, context: str) -> Hashable:
    """The context key two units' words must share to meet in ``context``: a unit's own for
    sentences (a sentence lies inside one unit), its line for paragraphs, its document for
    documents and turns (a turn may span lines, and the index does not know turns)."""
    if context == "sentence":
        return (unit.document_id, unit.start)
    if context == "paragraph":
        return (unit.document_id, unit.paragraph)
    return unit.document_id


Contexts = set[Hashable] | None  # None: any context


def possible_contexts(node: Node, found: dict[Term | Phrase, Contexts]) -> Contexts:
    """The contexts where ``node`` could be true, given where each word may stand (a superset:
    an AND or NEAR needs all its positive parts in one context; NOT restricts nothing)."""
    if isinstance(node, Term | Phrase):
        return found[node]
    if isinstance(node, Not):
        return None
    if isinstance(node, Or):
        parts = [possible_contexts(item, found) for item in node.items]
        if any(p is None for p in parts):
            return None
        return set().union(*parts)  # type: ignore[arg-type]
    items = node.items if isinstance(node, And) else (node.left, node.right)
    known = [p for i in items if (p := possible_contexts(i, found)) is not None]
    if not known:
        return None
    return set.intersection(*known)


def prune_units(
    query: Node, by_leaf: dict[Term | Phrase, list[UnitRow]], context: str
) -> list[UnitRow]:
    """The candidate units of every word that lie in a context where the query could be true:
    "trust AND funding" reads only the paragraphs holding both, not every one holding either."""
    found: dict[Term | Phrase, Contexts] = {
        leaf: {unit_context(u, context) for u in rows} for leaf, rows in by_leaf.items()
    }
    allowed = possible_contexts(query, found)
    units = {
        u.id: u
        for rows in by_leaf.values()
        for u in rows
        if allowed is None or unit_context(u, context) in allowed
    }
    return sorted(units.values(), key=lambda u: (u.document_id, u.start))


def _containing(spans: Sequence[tuple[int, int]], position: int) -> tuple[int, int]:
    n = bisect_right([s for s, _ in spans], position) - 1
    return spans[max(n, 0)] if spans else (position, position)


def in_scope(occurrence: Occurrence, corpus: Corpus, scope: Scope) -> bool:
    """Whether an occurrence lies in the speakers' turns and in the coding the scope asks for."""
    if scope.turns.active:
        turn = corpus.turn_at(occurrence.document_id, occurrence.start)
        label = turn.speaker if turn else None
        if not scope.turns.allows(occurrence.document_id, label, corpus.speakers):
            return False
    if scope.coded_by or scope.coded_with:
        return any(
            s.start <= occurrence.start and occurrence.end <= s.end
            for s in corpus.segments.get(occurrence.document_id, ())
        )
    return True


def context_key(occurrence: Occurrence, corpus: Corpus, context: str) -> Hashable:
    doc = occurrence.document_id
    if context == "sentence":
        return (doc, corpus.sentence(doc, occurrence, occurrence.start)[0])
    if context == "paragraph":
        return (doc, "p", occurrence.paragraph)
    if context == "turn":
        turn = corpus.turn_at(doc, occurrence.start)
        return (doc, "t", turn.id) if turn else (doc, "p", occurrence.paragraph)
    return doc


def _gap(a: Occurrence, b: Occurrence) -> int:
    if a.last_word < b.first_word:
        return b.first_word - a.last_word
    if b.last_word < a.first_word:
        return a.first_word - b.last_word
    return 0


def _evaluate(node: Node, here: dict[Term | Phrase, list[Occurrence]]) -> list[Occurrence] | None:
    """The occurrences that make ``node`` true in one context, or None when it is false."""
    if isinstance(node, Term | Phrase):
        return here.get(node) or None
    if isinstance(node, Not):
        return [] if _evaluate(node.item, here) is None else None
    if isinstance(node, And):
        parts = [_evaluate(item, here) for item in node.items]
        if any(p is None for p in parts):
            return None
        return [o for p in parts if p for o in p]
    if isinstance(node, Or):
        parts = [_evaluate(item, here) for item in node.items]
        found = [o for p in parts if p for o in p]
        return found if any(p is not None for p in parts) else None
    assert isinstance(node, Near)
    left, right = _evaluate(node.left, here) or [], _evaluate(node.right, here) or []
    used = {
        o for a in left for b in right if _gap(a, b) <= node.distance and a != b for o in (a, b)
    }
    return sorted(used, key=lambda o: o.start) or None


def decide(
    query: Node,
    found: dict[Term | Phrase, list[Occurrence]],
    corpus: Corpus,
    options: SearchOptions,
    scope: Scope,
) -> list[Occurrence]:
    """The occurrences that answer ``query``: grouped by context, each context decided alone."""
    by_context: dict[Hashable, dict[Term | Phrase, list[Occurrence]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for leaf, occurrences in found.items():
        for occurrence in occurrences:
            if in_scope(occurrence, corpus, scope):
                by_context[context_key(occurrence, corpus, options.context)][leaf].append(
                    occurrence
                )
    answer: set[Occurrence] = set()
    for here in by_context.values():
        answer.update(_evaluate(query, here) or ())
    return sorted(answer, key=lambda o: (o.document_id, o.start, o.end))


def hits_of(occurrences: Sequence[Occurrence], corpus: Corpus) -> list[Hit]:
    """Result lines for occurrences, sorted by document name and position."""
    hits = []
    for o in occurrences:
        body = corpus.texts[o.document_id]
        para_start, para_end = paragraph_span(body, o.start)
        turn = corpus.turn_at(o.document_id, o.start)
        sentence = corpus.sentence(o.document_id, o, o.start)
        hits.append(
            Hit(
                document_id=o.document_id,
                document=corpus.names[o.document_id],
                start=o.start,
                end=o.end,
                text=body[o.start : o.end],
                before=body[max(para_start, o.start - _SHOWN) : o.start],
                after=body[o.end : min(max(para_end, o.end), o.end + _SHOWN)],
                speaker=turn.speaker if turn else "",
                timestamp=(turn.timestamp or "") if turn else "",
                sentence=(sentence[0], max(sentence[1], o.end)),
                paragraph=(para_start, max(para_end, o.end)),
            )
        )
    hits.sort(key=lambda h: (h.document.casefold(), h.document_id, h.start, h.end))
    return hits
