"""The lexical suggester: a codebook's names, keywords and definitions matched on lemmas.

It works before anything has been coded. Every term is matched by lemma, so the keyword
"trusting relationships" finds "they trusted each other" through its word "trust". A whole
keyword phrase weighs most, a single word of a name or keyword less, a word of a definition
least; a word that several codes share is split between them. A unit's score for a code is
``1 - prod(1 - weight)`` over the distinct terms it matched, so more evidence only adds.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from collabcoder.nlp.pipeline import LEMMATIZER, load_pipeline, pipeline_version
from collabcoder.nlp.suggestion import CodeTerms, DocumentText, RejectedSpans, Suggestion
from collabcoder.nlp.units import SHORT_DOCUMENT_WORDS, Unit, document_units

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

PHRASE_WEIGHT = 0.9
WORD_WEIGHT = 0.5
DEFINITION_WEIGHT = 0.25
MIN_SCORE = 0.5


@dataclass(frozen=True, slots=True)
class _Hit:
    code_id: int
    weight: float
    term: str


def _content_lemmas(doc: Doc) -> list[str]:
    return [
        token.lemma_
        for token in doc
        if token.is_alpha and not token.is_stop and len(token.text) > 2
    ]


class LexicalSuggester:
    """Suggests codes for units of text from the codebook's own words."""

    method = "lexical"

    def __init__(self, codes: Sequence[CodeTerms], nlp: Language | None = None) -> None:
        from spacy.matcher import PhraseMatcher

        self.nlp = nlp if nlp is not None else load_pipeline()
        self._lemmatizer = self.nlp.get_pipe(LEMMATIZER)
        self._hits: dict[int, list[_Hit]] = {}
        self.matcher: PhraseMatcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self._build(codes)
        fingerprint = hashlib.sha256(repr(sorted(codes, key=lambda c: c.code_id)).encode())
        self.model_version = f"lexical-{fingerprint.hexdigest()[:12]}/{pipeline_version(self.nlp)}"

    def _doc(self, text: str) -> Doc:
        """``text`` tokenized and lemmatized (sentences are not needed for terms)."""
        return self._lemmatizer(self.nlp.make_doc(text))

    def _build(self, codes: Sequence[CodeTerms]) -> None:
        # term (its lemmas joined by spaces) -> code -> weight
        terms: dict[str, dict[int, float]] = defaultdict(dict)
        patterns: dict[str, Doc] = {}

        def offer(pattern: Doc, code_id: int, weight: float) -> None:
            key = " ".join(token.lemma_ for token in pattern if not token.is_punct)
            # A term made only of function words ("IT" read as "it") would match everywhere.
            if key and _content_lemmas(pattern):
                patterns.setdefault(key, pattern)
                terms[key][code_id] = max(weight, terms[key].get(code_id, 0.0))

        for code in codes:
            for phrase in (self._doc(p) for p in (code.name, *code.keywords) if p.strip()):
                offer(phrase, code.code_id, PHRASE_WEIGHT)
                words = _content_lemmas(phrase)
                if len(words) > 1:
                    for word in words:
                        offer(self._doc(word), code.code_id, WORD_WEIGHT)
            for text in (code.definition, code.inclusion):
                for word in _content_lemmas(self._doc(text)):
                    offer(self._doc(word), code.code_id, DEFINITION_WEIGHT)
        strings = self.nlp.vocab.strings
        for key, by_code in terms.items():
            # A single word shared by several codes says less about each of them.
            share = len(by_code) if " " not in key else 1
            self._hits[strings.add(key)] = [
                _Hit(code_id, weight / share, key) for code_id, weight in by_code.items()
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
        for index, block, doc, units in document_units(self.nlp, jobs, short_words, batch_size):
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


class CodeLike(Protocol):
    """What the lexical suggester reads from a code (``CodeRecord`` has it all)."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def keywords(self) -> Sequence[str]: ...
    @property
    def definition(self) -> str: ...
    @property
    def inclusion(self) -> str: ...


def terms_from_records(records: Iterable[CodeLike]) -> list[CodeTerms]:
    """The lexical suggester's view of a project's codes."""
    return [CodeTerms(r.id, r.name, tuple(r.keywords), r.definition, r.inclusion) for r in records]
