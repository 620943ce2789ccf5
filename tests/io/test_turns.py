"""Speaker-turn detection in plain text: each convention, and prose that must stay prose."""

from __future__ import annotations

from collabcoder.io.turns import detect_turns, split_speaker, timestamp_seconds


def speakers(text: str) -> list[str]:
    return [turn.speaker for turn in detect_turns(text)]


def spans(text: str) -> list[str]:
    return [text[turn.start : turn.end] for turn in detect_turns(text)]


def test_name_colon_turns_span_to_the_next_label() -> None:
    """``Name:`` turns include continuation paragraphs and stop before the next label."""
    text = "Ann: First point.\n\nStill Ann here.\n\nBo Smith: Reply.\n\nAnn: End.\n"
    assert spans(text) == [
        "Ann: First point.\n\nStill Ann here.",
        "Bo Smith: Reply.",
        "Ann: End.",
    ]
    assert speakers(text) == ["Ann", "Bo Smith", "Ann"]


def test_upper_case_labels_and_case_variants_merge() -> None:
    """``NAME:`` labels work, and ``Ann``/``ANN`` are one speaker under the first spelling."""
    text = "INTERVIEWER: Hi.\nANN: Hello.\nInterviewer: Bye.\nAnn: Bye.\n"
    assert speakers(text) == ["INTERVIEWER", "ANN", "INTERVIEWER", "ANN"]


def test_bold_labels() -> None:
    """``**Name**:`` and ``**Name:**`` (Markdown bold) both mark turns."""
    text = "Intro line.\n\n**Michelle**: Welcome.\n\n**Toby:** Thanks.\n"
    assert spans(text) == ["**Michelle**: Welcome.", "**Toby:** Thanks."]


def test_keyed_initials_map_to_full_names() -> None:
    """Initials declared in a key (``MD - Michelle Drumm``) label turns with or without a dash."""
    text = (
        "MD - Michelle Drumm  \nSJ - Sam Jordan\n\nAn introduction paragraph.\n\n"
        "SJ I work for SCDC.\n\nMD - Brilliant.\n\nSJ: Yes.\n"
    )
    turns = detect_turns(text)
    assert [t.speaker for t in turns] == ["Sam Jordan", "Michelle Drumm", "Sam Jordan"]
    assert [text[t.start : t.end] for t in turns] == [
        "SJ I work for SCDC.",
        "MD - Brilliant.",
        "SJ: Yes.",
    ]


def test_initials_without_a_key_are_not_speakers() -> None:
    """Without a key, lines that start with capitals and a space are ordinary prose."""
    assert detect_turns("MD said hello.\n\nSJ replied.\n\nMD left.\n") == []


def test_timestamped_labels_carry_time() -> None:
    """``[00:01:02] Name:`` gives the speaker, the timestamp and its seconds."""
    text = "[00:00:05] Ann: Hello.\n[00:01:02] Bo: Hi.\n[01:00:00.5] Ann: Late.\n"
    turns = detect_turns(text)
    assert [(t.speaker, t.timestamp, t.seconds) for t in turns] == [
        ("Ann", "00:00:05", 5.0),
        ("Bo", "00:01:02", 62.0),
        ("Ann", "01:00:00.5", 3600.5),
    ]
    assert text[turns[0].start : turns[0].end] == "[00:00:05] Ann: Hello."


def test_name_then_time_lines() -> None:
    """Otter-style ``Speaker 1  0:03`` lines above the utterance mark timed turns."""
    text = "Speaker 1  0:03\nHello there.\n\nSpeaker 2  0:10\nHi.\n"
    turns = detect_turns(text)
    assert [(t.speaker, t.seconds) for t in turns] == [("Speaker 1", 3.0), ("Speaker 2", 10.0)]
    assert text[turns[0].start : turns[0].end] == "Speaker 1  0:03\nHello there."


def test_q_and_a() -> None:
    """``Q:`` / ``A:`` interviews are turns."""
    assert speakers("Q: Why?\nA: Because.\nQ: Sure?\nA: Yes.\n") == ["Q", "A", "Q", "A"]


def test_roles_that_speak_once_still_count() -> None:
    """A role word such as ``Interviewer`` is a speaker even when it speaks only once."""
    text = "Interviewer: Please introduce yourself.\n\nParticipant 3: I am Jo.\n"
    assert speakers(text) == ["Interviewer", "Participant 3"]


def test_prose_with_note_labels_is_not_a_transcript() -> None:
    """Prose headings ("Note:", "Summary:"), even recurring, do not make speakers."""
    prose = (
        "The meeting began late.\n\nNote: the chair was ill.\n\n"
        "Summary: funding was agreed.\n\nWe left at noon.\n"
    )
    assert detect_turns(prose) == []
    assert detect_turns("Note: one.\n\nSummary: x.\n\nNote: two.\n\nSummary: y.\n") == []
    assert detect_turns("Alpha: one.\n\nText.\n\nAlpha: two.\n\nMore text.\n") == []


def test_clock_times_are_not_speakers() -> None:
    """``10:30`` and ``At 10:30`` are times, not labels."""
    text = "10:30 we met.\n\nAt 10:30 we met again.\n\n11:45: lunch\n\nAt 12:15: coffee\n"
    assert detect_turns(text) == []


def test_sparse_labels_in_long_prose_are_ignored() -> None:
    """Two recurring labels lost in many paragraphs of prose are not a transcript."""
    prose = "\n\n".join(["A paragraph of ordinary report text."] * 40)
    text = f"Alpha: one.\n\n{prose}\n\nBeta: two.\n\nAlpha: three.\n\nBeta: four.\n"
    assert detect_turns(text) == []


def test_lower_case_sentence_before_colon_is_not_a_label() -> None:
    """``We found that:`` introduces a list; it is not a speaker."""
    text = "We found that:\n- a\n\nWe found that:\n- b\n\nThey said this:\n- c\n"
    assert detect_turns(text) == []


def test_start_offset_skips_a_heading_block() -> None:
    """Labels before ``start`` (a metadata heading) are not turns."""
    text = "Interviewer: Jane Roe\n\nInterviewer: Hello.\nParticipant: Hi.\n"
    assert [t.start for t in detect_turns(text, start=22)] == [23, 43]


def test_timestamp_seconds_and_split_speaker() -> None:
    """Timestamps convert to seconds; a cue's own ``Name:`` prefix is split off."""
    assert timestamp_seconds("01:02") == 62.0
    assert timestamp_seconds("1:00:02,250") == 3602.25
    assert split_speaker("Jane Doe: Hello there") == ("Jane Doe", "Hello there")
    assert split_speaker("see below: here") is None
