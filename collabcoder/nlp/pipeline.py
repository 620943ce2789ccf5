"""The spaCy pipeline every suggester shares: tokens, sentences and lower-case lemmas, offline.

``en_core_web_sm`` is used when it is installed (never downloaded); otherwise a blank English
pipeline with a sentencizer and a lemmatizer over the lookup table of ``spacy-lookups-data``.
Lemmas are lower case either way, so "Trusted" at the start of a sentence matches "trust".
The pipeline is built once per process.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING

from collabcoder.core.errors import CollabCoderError
from collabcoder.core.heap import freeze_long_lived, no_collector_passes

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LEMMATIZER = "collabcoder_lemmatizer"
SMALL_MODEL = "en_core_web_sm"


class PipelineUnavailable(CollabCoderError):
    """The language data the suggesters need is not installed."""


class LowerLookupLemmatizer:
    """Sets each token's lemma from the lookup table, keyed on its lower-case form.

    spaCy's own lookup lemmatizer keys on the exact text, so "Trusted" would stay "Trusted".
    Lemmas are cached by the hash of the lower-case form: a vocabulary is small next to the
    millions of tokens a project holds.
    """

    def __init__(self, table: dict[str, str]) -> None:
        self._table = table
        self._cache: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        cache = self._cache
        strings = doc.vocab.strings
        for token in doc:
            lower = token.lower
            lemma = cache.get(lower)
            if lemma is None:
                text = token.lower_
                lemma = strings.add(self._table.get(text, text))
                cache[lower] = lemma
            token.lemma = lemma
        return doc


def _lemma_table() -> dict[str, str]:
    import srsly

    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or spec.origin is None:
        raise PipelineUnavailable(
            "spacy-lookups-data is not installed, so words cannot be reduced to their lemmas"
        )
    from pathlib import Path

    path = Path(spec.origin).parent / "data" / "en_lemma_lookup.json.gz"
    if not path.is_file():
        raise PipelineUnavailable(f"{path} is missing from spacy-lookups-data")
    table: dict[str, str] = srsly.read_gzip_json(path)
    # Lookups go by lower-case form; where "Xs" and "xs" both have entries the lower-case one wins.
    lowered = {key.lower(): value.lower() for key, value in table.items() if not key.islower()}
    lowered.update((key, value.lower()) for key, value in table.items() if key.islower())
    return lowered


def _register_lemmatizer() -> None:
    from spacy.language import Language

    if Language.has_factory(LEMMATIZER):
        return

    def make(nlp: Language, name: str) -> LowerLookupLemmatizer:
        return LowerLookupLemmatizer(_lemma_table())

    Language.factory(LEMMATIZER, func=make)


def _load_small_model() -> Language | None:
    if importlib.util.find_spec(SMALL_MODEL) is None:
        return None
    import spacy

    # The parser and NER are the slow parts and suggestions need neither: "senter" gives
    # sentences at a fraction of the cost.
    # The model's own lemmatizer is replaced so that lemmas agree with the blank pipeline's.
    nlp = spacy.load(SMALL_MODEL, exclude=["ner", "parser", "lemmatizer"])
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    _register_lemmatizer()
    nlp.add_pipe(LEMMATIZER, last=True)
    return nlp


@lru_cache(maxsize=1)
@no_collector_passes()  # loading makes tens of thousands of objects, every one kept
def load_pipeline() -> Language:
    """Return the shared pipeline (built on first use, then cached for the process)."""
    nlp = _load_small_model()
    if nlp is None:
        import spacy

        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        _register_lemmatizer()
        nlp.add_pipe(LEMMATIZER)
    # spaCy and its tables are tens of thousands of objects kept for the process: a full
    # collector pass over them held the GIL long enough to freeze the window.
    freeze_long_lived()
    return nlp


def pipeline_version(nlp: Language) -> str:
    """A short name for the pipeline, recorded with every suggestion it helped make."""
    import spacy

    return (
        f"{nlp.meta.get('name', 'blank')}-{nlp.meta.get('version', '0')}/spacy-{spacy.__version__}"
    )
