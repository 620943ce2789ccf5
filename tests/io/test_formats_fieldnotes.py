"""Field-notes metadata from a heading block or front matter, and the kind it implies."""

from __future__ import annotations

from pathlib import Path

from collabcoder.io.fieldnotes import read_heading_block
from collabcoder.io.formats import parse_file


def test_key_value_heading_block(tmp_path: Path) -> None:
    """``Date:``/``Site:``/``Observer:`` lines become metadata and mark field notes."""
    path = tmp_path / "visit.txt"
    path.write_text(
        "Date: 3 May 2022\nSite: Leeds Hub, Ward 3\nObserver: Dr. A. Khan\n\n"
        "Volunteers arrived at nine.\n",
        encoding="utf-8",
    )
    document = parse_file(path)
    assert document.kind == "fieldnotes"
    assert document.meta == {
        "date": "3 May 2022",
        "site": "Leeds Hub, Ward 3",
        "observer": "Dr. A. Khan",
    }
    assert document.text.startswith("Date: 3 May 2022\n")  # the heading stays in the text


def test_dated_title_line(tmp_path: Path) -> None:
    """A first line with a date gives the date and a title."""
    block = read_heading_block("Site visit, Leeds - 3rd May 2022\nNotes follow")
    assert block.meta == {"date": "3rd May 2022", "title": "Site visit, Leeds"}
    assert block.end == len("Site visit, Leeds - 3rd May 2022\n")


def test_transcript_heading_names_interviewer_without_stealing_turns(tmp_path: Path) -> None:
    """A heading naming the interviewer is metadata; the turns below it are still found."""
    path = tmp_path / "int.txt"
    path.write_text(
        "Interviewer: Jane Roe\nDate: 2021-03-04\n\nInterviewer: Hello.\nParticipant: Hi.\n",
        encoding="utf-8",
    )
    document = parse_file(path)
    assert document.meta == {"interviewer": "Jane Roe", "date": "2021-03-04"}
    assert [(t.speaker, document.text[t.start : t.end]) for t in document.turns] == [
        ("Interviewer", "Interviewer: Hello."),
        ("Participant", "Participant: Hi."),
    ]
    assert document.kind == "transcript"


def test_first_turn_is_not_mistaken_for_a_heading() -> None:
    """``Interviewer: So, tell me...`` opens a transcript; it does not name anyone."""
    assert read_heading_block("Interviewer: So, tell me about it?\n\nParticipant: Well.").meta == {}


def test_front_matter_kind_wins(tmp_path: Path) -> None:
    """``kind: fieldnotes`` in front matter sets the kind even without a site or observer."""
    path = tmp_path / "n.md"
    path.write_text("---\nkind: fieldnotes\n---\nWalked the estate.\n", encoding="utf-8")
    assert parse_file(path).kind == "fieldnotes"


def test_plain_document(tmp_path: Path) -> None:
    """Text without turns or field metadata is a plain document."""
    path = tmp_path / "policy.txt"
    path.write_text("Our policy on partnership working.\n\nIt has three parts.\n", "utf-8")
    document = parse_file(path)
    assert (document.kind, document.meta, document.turns) == ("document", {}, [])
