"""Position models of REFI-QDA text selections, and conversion to canonical code points.

The standard says positions count Unicode code points of the source file. Real tools differ:
NVivo counts UTF-16 code units (an emoji is 2) in the text with CRLF line ends (2 characters)
and does not count the UTF-8 BOM it writes; some tools count positions in text whose line ends
they have already normalised; QualCoder once kept a BOM as a character. A :class:`PositionModel`
names one such convention (:mod:`position_rules` says which one each tool writes), and
:class:`SourceText` converts positions in a model to indices into the document's canonical text
(NFC, ``\\n``, no BOM).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import product

from collabcoder.core.errors import InvalidValue
from collabcoder.core.text import Utf16Map, canonical_text, utf16_length

_BOM = "\ufeff"
_CRLF = re.compile("\r\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


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

    @property
    def name(self) -> str:
        """A short name a researcher can type (``--positions utf16-crlf2-nobom``)."""
        unit = "utf16" if self.utf16 else "cp"
        lines = "crlf2" if self.crlf_as_two else "crlf1"
        bom = "bom" if self.bom_counted else "nobom"
        return f"{unit}-{lines}-{bom}"


# The standard's reading first: candidates are listed (and ties broken) in this order.
ALL_MODELS = [
    PositionModel(u, c, b) for u, c, b in product((False, True), (True, False), (False, True))
]
SPEC_MODEL = PositionModel(utf16=False, crlf_as_two=True, bom_counted=False)
NVIVO_MODEL = PositionModel(utf16=True, crlf_as_two=True, bom_counted=False)


def parse_model(name: str) -> PositionModel:
    """The model called ``name`` (see :attr:`PositionModel.name`); InvalidValue otherwise."""
    for model in ALL_MODELS:
        if model.name == name.strip().casefold():
            return model
    known = ", ".join(m.name for m in ALL_MODELS)
    raise InvalidValue(f"{name!r} is not a position model; use one of {known}")


class SourceText:
    """A source file's decoded text and the maps from each position model to canonical indices."""

    def __init__(self, raw: str) -> None:
        self.has_bom = raw.startswith(_BOM)
        self.body = raw[1:] if self.has_bom else raw  # BOM removed, line ends as written
        self.canonical = canonical_text(raw)
        self._crlf = [m.start() for m in _CRLF.finditer(self.body)]
        # The k-th CRLF (at body index c) sits at index c - k of the LF text.
        self._crlf_in_lf = [c - k for k, c in enumerate(self._crlf)]
        self._lf_text = self.body.replace("\r\n", "\n").replace("\r", "\n")
        self._nfc = _NfcMap(self._lf_text)
        self._utf16: dict[bool, tuple[Utf16Map, int]] = {}
        first_astral = _ASTRAL.search(self.body)
        self._astral = first_astral is not None
        # Up to this position every model means the same index: before the first astral
        # character and the first CRLF all counts agree; a BOM that may count moves them all.
        self.same_below = (
            -1
            if self.has_bom
            else min(
                first_astral.start() if first_astral else len(self.body),
                self._crlf[0] if self._crlf else len(self.body),
            )
        )

    def candidate_models(self) -> list[PositionModel]:
        """One model per distinct reading of this text (no UTF-16 question without emoji...)."""
        return list(dict.fromkeys(self.effective(m) for m in ALL_MODELS))

    def effective(self, model: PositionModel) -> PositionModel:
        """The representative of the models that read this text exactly as ``model`` does."""
        return PositionModel(
            model.utf16 and self._astral,
            model.crlf_as_two or not self._crlf,
            model.bom_counted and self.has_bom,
        )

    def to_canonical(self, model: PositionModel, position: int) -> int | None:
        """Index into the canonical text for ``position`` in ``model`` (None: out of range)."""
        return self.to_canonical_many(model, [position])[0]

    def to_canonical_many(self, model: PositionModel, positions: Sequence[int]) -> list[int | None]:
        """:meth:`to_canonical` of each position, with the model's steps worked out once."""
        text = self.body if model.crlf_as_two else self._lf_text
        shift = model.bom_counted and self.has_bom
        if model.utf16 and self._astral:
            units, limit = self._units(model.crlf_as_two)
            from_units: Callable[[int], int] | None = units.from_utf16
        else:
            limit, from_units = len(text), None
        add_crs = None if model.crlf_as_two or not self._crlf else self._crlf_in_lf
        crlf = self._crlf or None
        nfc = None if self._nfc.identity else self._nfc.map
        out: list[int | None] = []
        for position in positions:
            index = position - shift
            if not 0 <= index <= limit:
                out.append(None)
                continue
            if from_units is not None:
                index = from_units(index)
            if add_crs is not None:  # positions in LF text: add back the CRs removed before
                index += bisect.bisect_left(add_crs, index)
            if crlf is not None:  # every CRLF before the index becomes one LF
                index -= bisect.bisect_left(crlf, index)
            out.append(index if nfc is None else nfc(index))
        return out

    def _units(self, crlf_as_two: bool) -> tuple[Utf16Map, int]:
        if crlf_as_two not in self._utf16:
            text = self.body if crlf_as_two else self._lf_text
            self._utf16[crlf_as_two] = (Utf16Map(text), utf16_length(text))
        return self._utf16[crlf_as_two]


class _NfcMap:
    """Map indices in a text to indices in its NFC form.

    Composition only joins a starter with the marks that follow it, so the text is normalised one
    cluster (a character and its following combining marks) at a time; an index inside a cluster
    maps to the cluster's start. When a text composes across clusters (rare Hangul jamo runs),
    the map falls back to proportional positions within the text, which ``ok`` reports.
    """

    def __init__(self, text: str) -> None:
        self.identity = unicodedata.is_normalized("NFC", text)
        self.ok = True
        if self.identity:
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
        if self.identity:
            return index
        if index >= self._length:
            return self._out_length
        if not self.ok:
            return round(index * self._out_length / max(self._length, 1))
        k = bisect.bisect_right(self._starts, index) - 1
        return self._targets[k]
