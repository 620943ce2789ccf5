"""Each tool's position rule: files written the way that tool writes them land on the same words.

The texts put an emoji (and a ZWJ family) before the first selection and the files carry a BOM
where the tool writes one, so a wrong rule shifts every selection.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from collabcoder.core.project import Project
from collabcoder.io.refi.position_rules import AmbiguousPositions
from collabcoder.io.refi.project_import import import_qdpx
from tests.io import refi_tools as tools

TEXT = (
    "Ann: We 😀 met 👨‍👩‍👧 early.\n"
    "Bob: Trust grew slowly; the café was our office.\n"
    "Cat: 合作 was the word, and שלום too.\n"
    "Dee: Funding 💷 was the barrier, not trust.\n"
)
PHRASES = ["met", "Trust grew slowly", "café", "合作", "שלום", "Funding 💷 was", "not trust"]


def _quotes(location: Path) -> list[str]:
    with Project.open(location, coder="Reviewer") as project:
        segments = sorted(project.segments.list(), key=lambda s: s.start)
        return project.segments.quotes(segments)


@pytest.mark.parametrize(
    ("origin", "convention"),
    [
        ("QualCoder 3.7", tools.QUALCODER),
        ("QualCoder 3.7", tools.QUALCODER_FOR_MAXQDA),
        ("NVivo for Windows 12.6", tools.NVIVO_WINDOWS),
        ("NVivo for Mac 14", tools.NVIVO_MAC),
        ("ATLAS.ti Windows 23.4.0", tools.ATLAS),
        ("MAXQDA 2022 (Release 22.4.0)", tools.MAXQDA),
        ("qc 1.6.0", tools.QC),
    ],
)
def test_each_origin_lands_on_the_tools_text(
    tmp_path: Path, origin: str, convention: tools.Convention
) -> None:
    """A few selections (too few for evidence to decide) land exactly, by the origin's rule."""
    path = tools.write_qdpx(
        tmp_path / "in.qdpx", origin, convention, [tools.Source("talk", TEXT, PHRASES)]
    )
    report = import_qdpx(path, tmp_path / "p.ccproj", coder="Reviewer")
    assert report.not_carried == [], report.lines()
    assert _quotes(tmp_path / "p.ccproj") == PHRASES
    assert f"rule for {origin.split()[0]}" in report.position_models["talk"]


def test_unknown_origin_with_thin_evidence_is_refused_with_a_preview(tmp_path: Path) -> None:
    """An unknown tool and 7 selections: refused, listing each candidate's reading of 3 samples."""
    path = tools.write_qdpx(
        tmp_path / "in.qdpx",
        "SomeTool 1.0",
        tools.NVIVO_WINDOWS,
        [tools.Source("talk", TEXT, PHRASES)],
    )
    with pytest.raises(AmbiguousPositions) as caught:
        import_qdpx(path, tmp_path / "p.ccproj", coder="Reviewer")
    assert not (tmp_path / "p.ccproj").exists()
    (source,) = caught.value.sources
    assert source.name == "talk"
    names = [c.model.name for c in source.candidates]
    assert "utf16-crlf2-nobom" in names and "cp-crlf2-nobom" in names
    for candidate in source.candidates:
        assert len(candidate.samples) == 3
    right = next(c for c in source.candidates if c.model.name == "utf16-crlf2-nobom")
    assert [s.text for s in right.samples] == ["met", "Trust grew slowly", "café"]
    assert "--positions" in str(caught.value)


def test_forced_positions_import_the_ambiguous_file(tmp_path: Path) -> None:
    """Given the model the user chose from the preview, the same file imports exactly."""
    path = tools.write_qdpx(
        tmp_path / "in.qdpx",
        "SomeTool 1.0",
        tools.NVIVO_WINDOWS,
        [tools.Source("talk", TEXT, PHRASES)],
    )
    report = import_qdpx(
        path, tmp_path / "p.ccproj", coder="Reviewer", positions="utf16-crlf2-nobom"
    )
    assert _quotes(tmp_path / "p.ccproj") == PHRASES
    assert "chosen" in report.position_models["talk"]


def test_declared_rule_contradicted_by_the_quotes_is_refused(tmp_path: Path) -> None:
    """A file claiming QualCoder whose names only match UTF-16 positions is not silently read."""
    lying = tools.Convention(True, False, True, True, False, "quote")
    path = tools.write_qdpx(
        tmp_path / "in.qdpx", "QualCoder 3.7", lying, [tools.Source("talk", TEXT, PHRASES)]
    )
    with pytest.raises(AmbiguousPositions) as caught:
        import_qdpx(path, tmp_path / "p.ccproj", coder="Reviewer")
    (source,) = caught.value.sources
    assert "disagree" in source.reason


def test_unknown_origin_with_plenty_of_agreeing_quotes_is_read(tmp_path: Path) -> None:
    """Unknown tool, 40 selections whose names all match one model only: that model is used."""
    text = "Intro 😀.\n" + "".join(f"Line {n} says word{n} here.\n" for n in range(40))
    phrases = [f"word{n} here" for n in range(40)]
    convention = tools.Convention(False, False, True, True, False, "quote")
    path = tools.write_qdpx(
        tmp_path / "in.qdpx", "", convention, [tools.Source("talk", text, phrases)]
    )
    report = import_qdpx(path, tmp_path / "p.ccproj", coder="Reviewer")
    assert _quotes(tmp_path / "p.ccproj") == phrases
    assert "utf16" in report.position_models["talk"].lower().replace("-", "")


def test_text_without_emoji_crlf_or_bom_needs_no_rule(tmp_path: Path) -> None:
    """When every model reads the same, an unknown origin imports without a question."""
    text = "Plain words only.\nNothing to shift here.\n"
    path = tools.write_qdpx(
        tmp_path / "in.qdpx", "", tools.NVIVO_MAC, [tools.Source("t", text, ["words", "shift"])]
    )
    import_qdpx(path, tmp_path / "p.ccproj", coder="Reviewer")
    assert _quotes(tmp_path / "p.ccproj") == ["words", "shift"]
