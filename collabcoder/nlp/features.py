"""What the learned model reads: the lower-case lemmas of a text or of each unit of a document."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, cast

from collabcoder.nlp.pipeline import LEMMATIZER
from collabcoder.nlp.units import SHORT_DOCUMENT_WORDS, Unit, document_units

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer

    from collabcoder.nlp.suggestion import DocumentText

# Stands for a text with no words, so "nothing written" can be learned like any other feature
# (spaCy's n-gram extraction cannot take an empty document).
EMPTY = "-EMPTY-"


def lemma_lists(nlp: Language, texts: Sequence[str], batch_size: int = 256) -> list[list[str]]:
    """The lemmas of each text's non-space tokens (sentences are not needed, so not split)."""
    lemmatizer = nlp.get_pipe(LEMMATIZER)
    result = []
    for doc in cast("Tokenizer", nlp.tokenizer).pipe(texts, batch_size=batch_size):
        doc = lemmatizer(doc)
        result.append([token.lemma_ for token in doc if not token.is_space] or [EMPTY])
    return result


def unit_lemmas(
    nlp: Language, documents: Sequence[DocumentText], short_words: int = SHORT_DOCUMENT_WORDS
) -> Iterator[tuple[int, Unit, list[str]]]:
    """(document index, unit, the unit's lemmas) for every unit of every document."""
    jobs = [(d.text, d.turns) for d in documents]
    skipped = [d.skipped for d in documents]
    for index, block, doc, units in document_units(nlp, jobs, short_words, skipped=skipped):
        if not units:
            continue
        starts = [unit.start - block.start for unit in units]
        lemmas: list[list[str]] = [[] for _ in units]
        for token in doc:
            where = bisect_right(starts, token.idx) - 1
            if where >= 0 and not token.is_space and token.idx < units[where].end - block.start:
                lemmas[where].append(token.lemma_)
        for unit, words in zip(units, lemmas, strict=True):
            yield index, unit, words or [EMPTY]
