"""Reading a transcript: speaker-key initials are styled as labels in the speaker's colour, the
margin shows turn numbers and the full names the key gives, or paragraph numbers."""

from __future__ import annotations

from PySide6.QtGui import QColor

from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.project import Project
from collabcoder.core.records import TurnRecord
from collabcoder.gui.main_window import MainWindow
from collabcoder.gui.spans import speaker_colours, speaker_is_named, turn_label

KEYED = "MD - Michelle Drumm\nSJ - Sam Jordan\n\nMD Brilliant, tell me more.\n\nSJ - I think so.\n"


def _turn(text: str, speaker: str, words: str) -> TurnRecord:
    start = text.index(words)
    return TurnRecord(1, 1, speaker, start, start + len(words), None, None)


def test_speaker_key_initials_are_the_turns_label() -> None:
    """ "MD Brilliant" and "SJ - I think" label Michelle Drumm's and Sam Jordan's turns; a turn
    that merely starts with a capital word ("I think") has no label."""
    md = _turn(KEYED, "Michelle Drumm", "MD Brilliant, tell me more.")
    label = turn_label(KEYED, md)
    assert label.speaker is not None
    assert KEYED[slice(*label.speaker)] == "MD"
    assert KEYED[label.body_start :].startswith("Brilliant")
    sj = turn_label(KEYED, _turn(KEYED, "Sam Jordan", "SJ - I think so."))
    assert sj.speaker is not None and KEYED[sj.body_start :].startswith("I think")
    plain = _turn(KEYED, "Ian", "I think so.")
    assert turn_label(KEYED, plain).speaker is None
    assert not speaker_is_named(KEYED, md)


def test_interviewer_abbreviation_and_full_labels() -> None:
    """ "INT:" abbreviates Interviewer; a label spelling the name counts as named."""
    text = "INT: Welcome.\nInterviewer: Hello."
    assert turn_label(text, _turn(text, "Interviewer", "INT: Welcome.")).speaker is not None
    assert speaker_is_named(text, _turn(text, "Interviewer", "Interviewer: Hello."))


def _keyed_project(project: Project) -> int:
    start_md = KEYED.index("MD Brilliant")
    start_sj = KEYED.index("SJ - I")
    turns = [
        NewTurn("Michelle Drumm", start_md, KEYED.index("\n", start_md)),
        NewTurn("Sam Jordan", start_sj, len(KEYED) - 1),
    ]
    doc = NewDocument("Keyed", KEYED, kind="transcript", turns=turns)
    return project.documents.add(doc).id


def test_margin_numbers_turns_and_names_the_speakers(window: MainWindow, project: Project) -> None:
    """The margin holds one row per turn, numbered, with the key's full name; the label in the
    text is bold in the speaker's colour; the margin is painted without error."""
    window.open_document(_keyed_project(project))
    margin = window.panel.margin
    assert [(r.number, r.speaker) for r in margin.rows] == [
        ("1", "Michelle Drumm"),
        ("2", "Sam Jordan"),
    ]
    view = window.panel.view
    block = view.document().findBlock(view.utf16.to_utf16(KEYED.index("MD Brilliant")))
    (fmt,) = [f for f in block.layout().formats() if f.start == 0]
    colour = speaker_colours(view.turns)["Michelle Drumm"]
    assert fmt.length == 2 and fmt.format.foreground().color() == QColor(colour)
    assert margin.row_at_block(block.blockNumber()) == margin.rows[0]
    assert margin.width() > 100 and not margin.grab().isNull()


def test_named_turns_get_numbers_only_and_documents_paragraph_numbers(
    window: MainWindow, project: Project
) -> None:
    """A transcript whose labels spell the names gets a narrow margin of turn numbers; a
    document without turns gets its paragraphs numbered."""
    margin = window.panel.margin
    assert [r.number for r in margin.rows] == ["1", "2", "3", "4"]
    assert all(r.speaker is None for r in margin.rows) and margin.width() < 60
    notes = project.documents.add(NewDocument("Notes", "First.\n\nSecond.\nThird.")).id
    window.open_document(notes)
    assert [r.number for r in margin.rows] == ["1", "2", "3"]
