"""The lexical suggester: a codebook's names, keywords and definitions matched on lemmas.

It works before anything has been coded. Every term is matched by lemma, so the keyword
"trusting relationships" finds "they trusted each other" through its word "trust". Before any
coding, a whole name or keyword of several words weighs most, a single word (a one-word keyword,
or one word of a longer name) less, a word of a definition least; a word that several codes share
is split between them. Once the team has coded, each code's weight per kind of match is its
measured precision on the coded texts: how often a text with such a match had the code (with the
prior weight counted as a few pseudo-matches, so thin evidence moves it little). A unit's score
for a code is ``1 - prod(1 - weight)`` over the distinct terms it matched.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from collabcoder.nlp.pipeline import LEMMATIZER, load_pipeline, pipeline_version
from collabcoder.nlp.suggestion import (
    CodeLike,
    CodeTerms,
    DocumentText,
    RejectedSpans,
    Suggestion,
)
from collabcoder.nlp.units import SHORT_DOCUMENT_WORDS, Unit, document_units

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

PHRASE_WEIGHT = 0.9
WORD_WEIGHT = 0.5
DEFINITION_WEIGHT = 0.25
MIN_SCORE = 0.5
PRIOR_MATCHES = 5.0  # how many measured matches the prior weight counts as

# Kinds of match, each with its own measured precision per code.
PHRASE, WORD, DEFINITION = "phrase", "word", "definition"
KIND_WEIGHTS = {PHRASE: PHRASE_WEIGHT, WORD: WORD_WEIGHT, DEFINITION: DEFINITION_WEIGHT}

# (code, kind of match) -> (coded texts with such a match that had the code, texts with it)
Precision = Mapping[tuple[int, str], tuple[int, int]]


@dataclass(frozen=True, slots=True)
class _Hit:
    code_id: int
    weight: float
    term: str
    kind: str


def _content_lemmas(doc: Doc) -> list[str]:
    return [
        token.lemma_
        for token in doc
        if token.is_alpha and not token.is_stop and len(token.text) > 2
    ]


class LexicalSuggester:
    """Suggests codes for units of text from the codebook's own words."""

    method = "lexical"

    def __init__(
        self,
        codes: Sequence[CodeTerms],
        nlp: Language | None = None,
        precision: Precision | None = None,
    ) -> None:
        from spacy.matcher import PhraseMatcher

        self.nlp = nlp if nlp is not None else load_pipeline()
        self._lemmatizer = self.nlp.get_pipe(LEMMATIZER)
        self._hits: dict[int, list[_Hit]] = {}
        self.matcher: PhraseMatcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self.precision: dict[tuple[int, str], tuple[int, int]] = dict(precision or {})
        self._build(codes)
        fingerprint = hashlib.sha256(
            repr((sorted(codes, key=lambda c: c.code_id), sorted(self.precision.items()))).encode()
        )
        self.model_version = f"lexical-{fingerprint.hexdigest()[:12]}/{pipeline_version(self.nlp)}"

    def weight(self, code_id: int, kind: str, prior: float) -> float:
        """The measured precision of ``kind`` matches for the code, ``prior`` counted as
        :data:`PRIOR_MATCHES` pseudo-matches; ``prior`` itself before any coding."""
        hits, matches = self.precision.get((code_id, kind), (0, 0))
        return (hits + PRIOR_MATCHES * prior) / (matches + PRIOR_MATCHES)

    def measure(self, texts: Sequence[str], codes: Sequence[frozenset[int]]) -> Precision:
        """How often coded ``texts`` with each (code, kind) match had that code."""
        counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
        for text, coded in zip(texts, codes, strict=True):
            doc = self._doc(text)
            matched = {
                (hit.code_id, hit.kind)
                for match_id, _first, _last in self.matcher(doc)
                for hit in self._hits[match_id]
            }
            for code_id, kind in matched:
                counts[(code_id, kind)][1] += 1
                counts[(code_id, kind)][0] += code_id in coded
        return {key: (hits, matches) for key, (hits, matches) in counts.items()}

    def _doc(self, text: str) -> Doc:
        """``text`` tokenized and lemmatized (sentences are not needed for terms)."""
        return self._lemmatizer(self.nlp.make_doc(text))

    def _build(self, codes: Sequence[CodeTerms]) -> None:
        # term (its lemmas joined by spaces) -> code -> kind of match
        terms: dict[str, dict[int, str]] = defaultdict(dict)
        patterns: dict[str, Doc] = {}

        def offer(pattern: Doc, code_id: int, kind: str) -> None:
            key = " ".join(token.lemma_ for token in pattern if not token.is_punct)
            # A term made only of function words ("IT" read as "it") would match everywhere.
            if key and _content_lemmas(pattern):
                patterns.setdefault(key, pattern)
                if " " not in key and kind == PHRASE:
                    kind = WORD  # a one-word name or keyword is weak evidence
                known = terms[key].get(code_id)
                if known is None or KIND_WEIGHTS[kind] > KIND_WEIGHTS[known]:
                    terms[key][code_id] = kind

        for code in codes:
            for phrase in (self._doc(p) for p in (code.name, *code.keywords) if p.strip()):
                offer(phrase, code.code_id, PHRASE)
                words = _content_lemmas(phrase)
                if len(words) > 1:
                    for word in words:
                        offer(self._doc(word), code.code_id, WORD)
            for text in (code.definition, code.inclusion):
                for word in _content_lemmas(self._doc(text)):
                    offer(self._doc(word), code.code_id, DEFINITION)
        strings = self.nlp.vocab.strings
        for key, by_code in terms.items():
            # A single word shared by several codes says less about each of them.
            share = len(by_code) if " " not in key else 1
            self._hits[strings.add(key)] = [
                _Hit(code_id, self.weight(code_id, kind, KIND_WEIGHTS[kind] / share), key, kind)
                for code_id, kind in by_code.items()
            ]
            self.matcher.add(key, [patterns[key]])

    def _unit_scores(
        self, doc: Doc, units: list[Unit], offset: int
    ) -> Iterator[tuple[Unit, int, float, list[str]]]:
        starts = [unit.start for unit in units]
        found: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
        for match_id, first, _last in self.matcher(doc):
            where = bisect_right(starts, offset + doc[first].idx) - 1
            if where < 0 or offset + doc[first].idx >= units[where].end:
                continue
            for hit in self._hits[match_id]:
                found[(where, hit.code_id)][hit.term] = hit.weight
        for (where, code_id), matched in found.items():
            # The words of a matched phrase are not further evidence beside the phrase.
            inside = {word for term in matched if " " in term for word in term.split()}
            matched = {t: w for t, w in matched.items() if " " in t or t not in inside}
            miss = 1.0
            for weight in matched.values():
                miss *= 1.0 - weight
            yield (
                units[where],
                code_id,
                1.0 - miss,
                sorted(matched, key=matched.__getitem__, reverse=True),
            )

    def suggest(
        self,
        documents: Iterable[DocumentText],
        min_score: float = MIN_SCORE,
        rejected: RejectedSpans | None = None,
        short_words: int = SHORT_DOCUMENT_WORDS,
        batch_size: int = 64,
    ) -> list[Suggestion]:
        """Suggestions scoring at least ``min_score`` for every unit of ``documents``."""
        documents = list(documents)
        result: list[Suggestion] = []
        jobs = [(d.text, d.turns) for d in documents]
        skipped = [d.skipped for d in documents]
        for index, block, doc, units in document_units(
            self.nlp, jobs, short_words, batch_size, skipped
        ):
            document = documents[index]
            for unit, code_id, score, terms in self._unit_scores(doc, units, block.start):
                if score < min_score:
                    continue
                suggestion = Suggestion(
                    document_id=document.document_id,
                    start=unit.start,
                    end=unit.end,
                    code_id=code_id,
                    score=round(score, 4),
                    method=self.method,
                    reason="matched: " + ", ".join(terms),
                    model_version=self.model_version,
                )
                if rejected is None or not rejected.blocks(suggestion):
                    result.append(suggestion)
        return result


def measured(
    codes: Sequence[CodeTerms], texts: Sequence[str], coded: Sequence[frozenset[int]]
) -> LexicalSuggester:
    """A lexical suggester whose weights are its measured precision on coded ``texts``."""
    prior = LexicalSuggester(codes)
    return LexicalSuggester(codes, prior.nlp, prior.measure(texts, coded))


def terms_from_records(records: Iterable[CodeLike]) -> list[CodeTerms]:
    """The lexical suggester's view of a project's codes."""
    return [CodeTerms(r.id, r.name, tuple(r.keywords), r.definition, r.inclusion) for r in records]
