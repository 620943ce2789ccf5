"""Coding queries: codes combined by AND / OR / NOT and by how their passages relate.

    "Trust" AND "Funding"                 text coded with both (the overlap)
    Trust OR Funding                      text coded with either
    Trust NOT Funding                     text coded Trust and not Funding
    Trust OVERLAPS Funding                Trust passages that share text with a Funding one
    Trust WITHIN Funding                  Trust passages inside a Funding passage
    Trust ENCLOSES Funding                Trust passages holding a whole Funding passage
    Trust FOLLOWED BY/20 Funding          Trust passages a Funding passage starts after, within
                                          20 words (PRECEDED BY/n the other way; default 10)
    Trust NEAR/5 Funding                  within 5 words either side (NEAR/2 TURNS: turns)
    Trust SAME TURN Funding               in the same sentence / paragraph / turn / document

A code is named by its path or, when unique, its name; quote names with spaces. The passages
of a code are its segments, overlapping ones joined; every result is a list of passages.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .records import TurnRecord
from .search_eval import Scope
from .search_query import QueryError
from .search_text import WORD, line_starts, sentence_spans
from .segments import SegmentFilter

if TYPE_CHECKING:
    from .project import Project

Spans = dict[int, list[tuple[int, int]]]  # document id -> disjoint sorted (start, end)
UNITS = ("SENTENCE", "PARAGRAPH", "TURN", "DOCUMENT")
DEFAULT_DISTANCE = 10
_TOKEN = re.compile(r'\s*(?:(?P<quoted>"[^"]*"?)|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_DISTANCE = re.compile(r"(NEAR|BY)(?:/(\d+))?$")
OPERATORS = frozenset(
    {
        "AND",
        "OR",
        "NOT",
        "OVERLAPS",
        "WITHIN",
        "ENCLOSES",
        "FOLLOWED",
        "PRECEDED",
        "BY",
        "SAME",
        "NEAR",
        "TURNS",
        "WORDS",
        *UNITS,
    }
)


@dataclass(frozen=True)
class CodeRef:
    name: str


@dataclass(frozen=True)
class Combine:
    op: str  # AND | OR | NOT
    left: CodingNode
    right: CodingNode


@dataclass(frozen=True)
class Relation:
    op: str  # OVERLAPS WITHIN ENCLOSES FOLLOWED PRECEDED NEAR SAME
    left: CodingNode
    right: CodingNode
    distance: int = DEFAULT_DISTANCE
    unit: str = "WORDS"  # NEAR: WORDS | TURNS; SAME: one of UNITS


CodingNode = CodeRef | Combine | Relation


@dataclass(frozen=True, slots=True)
class Passage:
    document_id: int
    document: str
    start: int
    end: int
    text: str
    speaker: str


# -- reading ---------------------------------------------------------------------------------------
class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = [
            (m.lastgroup, m.group(m.lastgroup))
            for m in _TOKEN.finditer(query)
            if m.lastgroup is not None
        ]
        self.at = 0

    def peek(self, ahead: int = 0) -> str | None:
        n = self.at + ahead
        return self.tokens[n][1] if n < len(self.tokens) else None

    def take(self) -> str:
        self.at += 1
        return self.tokens[self.at - 1][1]

    def parse(self) -> CodingNode:
        if not self.tokens:
            raise QueryError('The coding query is empty: name a code, e.g. "Trust" AND Funding')
        node = self.combine(("OR",), self.and_expr)
        if self.peek() is not None:
            raise QueryError(f"Unexpected {self.peek()!r} in the coding query {self.query!r}")
        return node

    def combine(self, ops: tuple[str, ...], inner: Callable[[], CodingNode]) -> CodingNode:
        node = inner()
        while self.peek() in ops:
            node = Combine(self.take(), node, inner())
        return node

    def and_expr(self) -> CodingNode:
        return self.combine(("AND", "NOT"), self.relation)

    def relation(self) -> CodingNode:
        node = self.primary()
        while True:
            word = self.peek()
            if word in ("OVERLAPS", "WITHIN", "ENCLOSES"):
                self.take()
                node = Relation(word, node, self.primary())
            elif word in ("FOLLOWED", "PRECEDED"):
                self.take()
                distance = self._distance("BY")
                node = Relation(word, node, self.primary(), distance)
            elif word is not None and word.startswith("NEAR") and _DISTANCE.match(word):
                distance = self._distance("NEAR")
                unit = "TURNS" if self.peek() == "TURNS" else "WORDS"
                if self.peek() in ("TURNS", "WORDS"):
                    self.take()
                node = Relation("NEAR", node, self.primary(), distance, unit)
            elif word == "SAME":
                self.take()
                if self.peek() not in UNITS:
                    raise QueryError(f"SAME needs one of {', '.join(UNITS)} in {self.query!r}")
                unit = self.take()
                node = Relation("SAME", node, self.primary(), unit=unit)
            else:
                return node

    def _distance(self, word: str) -> int:
        token = self.take() if self.peek() is not None else ""
        match = _DISTANCE.match(token)
        if match is None or match.group(1) != word:
            raise QueryError(f"Expected {word} (or {word}/n) in {self.query!r}")
        return int(match.group(2)) if match.group(2) else DEFAULT_DISTANCE

    def primary(self) -> CodingNode:
        if self.peek() is None:
            raise QueryError(f"The coding query {self.query!r} ends where a code was expected")
        kind, value = self.tokens[self.at]
        self.at += 1
        if value == "(":
            node = self.combine(("OR",), self.and_expr)
            if self.peek() != ")":
                raise QueryError(f"A bracket is not closed in {self.query!r}")
            self.take()
            return node
        if kind == "quoted":
            if len(value) < 2 or not value.endswith('"'):
                raise QueryError(f"A quotation mark is not closed in {self.query!r}")
            return CodeRef(value[1:-1])
        if value == ")" or value in OPERATORS:
            raise QueryError(f"Expected a code where {value!r} is, in {self.query!r}")
        return CodeRef(value)


def parse_coding_query(query: str) -> CodingNode:
    """Read a coding query; raise :class:`QueryError` naming the problem."""
    return _Parser(query).parse()


def code_names(node: CodingNode) -> list[str]:
    if isinstance(node, CodeRef):
        return [node.name]
    return code_names(node.left) + code_names(node.right)


# -- span algebra ----------------------------------------------------------------------------------
def _joined(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _subtract(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for start, end in a:
        for b_start, b_end in b:
            if b_end <= start or b_start >= end:
                continue
            if b_start > start:
                out.append((start, b_start))
            start = max(start, b_end)
        if start < end:
            out.append((start, end))
    return out


@dataclass
class _Document:
    """What relations measure with in one document: words, sentences, lines and turns."""

    text: str
    turns: list[TurnRecord]
    _units: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _turn_starts: list[int] | None = field(default=None)

    def words_starting(self, start: int, end: int, limit: int) -> int:
        """How many words start in ``[start, end)`` (counting stops past ``limit``).

        Words are read from the last space before ``start``: a word never holds a space, so
        from there the words are those of the whole text (``core.text.word_spans``), and only
        the gap is read, not the whole document.
        """
        safe = max(self.text.rfind(c, 0, start) for c in " \n\t") + 1
        count = 0
        for match in WORD.finditer(self.text, safe, end):
            if match.start() >= start:
                count += 1
                if count > limit:
                    break
        return count

    def word_gap(self, a: tuple[int, int], b: tuple[int, int], limit: int) -> int:
        """1 for passages side by side, one more per word between them; 0 when they overlap
        (exact up to ``limit``; past it, some number above ``limit``)."""
        if a[1] <= b[0]:
            return self.words_starting(a[1], b[0], limit) + 1
        if b[1] <= a[0]:
            return self.words_starting(b[1], a[0], limit) + 1
        return 0

    def turn_index(self, position: int) -> int:
        if self._turn_starts is None:
            self._turn_starts = [t.start for t in self.turns]
        return bisect_right(self._turn_starts, position) - 1

    def units(self, unit: str) -> list[tuple[int, int]]:
        if unit not in self._units:
            if unit == "SENTENCE":
                spans = sentence_spans(self.text)
            elif unit == "PARAGRAPH":
                starts = line_starts(self.text)
                ends = [s - 1 for s in starts[1:]] + [len(self.text)]
                spans = list(zip(starts, ends, strict=True))
            elif unit == "TURN":
                spans = [(t.start, t.end) for t in self.turns]
            else:
                spans = [(0, len(self.text))]
            self._units[unit] = spans
        return self._units[unit]

    def units_touched(self, unit: str, span: tuple[int, int]) -> set[int]:
        spans = self.units(unit)
        return {n for n, (s, e) in enumerate(spans) if s < span[1] and span[0] < e}


def _related(relation: Relation, a: tuple[int, int], b: tuple[int, int], doc: _Document) -> bool:
    op = relation.op
    if op == "OVERLAPS":
        return a[0] < b[1] and b[0] < a[1]
    if op == "WITHIN":
        return b[0] <= a[0] and a[1] <= b[1]
    if op == "ENCLOSES":
        return a[0] <= b[0] and b[1] <= a[1]
    if op == "FOLLOWED":
        return b[0] >= a[1] and doc.word_gap(a, b, relation.distance) <= relation.distance
    if op == "PRECEDED":
        return b[1] <= a[0] and doc.word_gap(a, b, relation.distance) <= relation.distance
    if op == "NEAR" and relation.unit == "TURNS":
        return abs(doc.turn_index(a[0]) - doc.turn_index(b[0])) <= relation.distance
    if op == "NEAR":
        return doc.word_gap(a, b, relation.distance) <= relation.distance
    return bool(doc.units_touched(relation.unit, a) & doc.units_touched(relation.unit, b))


# Relations decided by the passages nearest each one (``other`` is disjoint and sorted, so
# they are found by bisection instead of testing every pair).
_NEAREST = frozenset({"OVERLAPS", "WITHIN", "ENCLOSES", "FOLLOWED", "PRECEDED", "NEAR"})


def _nearest(
    op: str,
    a: tuple[int, int],
    other: list[tuple[int, int]],
    starts: list[int],
    ends: list[int],
) -> list[tuple[int, int]]:
    """The passages of ``other`` that can decide ``a``'s relation: those overlapping it, the
    last ending at or before its start and the first starting at or after its end."""
    if op == "WITHIN":  # the one passage that starts at or before a's start
        n = bisect_right(starts, a[0]) - 1
        return other[n : n + 1] if n >= 0 else []
    first = bisect_right(ends, a[0])  # the first passage ending after a starts
    last = bisect_left(starts, a[1])  # passages from here on start at or after a's end
    overlapping = other[first:last]
    before = other[first - 1 : first] if first > 0 else []
    after = other[last : last + 1]
    if op == "FOLLOWED":  # the gap grows with the start of the passage after
        return after
    if op == "PRECEDED":
        return before
    if op == "NEAR":
        return before + overlapping + after
    return overlapping  # OVERLAPS, ENCLOSES


def evaluate(
    node: CodingNode,
    leaves: dict[str, Spans],
    documents: dict[int, _Document],
    check: Callable[[], None] = lambda: None,
) -> Spans:
    """The passages that answer ``node`` in every document (``check`` called per document)."""
    if isinstance(node, CodeRef):
        return leaves[node.name]
    left = evaluate(node.left, leaves, documents, check)
    right = evaluate(node.right, leaves, documents, check)
    out: Spans = {}
    if isinstance(node, Combine) and node.op == "OR":
        for doc in set(left) | set(right):
            out[doc] = _joined(left.get(doc, []) + right.get(doc, []))
    elif isinstance(node, Combine):
        for doc, spans in left.items():
            other = right.get(doc, [])
            out[doc] = _intersect(spans, other) if node.op == "AND" else _subtract(spans, other)
    else:
        for doc, spans in left.items():
            check()
            other = right.get(doc, [])
            if node.op in _NEAREST:
                starts, ends = [b[0] for b in other], [b[1] for b in other]
                out[doc] = [
                    a
                    for a in spans
                    if any(
                        _related(node, a, b, documents[doc])
                        for b in _nearest(node.op, a, other, starts, ends)
                    )
                ]
                continue
            out[doc] = [
                a for a in spans if any(_related(node, a, b, documents[doc]) for b in other)
            ]
    return {doc: spans for doc, spans in out.items() if spans}


def run_coding_query(
    project: Project,
    query: str,
    scope: Scope | None = None,
    read_texts: Callable[[Sequence[int]], dict[int, str]] | None = None,
    check: Callable[[], None] = lambda: None,
    read_turns: Callable[[Sequence[int]], dict[int, list[TurnRecord]]] | None = None,
) -> list[Passage]:
    """Run a coding query over the project's coding, restricted to ``scope``.

    ``read_texts`` and ``read_turns`` read documents' texts and turns (the search's caches); by
    default from the project. ``check`` is called between steps and per document (it raises to
    stop the query). Turns are read for every document involved only when a relation counts
    turns; otherwise only for the documents with results (their speakers).
    """
    scope = scope or Scope()
    node = parse_coding_query(query)
    codes = {name: project.codes.by_path(name).id for name in code_names(node)}
    leaves: dict[str, dict[int, list[tuple[int, int]]]] = {n: defaultdict(list) for n in codes}
    wanted = SegmentFilter(
        code_ids=sorted(set(codes.values())),
        document_ids=scope.document_ids,
        coder_ids=scope.coded_by or None,
    )
    for seg in project.segments.list(wanted):
        for name, code_id in codes.items():
            if code_id == seg.code_id:
                leaves[name][seg.document_id].append((seg.start, seg.end))
    check()
    joined = {n: {d: _joined(s) for d, s in spans.items()} for n, spans in leaves.items()}
    involved = sorted({d for spans in joined.values() for d in spans})
    texts = (read_texts or project.documents.texts)(involved)

    def turns_of(document_ids: Sequence[int]) -> dict[int, list[TurnRecord]]:
        if read_turns is not None:
            return read_turns(document_ids)
        found: dict[int, list[TurnRecord]] = {d: [] for d in document_ids}
        for turn in project.documents.turns(document_ids=document_ids):
            found[turn.document_id].append(turn)
        return found

    counted = turns_of(involved) if _counts_turns(node) else {}
    documents = {d: _Document(texts[d], counted.get(d, [])) for d in involved}
    names = {d.id: d.name for d in project.documents.list()}
    speakers = project.speakers.map() if scope.turns.active else None
    passages = []
    check()
    answered = evaluate(node, joined, documents, check)
    check()
    turns = counted or turns_of(sorted(answered))
    for doc, spans in answered.items():
        for start, end in spans:
            piece = texts[doc][start:end]
            start += len(piece) - len(piece.lstrip())
            end = start + len(piece.strip())
            if end <= start:
                continue
            speaker = _speaker(turns[doc], start)
            if not scope.turns.allows(doc, speaker or None, speakers):
                continue
            passages.append(Passage(doc, names[doc], start, end, texts[doc][start:end], speaker))
    passages.sort(key=lambda p: (p.document.casefold(), p.document_id, p.start))
    return passages


def _counts_turns(node: CodingNode) -> bool:
    """Whether a relation of ``node`` measures in turns (NEAR/n TURNS, SAME TURN)."""
    if isinstance(node, CodeRef):
        return False
    if isinstance(node, Relation) and node.unit in ("TURN", "TURNS"):
        return True
    return _counts_turns(node.left) or _counts_turns(node.right)


def _speaker(turns: Sequence[TurnRecord], position: int) -> str:
    n = bisect_right([t.start for t in turns], position) - 1
    if n >= 0 and turns[n].start <= position < turns[n].end:
        return turns[n].speaker
    return ""


def _speaker_allowed(speaker: str, scope: Scope) -> bool:
    name = speaker.casefold()
    if scope.speakers and name not in {s.casefold() for s in scope.speakers}:
        return False
    return not (name and name in {s.casefold() for s in scope.exclude_speakers})


def segments_overlapping(
    project: Project, passages: Sequence[Passage], code_ids: Sequence[int] | None = None
) -> list[int]:
    """Ids of the segments (of ``code_ids``, or any code) that share text with a passage."""
    by_document: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for passage in passages:
        by_document[passage.document_id].append((passage.start, passage.end))
    wanted = SegmentFilter(
        code_ids=None if code_ids is None else list(code_ids), document_ids=sorted(by_document)
    )
    joined = {d: _joined(spans) for d, spans in by_document.items()}
    starts = {d: [s for s, _ in spans] for d, spans in joined.items()}
    found = []
    for segment in project.segments.list(wanted):
        spans = joined[segment.document_id]
        n = bisect_right(starts[segment.document_id], segment.end - 1) - 1
        # Spans are disjoint and sorted: only the last one starting before the segment's end
        # can reach into it.
        if n >= 0 and spans[n][1] > segment.start:
            found.append(segment.id)
    return found
