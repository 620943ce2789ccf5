"""Property tests: positions survive every tool's convention and our own round trip, exactly.

Texts are drawn from the characters that shift positions: emoji (astral, skin tones, ZWJ family
sequences), combining marks that do not compose, right-to-left letters and marks, CJK, and line
ends; the files add a BOM and CRLF where the tool writes them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.core.segments import NewSegment
from collabcoder.core.text import canonical_text
from collabcoder.io.refi.position_rules import rule_for_origin
from collabcoder.io.refi.positions import SourceText
from collabcoder.io.refi.project_export import export_qdpx
from collabcoder.io.refi.project_import import import_qdpx
from tests.io import refi_tools as tools

ATOMS = [
    "a", "Z", "7", " ", ".", "\n", "\r\n", "\t",
    "😀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "💷",
    "é", "q\u0301", "n\u0303\u0323", "\u05e9\u05b8", "ש", "ל", "م", "\u200f", "\u202b",
    "合", "作", "語", "𠀀",
]  # fmt: skip

texts = st.lists(st.sampled_from(ATOMS), min_size=1, max_size=60).map(
    lambda atoms: canonical_text("".join(atoms))
)

CONVENTIONS = [
    ("QualCoder 3.7", tools.QUALCODER),
    ("QualCoder 3.7", tools.QUALCODER_FOR_MAXQDA),
    ("NVivo for Windows 12.6", tools.NVIVO_WINDOWS),
    ("NVivo for Mac 14", tools.NVIVO_MAC),
    ("ATLAS.ti 23", tools.ATLAS),
    ("MAXQDA 24", tools.MAXQDA),
    ("qc 1.6", tools.QC),
]


@settings(max_examples=150, deadline=None)
@given(text=texts, which=st.sampled_from(CONVENTIONS), data=st.data())
def test_every_tools_positions_map_back_to_the_same_index(
    text: str, which: tuple[str, tools.Convention], data: st.DataObject
) -> None:
    """For any text and index, the origin's rule reads back the index the tool wrote."""
    origin, convention = which
    rule = rule_for_origin(origin)
    assert rule is not None
    source = SourceText(convention.file_text(text))
    assert source.canonical == text
    model = source.effective(rule.model)
    indices = data.draw(st.lists(st.integers(0, len(text)), min_size=1, max_size=10))
    for index in indices:
        assert source.to_canonical(model, convention.position(text, index)) == index


def _round_trip(text: str, spans: list[tuple[int, int]], folder: Path) -> None:
    with Project.create(folder / "a.ccproj", coder="Ann") as project:
        project.codes.import_specs([CodeSpec("Theme")])
        code = project.codes.list()[0].id
        document = project.documents.add(NewDocument("talk", text))
        # Stored as given (as segments from another tool are): any span, whitespace included, so
        # the round trip is tested on every span a file can hold, not only trimmed ones.
        project.segments.add_many(
            [NewSegment(document.id, code, a, b, origin="imported") for a, b in spans]
        )
        before = {s.guid: (s.start, s.end) for s in project.segments.list()}
        quotes = dict(zip(before, project.segments.quotes(project.segments.list()), strict=True))
        export_qdpx(project, folder / "a.qdpx")
    report = import_qdpx(folder / "a.qdpx", folder / "b.ccproj", coder="Ann")
    assert report.not_carried == []
    with Project.open(folder / "b.ccproj", coder="Ann") as back:
        segments = back.segments.list()
        assert {s.guid: (s.start, s.end) for s in segments} == before
        assert dict(zip(before, back.segments.quotes(segments), strict=True)) == quotes
        assert back.documents.texts()[segments[0].document_id] == text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts.filter(lambda t: len(t) >= 2), data=st.data())
def test_our_export_then_import_keeps_every_segment_exactly(text: str, data: st.DataObject) -> None:
    """Export then import: every segment has the same start, end and text, whatever the text."""
    starts = data.draw(st.lists(st.integers(0, len(text) - 1), min_size=1, max_size=8))
    spans = [(a, data.draw(st.integers(a + 1, len(text)))) for a in starts]
    with tempfile.TemporaryDirectory() as folder:
        _round_trip(text, sorted(set(spans)), Path(folder))


def test_round_trip_with_an_emoji_in_the_first_line(tmp_path: Path) -> None:
    """The reported case: one emoji early, 58 segments after it, none shifted."""
    lines = ["Ann: we began 😀 happily."] + [f"Line {n}: partners said word{n}." for n in range(58)]
    text = "\n".join(lines)
    spans = []
    for n in range(58):
        start = text.index(f"word{n}.")
        spans.append((start, start + len(f"word{n}")))
    _round_trip(text, spans, tmp_path)


@settings(max_examples=150, deadline=None)
@given(
    text=texts,
    which=st.sampled_from([c for c in CONVENTIONS if not c[1].bom_in_file]),
    data=st.data(),
)
def test_positions_up_to_same_below_mean_one_index_in_every_model(
    text: str, which: tuple[str, tools.Convention], data: st.DataObject
) -> None:
    """The evidence check skips selections before ``same_below``: rightly, as every candidate
    model reads those positions as the same index. (With a BOM that may count, none do.)"""
    source = SourceText(which[1].file_text(text))
    position = data.draw(st.integers(0, source.same_below))
    readings = {source.to_canonical(m, position) for m in source.candidate_models()}
    assert len(readings) == 1
