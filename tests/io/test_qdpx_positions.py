"""Position models: REFI-QDA selection positions land on the intended canonical text."""

from __future__ import annotations

import unicodedata

import pytest

from collabcoder.io.refi.position_rules import choose_model
from collabcoder.io.refi.positions import (
    NVIVO_MODEL,
    SPEC_MODEL,
    PositionModel,
    SourceText,
    parse_model,
)
from collabcoder.io.refi.qde_model import QdeSelection

# Emoji (2 UTF-16 units), CRLF line ends and a BOM: everything that shifts positions.
RAW = "\ufeffAnna: I love it 😀😀 really.\r\nBéla: Vaccines 💉 are fine.\r\nEnd of talk."


def _nvivo_span(raw: str, phrase: str) -> tuple[int, int]:
    """Where NVivo would put ``phrase``: UTF-16 units of the file text after the BOM."""
    body = raw.removeprefix("\ufeff")
    start = body.index(phrase)
    units = len(body[:start].encode("utf-16-le")) // 2
    return units, units + len(phrase.encode("utf-16-le")) // 2


def test_nvivo_positions_map_to_the_phrase_in_canonical_text() -> None:
    """UTF-16 units with CRLF as 2 map back to the same words in the canonical (LF) text."""
    source = SourceText(RAW)
    for phrase in ("really", "Vaccines 💉 are", "End of talk"):
        start, end = _nvivo_span(RAW, phrase)
        a = source.to_canonical(NVIVO_MODEL, start)
        b = source.to_canonical(NVIVO_MODEL, end)
        assert a is not None and b is not None
        assert source.canonical[a:b] == phrase


def test_code_point_positions_map_to_the_phrase() -> None:
    """Standard positions (code points of the file, CRLF as 2, BOM not counted) are exact."""
    source = SourceText(RAW)
    body = RAW[1:]
    start = body.index("Vaccines")
    a = source.to_canonical(SPEC_MODEL, start)
    b = source.to_canonical(SPEC_MODEL, start + len("Vaccines"))
    assert a is not None and b is not None
    assert source.canonical[a:b] == "Vaccines"


def test_lf_model_and_counted_bom() -> None:
    """Positions counted in LF text with the BOM as a character also find the phrase."""
    source = SourceText(RAW)
    lf = RAW.replace("\r\n", "\n")  # BOM still first
    start = lf.index("End")
    model = PositionModel(utf16=False, crlf_as_two=False, bom_counted=True)
    a, b = source.to_canonical(model, start), source.to_canonical(model, start + 3)
    assert a is not None and b is not None
    assert source.canonical[a:b] == "End"


def _selection(start: int, end: int, name: str = "") -> QdeSelection:
    return QdeSelection("g", name, start, end, None, None, "", [], [])


def test_few_word_edges_without_origin_are_not_enough() -> None:
    """Four NVivo-style selections and no origin: UTF-16 fits best, but that is no proof."""
    source = SourceText(RAW)
    spans = [_nvivo_span(RAW, p) for p in ("really", "Vaccines", "are fine", "End of talk")]
    choice = choose_model(source, [_selection(a, b) for a, b in spans], origin="")
    assert choice.model is None and "thin" in choice.reason
    best = max(choice.candidates, key=lambda c: c.confirmed)
    assert best.model == NVIVO_MODEL and best.confirmed == 4


def test_quotes_contradicting_the_origin_make_the_file_ambiguous() -> None:
    """Code-point positions whose names quote the text, in a file claiming NVivo: refused."""
    source = SourceText(RAW)
    body = RAW[1:]
    picks = [(body.index(p), body.index(p) + len(p), p) for p in ("really", "are fine", "End")]
    choice = choose_model(source, [_selection(*p) for p in picks], origin="NVivo 14")
    assert choice.model is None and "disagree" in choice.reason


def test_model_names_round_trip() -> None:
    """Every model has a name the CLI accepts back; a wrong name is refused with the list."""
    from collabcoder.core.errors import InvalidValue
    from collabcoder.io.refi.positions import ALL_MODELS

    assert [parse_model(m.name) for m in ALL_MODELS] == ALL_MODELS
    with pytest.raises(InvalidValue, match="utf16-crlf2-nobom"):
        parse_model("utf-16")


def test_out_of_range_positions_are_refused() -> None:
    """A position beyond the text maps to None rather than to a wrong place."""
    source = SourceText("short text")
    assert source.to_canonical(SPEC_MODEL, 11) is None
    assert source.to_canonical(SPEC_MODEL, -1) is None
    assert source.to_canonical(SPEC_MODEL, 10) == 10


def test_decomposed_text_maps_through_nfc() -> None:
    """A file in NFD (e + combining accent) maps its positions onto the composed canonical text."""
    raw = unicodedata.normalize("NFD", "café crème brûlée")
    source = SourceText(raw)
    start = raw.index("cr")
    end = start + len(unicodedata.normalize("NFD", "crème"))
    a, b = source.to_canonical(SPEC_MODEL, start), source.to_canonical(SPEC_MODEL, end)
    assert a is not None and b is not None
    assert source.canonical[a:b] == "crème"
