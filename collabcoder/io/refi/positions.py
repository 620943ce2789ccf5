"""Position models of REFI-QDA text selections, and conversion to canonical code points.

The standard says positions count Unicode code points of the source file. Real tools differ:
NVivo counts UTF-16 code units (an emoji is 2) in the text with CRLF line ends (2 characters)
and does not count the UTF-8 BOM it writes; some tools count positions in text whose line ends
they have already normalised; QualCoder once kept a BOM as a character. A :class:`PositionModel`
names one such convention; :func:`detect_model` picks, per source file, the model under which
selection boundaries fall on word boundaries of the text as given (a person selects whole words),
with the ``origin`` attribute of the project breaking ties. :class:`SourceText` then converts
positions in that model to indices into the document's canonical text (NFC, ``\\n``, no BOM).
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

from collabcoder.core.text import Utf16Map, canonical_text, utf16_length

_BOM = "\ufeff"
_SAMPLE = 1000  # selections per source tested when detecting its position model


@dataclass(frozen=True)
class PositionModel:
    utf16: bool  # positions count UTF-16 code units, not code points
    crlf_as_two: bool  # positions count CRLF as two characters (the file as written)
    bom_counted: bool  # a leading BOM counts as a character

    def describe(self) -> str:
        unit = "UTF-16 units" if self.utf16 else "code points"
        lines = "CRLF counted as 2" if self.crlf_as_two else "line ends counted as 1"
        bom = "BOM counted" if self.bom_counted else "BOM not counted"
        return f"{unit}, {lines}, {bom}"


SPEC_MODEL = PositionModel(utf16=False, crlf_as_two=True, bom_counted=False)
NVIVO_MODEL = PositionModel(utf16=True, crlf_as_two=True, bom_counted=False)


def model_for_origin(origin: str) -> PositionModel:
    """The model a tool is known to write (NVivo: UTF-16 units), else the standard's."""
    return NVIVO_MODEL if "nvivo" in origin.casefold() else SPEC_MODEL


class SourceText:
    """A source file's decoded text and the maps from each position model to canonical indices."""

    def __init__(self, raw: str) -> None:
        self.has_bom = raw.startswith(_BOM)
        self.body = raw[1:] if self.has_bom else raw  # BOM removed, line ends as written
        self.canonical = canonical_text(raw)
        self._cr = [i for i, ch in enumerate(self.body) if ch == "\r"]
        self._crlf = [i for i in self._cr if self.body.startswith("\r\n", i)]
        self._lf_text = self.body.replace("\r\n", "\n").replace("\r", "\n")
        self._nfc = _NfcMap(self._lf_text)
        self._utf16: dict[bool, tuple[Utf16Map, int]] = {}

    def candidate_models(self) -> list[PositionModel]:
        """The models that differ for this text (no point testing UTF-16 without emoji...)."""
        astral = any(ord(ch) > 0xFFFF for ch in self.body)
        return [
            PositionModel(utf16, crlf, bom)
            for utf16, crlf, bom in product(
                (False, True) if astral else (False,),
                (True, False) if self._crlf else (True,),
                (False, True) if self.has_bom else (False,),
            )
        ]

    def body_index(self, model: PositionModel, position: int) -> int | None:
        """Code-point index into ``body`` for a position in ``model``; None when out of range."""
        text = self.body if model.crlf_as_two else self._lf_text
        offset = position - model.bom_counted
        if model.utf16:
            units, unit_length = self._units(model.crlf_as_two)
            if not 0 <= offset <= unit_length:
                return None
            index = units.from_utf16(offset)
        elif not 0 <= offset <= len(text):
            return None
        else:
            index = offset
        if not model.crlf_as_two:
            # Positions in LF text: add back the CRs removed before this point.
            index = self._lf_to_body(index)
        return index

    def to_canonical(self, model: PositionModel, position: int) -> int | None:
        """Index into the canonical text for ``position`` in ``model`` (None: out of range)."""
        index = self.body_index(model, position)
        if index is None:
            return None
        # Every CR before the index disappears (CRLF -> LF, lone CR -> LF keeps its place).
        lf_index = index - bisect.bisect_left(self._crlf, index)
        return self._nfc.map(lf_index)

    def _units(self, crlf_as_two: bool) -> tuple[Utf16Map, int]:
        if crlf_as_two not in self._utf16:
            text = self.body if crlf_as_two else self._lf_text
            self._utf16[crlf_as_two] = (Utf16Map(text), utf16_length(text))
        return self._utf16[crlf_as_two]

    def _lf_to_body(self, lf_index: int) -> int:
        # The k-th CRLF (at body index c) sits at LF index c - k; count those before lf_index.
        lo, hi = 0, len(self._crlf)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._crlf[mid] - mid < lf_index:
                lo = mid + 1
            else:
                hi = mid
        return lf_index + lo

    def on_word_edge(self, index: int) -> bool:
        """True when body ``index`` does not split a word (letters or digits on both sides)."""
        if index <= 0 or index >= len(self.body):
            return True
        return not (self.body[index - 1].isalnum() and self.body[index].isalnum())


@dataclass(frozen=True)
class Detection:
    model: PositionModel
    on_edges: int  # selection boundaries that fall on word edges under this model
    boundaries: int  # all selection boundaries tested
    reason: str

    def describe(self) -> str:
        return f"{self.model.describe()} ({self.reason})"


def detect_model(
    source: SourceText, selections: Sequence[tuple[int, int]], origin: str
) -> Detection:
    """Pick the position model that puts the most selection boundaries on word edges.

    A model under which a selection falls outside the text is never chosen when another fits.
    Ties (including a file with no selections) go to the model the ``origin`` tool is known to
    write, then to the standard's.
    """
    preferred = model_for_origin(origin)
    candidates = source.candidate_models()
    if preferred not in candidates:
        preferred = next((m for m in candidates if m.utf16 == preferred.utf16), candidates[0])
    boundaries = 2 * len(selections)
    if not selections:
        return Detection(preferred, 0, 0, f"no selections; from origin {origin or 'unknown'}")
    if len(candidates) == 1:  # no emoji, CRs or BOM: every model counts alike
        return Detection(preferred, 0, boundaries, "every position model agrees on this text")
    # Evidence, not a census: evenly spaced selections decide as well as all 40,000 would.
    step = max(1, len(selections) // _SAMPLE)
    sample = selections[::step]
    boundaries = 2 * len(sample)
    scores: dict[PositionModel, tuple[int, int]] = {}
    for model in candidates:
        in_range = edges = 0
        for start, end in sample:
            for position in (start, end):
                index = source.body_index(model, position)
                if index is not None:
                    in_range += 1
                    edges += source.on_word_edge(index)
        scores[model] = (in_range, edges)
    ranked = sorted(
        candidates,
        key=lambda m: (*scores[m], m == preferred, -candidates.index(m)),
        reverse=True,
    )
    best = ranked[0]
    in_range, edges = scores[best]
    if len(ranked) > 1 and scores[ranked[1]] == scores[best]:
        how = f"{edges}/{boundaries} boundaries on word edges under several models; origin decides"
    else:
        how = f"{edges}/{boundaries} selection boundaries on word edges"
    if in_range < boundaries:
        how += f"; {boundaries - in_range} outside the text"
    return Detection(best, edges, boundaries, how)


class _NfcMap:
    """Map indices in a text to indices in its NFC form.

    Composition only joins a starter with the marks that follow it, so the text is normalised one
    cluster (a character and its following combining marks) at a time; an index inside a cluster
    maps to the cluster's start. When a text composes across clusters (rare Hangul jamo runs),
    the map falls back to proportional positions within the text, which ``ok`` reports.
    """

    def __init__(self, text: str) -> None:
        self._identity = unicodedata.is_normalized("NFC", text)
        self.ok = True
        if self._identity:
            return
        self._starts: list[int] = []
        self._targets: list[int] = []
        pieces: list[str] = []
        out = 0
        i = 0
        while i < len(text):
            j = i + 1
            while j < len(text) and unicodedata.combining(text[j]):
                j += 1
            piece = unicodedata.normalize("NFC", text[i:j])
            self._starts.append(i)
            self._targets.append(out)
            pieces.append(piece)
            out += len(piece)
            i = j
        self._length, self._out_length = len(text), out
        self.ok = "".join(pieces) == unicodedata.normalize("NFC", text)

    def map(self, index: int) -> int:
        if self._identity:
            return index
        if index >= self._length:
            return self._out_length
        if not self.ok:
            return round(index * self._out_length / max(self._length, 1))
        k = bisect.bisect_right(self._starts, index) - 1
        return self._targets[k]
