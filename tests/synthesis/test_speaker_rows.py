"""Matrices by speaker: role filters count only segments in turns of the wanted roles, and
rows by speaker (after aliases) are a row choice beside cases and case attributes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.project import Project
from collabcoder.synthesis.filters import SegmentFilter
from collabcoder.synthesis.load import load_synthesis_data
from collabcoder.synthesis.matrix import case_code_matrix
from collabcoder.synthesis.speaker_rows import NO_SPEAKER

TEXT = "Header line.\nQ: Tell me about trust.\nAnn: Trust grew.\nBen: Trust fell."


@pytest.fixture
def coded(tmp_path: Path) -> Project:
    """One transcript (a header, then Q, Ann and Ben) with the code Trust on every line."""
    project = Project.create(tmp_path / "p.ccproj", coder="Ann")
    starts = [m.start() for m in re.finditer(r"^", TEXT, re.M)]
    lines = TEXT.split("\n")
    turns = [
        NewTurn(line.split(":")[0], s, s + len(line))
        for s, line in zip(starts, lines, strict=True)
        if ":" in line
    ]
    doc = project.documents.add(NewDocument("call", TEXT, kind="transcript", turns=turns))
    trust = project.codes.add("Trust")
    for start, line in zip(starts, lines, strict=True):
        project.segments.add(doc.id, trust.id, start, start + len(line))
    return project


def test_excluding_interviewer_turns_counts_only_the_others(coded: Project) -> None:
    """Q is guessed an interviewer: leaving out interviewer turns leaves Ann's, Ben's and the
    header's segments (3 of 4); keeping only interviewers leaves Q's (1)."""
    data = load_synthesis_data(coded)
    every = case_code_matrix(data).values.to_numpy().sum()
    without = case_code_matrix(data, filters=SegmentFilter(exclude_roles=("interviewer",)))
    only = case_code_matrix(data, filters=SegmentFilter(roles=("interviewer",)))
    assert (every, without.values.to_numpy().sum(), only.values.to_numpy().sum()) == (4, 3, 1)
    assert "interviewer" in without.filters.describe()


def test_rows_by_speaker_follow_aliases(coded: Project) -> None:
    """One row per speaker (by name) and one for text outside every turn; once Ben is merged
    into Ann, Ben's label counts in Ann's row. Coverage divides by the speaker's own turns."""
    data = load_synthesis_data(coded)
    matrix = case_code_matrix(data, rows="speaker").values
    assert list(matrix.index) == ["Ann", "Ben", "Q", NO_SPEAKER]
    assert matrix.iloc[:, 0].tolist() == [1, 1, 1, 1]
    coverage = case_code_matrix(data, rows="speaker", measure="coverage").values
    # Each segment is its whole turn minus nothing: trimmed lines cover their turns entirely.
    assert coverage.iloc[:3, 0].tolist() == [1.0, 1.0, 1.0]
    speakers = coded.speakers
    speakers.merge(speakers.by_name("Ben").id, speakers.by_name("Ann").id)
    merged = case_code_matrix(load_synthesis_data(coded), rows="speaker").values
    assert dict(zip(merged.index, merged.iloc[:, 0], strict=True)) == {
        "Ann": 2,
        "Q": 1,
        NO_SPEAKER: 1,
    }
    interviewer_out = case_code_matrix(
        load_synthesis_data(coded),
        rows="speaker",
        filters=SegmentFilter(exclude_roles=("interviewer",)),
    ).values
    assert list(interviewer_out.index) == ["Ann", NO_SPEAKER]


def test_rows_by_speaker_on_the_real_transcripts(tmp_path: Path, shared_data: Path) -> None:
    """Every 'outcome(s)' in the Iriss transcripts coded as a hit: rows by speaker count what
    each speaker said (the oracle counts the word in each label's turns with a regex), and
    excluding interviewer turns leaves the guests' 23."""
    from collabcoder.io.batch import import_files

    project = Project.create(tmp_path / "p.ccproj", coder="Ann")
    import_files(project, sorted((shared_data / "transcripts").glob("*.md")))
    code = project.codes.add("Outcomes")
    hits = project.search.run("outcome").hits
    project.search.autocode(project.search.preview_autocode(hits), code.id, "outcome")
    texts = {d.id: project.documents.text(d.id) for d in project.documents.list()}
    word = re.compile(r"(?i)\boutcomes?\b")
    oracle: Counter[str] = Counter()
    for turn in project.documents.turns():
        oracle[turn.speaker] += len(word.findall(texts[turn.document_id][turn.start : turn.end]))
    data = load_synthesis_data(project)
    rows = case_code_matrix(data, rows="speaker").values.iloc[:, 0]
    assert {k: v for k, v in rows.items() if v} == {k: v for k, v in oracle.items() if v}
    assert oracle["Michelle"] == 2 and sum(oracle.values()) == 25
    guests = case_code_matrix(data, filters=SegmentFilter(exclude_roles=("interviewer",)))
    assert guests.values.to_numpy().sum() == 23
