"""What the learned model reads: the lower-case lemmas of a text or of each unit of a document,
and of each sentence of a text or unit that has several."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from collabcoder.nlp.units import SHORT_DOCUMENT_WORDS, Unit, document_units

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from collabcoder.nlp.suggestion import DocumentText

# Stands for a text with no words, so "nothing written" can be learned like any other feature
# (spaCy's n-gram extraction cannot take an empty document).
EMPTY = "-EMPTY-"

# A sentence of a text, as the model reads it: its lower-case text and its lemmas.
Sentence = tuple[str, list[str]]


def _words(span: Doc | Span) -> list[str]:
    return [token.lemma_ for token in span if not token.is_space]


def _sentences(spans: Sequence[Span]) -> list[Sentence]:
    """The sentences of a text with more than one sentence that has words; otherwise none."""
    if len(spans) < 2:  # a unit that is one sentence (most units of a long document)
        return []
    found = [(span.text.lower(), words) for span in spans if (words := _words(span))]
    return found if len(found) > 1 else []


def text_lemmas(
    nlp: Language, texts: Sequence[str], batch_size: int = 256
) -> list[tuple[list[str], list[Sentence]]]:
    """Each text's lemmas (non-space tokens) and, when it has several, its sentences."""
    return [
        (_words(doc) or [EMPTY], _sentences(list(doc.sents)))
        for doc in nlp.pipe(texts, batch_size=batch_size)
    ]


def unit_lemmas(
    nlp: Language, documents: Sequence[DocumentText], short_words: int = SHORT_DOCUMENT_WORDS
) -> Iterator[tuple[int, Unit, list[str], list[Sentence]]]:
    """(document index, unit, the unit's lemmas, its sentences when it has several) for every
    unit of every document."""
    jobs = [(d.text, d.turns) for d in documents]
    skipped = [d.skipped for d in documents]
    for index, block, doc, units in document_units(nlp, jobs, short_words, skipped=skipped):
        if not units:
            continue
        starts = [unit.start - block.start for unit in units]
        lemmas: list[list[str]] = [[] for _ in units]
        spans: list[list[Span]] = [[] for _ in units]
        for token in doc:
            where = bisect_right(starts, token.idx) - 1
            if where >= 0 and not token.is_space and token.idx < units[where].end - block.start:
                lemmas[where].append(token.lemma_)
        for sentence in doc.sents:
            first = next((t.idx for t in sentence if not t.is_space), None)
            if first is None:
                continue
            where = bisect_right(starts, first) - 1
            if where >= 0 and first < units[where].end - block.start:
                spans[where].append(sentence)
        for unit, words, parts in zip(units, lemmas, spans, strict=True):
            yield index, unit, words or [EMPTY], _sentences(parts)
