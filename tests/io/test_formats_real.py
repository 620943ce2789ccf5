"""The real transcripts and field notes in ../shared/data read with the right structure."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from collabcoder.core.text import canonical_text
from collabcoder.io.formats import parse_file


def test_iriss_keyed_initials_transcript(shared_data: Path) -> None:
    """Co-production Week: the ``MD - Michelle Drumm`` key maps initials to full speaker names."""
    document = parse_file(shared_data / "transcripts" / "co-production-week-2018.md")
    assert document.kind == "transcript"
    assert Counter(t.speaker for t in document.turns) == {
        "Michelle Drumm": 16,
        "Kieran": 9,
        "Sam Jordan": 6,
        "Abbie": 4,
    }
    first = document.turns[0]
    assert document.text[first.start : first.end].startswith("SJ I work for SCDC")
    assert document.meta["title"] == "Co-production Week 2018"
    assert document.meta["speakers"] == "Sam Jordan, Kieran, Abbie"
    assert document.text.startswith("MD - Michelle Drumm")  # front matter stripped, key kept


def test_iriss_bold_names_transcript(shared_data: Path) -> None:
    """Human Learning Systems: ``**Name**:`` labels, multi-paragraph turns kept whole."""
    document = parse_file(
        shared_data / "transcripts" / "doing-public-sector-management-differently.md"
    )
    assert Counter(t.speaker for t in document.turns) == {
        "Michelle": 19,
        "Toby": 15,
        "Diana": 13,
        "INT": 1,
    }
    for turn in document.turns:
        label = document.text[turn.start : turn.end].split(":", 1)[0]
        assert label in {f"**{turn.speaker}**"}
    toby = document.turns[2]
    assert "Secondly, the implications" in document.text[toby.start : toby.end]
    assert document.meta["hosts"] == "Michelle Drumm"


def test_real_transcript_text_is_canonical_and_turns_ordered(shared_data: Path) -> None:
    """Texts are canonical, and turns are ordered, non-overlapping and within the text."""
    for path in sorted((shared_data / "transcripts").glob("*.md")):
        document = parse_file(path)
        assert canonical_text(document.text) == document.text
        previous_end = 0
        for turn in document.turns:
            assert previous_end <= turn.start < turn.end <= len(document.text)
            previous_end = turn.end


def test_usability_field_notes(shared_data: Path) -> None:
    """P1_Notes.txt is field notes dated from its heading line, for participant P1."""
    document = parse_file(shared_data / "fieldnotes" / "P1_Notes.txt")
    assert document.kind == "fieldnotes"
    assert document.meta == {"date": "18/11/2021", "participant": "P1"}
    assert document.turns == []
    assert document.text.startswith("P1 18/11/2021\nT1\n\tYes, sensible info")
