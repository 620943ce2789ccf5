"""How search reads text: words, their forms and lemmas, sentences and paragraphs.

Everything here is a pure function of the canonical text, so the index written when a document
is added and the matching done at query time agree exactly. Positions are code-point indices
into the canonical text, end exclusive (as everywhere in CollabCoder).

Lemmas come from the English lookup table that spaCy's ``spacy-lookups-data`` ships (read as a
data file: core never imports spaCy), keyed on the lower-case form as the suggesters do.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import CollabCoderError
from .text import word_spans

# A sentence runs from a non-space to terminal punctuation (with closing quotes or brackets)
# followed by space, or to the end of its line: a line break always ends a sentence. (The one
# regex for that, r"\S[^\n]*?(?:TERMINAL|(?=\n)|$)", tries the terminal at every character:
# :func:`sentence_spans_in` finds the same spans with three searches per sentence.)
_NON_SPACE = re.compile(r"\S")
_TERMINAL = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
WORD = re.compile(r"\w+(?:['’-]\w+)*")  # the rule of core.text.word_spans
# What is neither a letter or digit nor the space between keys (\w is alnum plus "_").
_NOT_KEY = re.compile(r"[^\w ]|_")
# Rows hold a paragraph's sentences up to this many words: fewer rows make a smaller index,
# short rows keep checking a candidate's words quick.
UNIT_WORDS = 120


class LemmasUnavailable(CollabCoderError):
    """The lemma table is not installed, so words cannot be matched on their lemmas."""


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a text: its span and its lower-case form (curly apostrophes made straight)."""

    start: int
    end: int
    form: str


@dataclass(frozen=True, slots=True)
class TextUnit:
    """What the index stores one row for: whole sentences of one paragraph, up to
    :data:`UNIT_WORDS` words (a long paragraph takes several rows).

    ``paragraph`` numbers the line it sits on (a line break ends a paragraph); ``word_offset``
    is how many words of the document come before it, so word distances span units.
    """

    start: int
    end: int
    paragraph: int
    word_offset: int


def word_form(word: str) -> str:
    """The form two words are compared by: lower case, one kind of apostrophe."""
    return word.lower().replace("’", "'")


def index_key(form: str) -> str:
    """The token a form is indexed under: its letters and digits only.

    Both full-text engines split words at apostrophes and hyphens; keeping only the letters and
    digits gives them one token per word, the same on SQLite and PostgreSQL. Two forms may share
    a key ("don't", "dont"): the index only narrows the search; words are compared exactly.
    """
    return "".join(ch for ch in form if ch.isalnum())


def words(text: str, offset: int = 0) -> list[Word]:
    """Every word of ``text`` with its span shifted by ``offset``."""
    return [Word(offset + s, offset + e, word_form(text[s:e])) for s, e in word_spans(text)]


def unit_keys(text: str) -> str:
    """The distinct index keys of one unit's text, first-seen order, space-separated: what the
    index holds (the same as :func:`index_key` of each word's form, computed in bulk)."""
    forms = " ".join(w.lower() for w in WORD.findall(text))
    keys = dict.fromkeys(_NOT_KEY.sub("", forms).split(" "))
    keys.pop("", None)
    return " ".join(keys)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (trailing space excluded, never crossing a line break)."""
    return sentence_spans_in(text, 0, len(text))


def line_starts(text: str) -> list[int]:
    """Start of every line of ``text`` (the first is 0)."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


def paragraph_span(text: str, position: int) -> tuple[int, int]:
    """The line (paragraph) holding ``position``, without its line break."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


def text_units(text: str) -> list[TextUnit]:
    """The sentences of a document, in text order, as the index stores them."""
    return [unit for unit, _ in indexed_units(text)]


def indexed_units(text: str) -> list[tuple[TextUnit, str]]:
    """Each unit with its index keys (see :func:`unit_keys`), computed in one pass."""
    starts = line_starts(text)
    units: list[tuple[TextUnit, str]] = []
    before = 0
    group: list[tuple[int, int, list[str]]] = []

    def close() -> None:
        nonlocal before
        if not group:
            return
        found = [w for _, _, words_ in group for w in words_]
        keys = dict.fromkeys(_NOT_KEY.sub("", " ".join(w.lower() for w in found)).split(" "))
        keys.pop("", None)
        start = group[0][0]
        paragraph = bisect_right(starts, start) - 1
        units.append((TextUnit(start, group[-1][1], paragraph, before), " ".join(keys)))
        before += len(found)
        group.clear()

    for start, end in sentence_spans(text):
        found = WORD.findall(text, start, end)
        same_line = group and "\n" not in text[group[-1][1] : start]
        if not same_line or sum(len(g[2]) for g in group) + len(found) > UNIT_WORDS:
            close()
        group.append((start, end, found))
    close()
    return units


def sentence_spans_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` (a span of whole sentences), in text positions."""
    spans: list[tuple[int, int]] = []
    at = start
    while (first := _NON_SPACE.search(text, at, end)) is not None:
        begin = first.start()
        line_end = text.find("\n", begin + 1, end)
        stop = end if line_end < 0 else line_end
        # Searching only up to the line's end: "$" there stands for the line break after it.
        terminal = _TERMINAL.search(text, begin + 1, stop)
        at = stop if terminal is None else terminal.end()
        spans.append((begin, at))
    return spans


# -- lemmas ---------------------------------------------------------------------------------------
def _lemma_file() -> Path:
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or spec.origin is None:
        raise LemmasUnavailable(
            "spacy-lookups-data is not installed, so words cannot be matched on their lemmas; "
            "search with exact words instead"
        )
    path = Path(spec.origin).parent / "data" / "en_lemma_lookup.json.gz"
    if not path.is_file():
        raise LemmasUnavailable(f"{path} is missing from spacy-lookups-data")
    return path


@cache
def lemma_table() -> dict[str, str]:
    """Lower-case form -> lower-case lemma (the suggesters' rule: the lower-case entry wins)."""
    with gzip.open(_lemma_file(), "rt", encoding="utf-8") as stream:
        table: dict[str, str] = json.load(stream)
    lowered = {word_form(k): word_form(v) for k, v in table.items() if not k.islower()}
    lowered.update((word_form(k), word_form(v)) for k, v in table.items() if k.islower())
    return lowered


@cache
def _forms_by_lemma() -> dict[str, frozenset[str]]:
    inverse: dict[str, set[str]] = defaultdict(set)
    for form, lemma in lemma_table().items():
        inverse[lemma].add(form)
    return {lemma: frozenset(forms) for lemma, forms in inverse.items()}


def lemma(form: str) -> str:
    """The lemma of a word form (the form itself when the table does not know it).

    A possessive the table does not know has the lemma of its noun: "people's" is "people".
    """
    table = lemma_table()
    found = table.get(form)
    if found is None and form.endswith("'s") and len(form) > 2:
        return table.get(form[:-2], form[:-2])
    return form if found is None else found


def forms_of(lemma_: str) -> frozenset[str]:
    """Every form whose lemma is ``lemma_``, the lemma itself and possessives included."""
    forms = _forms_by_lemma().get(lemma_, frozenset()) | {lemma_}
    return forms | {f"{form}'s" for form in forms}
