"""Units of analysis (sentences, turns, documents) as sorted global spans.

Sentences come from a small regular-expression splitter (synthesis does not load spaCy); a
caller with better sentence boundaries (the nlp layer) passes them through ``units_from_spans``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from collabcoder.core.errors import InvalidValue

if TYPE_CHECKING:
    import numpy as np

    from collabcoder.synthesis.frames import SynthesisData

UNITS = ("sentence", "turn", "document")
# A sentence runs from a non-space to terminal punctuation (with closing quotes or brackets)
# followed by space, or to the end of its line: a line break always ends a sentence.
_SENTENCE = re.compile(r"\S[^\n]*?(?:[.!?…]+[\"'”’)\]]*(?=\s|$)|(?=\n)|$)")


@dataclass(frozen=True)
class Units:
    """Disjoint units sorted by global start, each with its document and local span."""

    kind: str
    document_id: np.ndarray
    start: np.ndarray  # local to the document
    end: np.ndarray
    gstart: np.ndarray  # global (see SynthesisData)
    gend: np.ndarray

    def __len__(self) -> int:
        return len(self.gstart)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (trailing space excluded, never crossing a line break)."""
    return [match.span() for match in _SENTENCE.finditer(text)]


def units_from_spans(
    data: SynthesisData, kind: str, spans: Mapping[int, Sequence[tuple[int, int]]]
) -> Units:
    """Units from caller-supplied spans per document id (overlaps are trimmed to keep order)."""
    import numpy as np

    doc_ids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for doc_id in data.documents.index:
        previous_end = 0
        for start, end in sorted(spans.get(int(doc_id), ())):
            start = max(start, previous_end)
            if end > start:
                doc_ids.append(int(doc_id))
                starts.append(start)
                ends.append(end)
                previous_end = end
    documents = np.array(doc_ids, dtype="int64")
    start_arr = np.array(starts, dtype="int64")
    end_arr = np.array(ends, dtype="int64")
    offset = data.documents["offset"].reindex(documents).to_numpy("int64")
    return Units(kind, documents, start_arr, end_arr, offset + start_arr, offset + end_arr)


def build_units(data: SynthesisData, kind: str) -> Units:
    """Sentence, turn or document units for every document of ``data`` (built once per snapshot)."""
    key = f"units:{kind}"
    if key not in data.cache:
        data.cache[key] = _build_units(data, kind)
    units: Units = data.cache[key]
    return units


def _build_units(data: SynthesisData, kind: str) -> Units:
    if kind == "sentence":
        spans = {int(d): sentence_spans(data.texts.get(int(d), "")) for d in data.documents.index}
    elif kind == "turn":
        spans = {
            int(doc_id): list(zip(group["start"], group["end"], strict=True))
            for doc_id, group in data.turns.groupby("document_id")
        }
    elif kind == "document":
        spans = {int(d): [(0, int(n))] for d, n in data.documents["length"].items()}
    else:
        raise InvalidValue(f"Unknown unit {kind!r}; choose one of {', '.join(UNITS)}.")
    return units_from_spans(data, kind, spans)
