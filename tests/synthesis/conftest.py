"""A small hand-built project for synthesis tests, with every count worked out by hand."""

from __future__ import annotations

import pytest

from collabcoder.core.records import (
    AttributeRecord,
    CaseRecord,
    CodeRecord,
    CoderRecord,
    DocumentRecord,
    SegmentRecord,
    SummaryRecord,
    TurnRecord,
)
from collabcoder.synthesis.frames import SynthesisData, build_synthesis_data

WORDS = "abcd "  # every word is 4 letters then a space: word k spans [5k, 5k + 4)


def document(doc_id: int, case_id: int | None, kind: str, length: int) -> DocumentRecord:
    return DocumentRecord(
        doc_id, f"doc-{doc_id}", f"Doc {doc_id}", kind, case_id, {}, "", "", length // 5, ""
    )


def code(code_id: int, name: str, parent_id: int | None, position: int) -> CodeRecord:
    return CodeRecord(
        code_id,
        f"code-{code_id}",
        parent_id,
        name,
        position,
        "#336699",
        "",
        "",
        "",
        "",
        (),
        1,
        None,
        "",
    )


def segment(
    seg_id: int, doc: int, code_id: int, coder: int, start: int, end: int, origin: str = "manual"
) -> SegmentRecord:
    return SegmentRecord(seg_id, f"seg-{seg_id}", doc, code_id, coder, start, end, origin, "")


SEGMENTS = [
    segment(1, 10, 2, 1, 0, 20),
    segment(2, 10, 3, 1, 10, 30),
    segment(3, 10, 2, 2, 5, 15, "suggestion"),
    segment(4, 11, 1, 1, 0, 10),
    segment(5, 20, 6, 2, 50, 60, "imported"),
    segment(6, 20, 4, 1, 55, 70),
    segment(7, 30, 2, 1, 0, 5),
]


def make_data(
    segments: list[SegmentRecord] | None = None, summaries: list[SummaryRecord] | None = None
) -> SynthesisData:
    """Cases Alpha (Hub), Beta (Network), Gamma (no value); codes Drivers/{Trust,Money} and
    Barriers/Time/Late; documents 10 and 11 in Alpha, 20 in Beta, 30 in no case."""
    docs = [
        document(10, 1, "transcript", 100),
        document(11, 1, "fieldnotes", 50),
        document(20, 2, "transcript", 100),
        document(30, None, "document", 40),
    ]
    texts = {d.id: WORDS * (d.word_count) for d in docs}
    texts[30] = "=SUM(A1) " + texts[30][9:]
    return build_synthesis_data(
        project="Tiny",
        documents=docs,
        texts=texts,
        cases=[
            CaseRecord(2, "c2", "Beta", ""),
            CaseRecord(1, "c1", "Alpha", ""),
            CaseRecord(3, "c3", "Gamma", ""),
        ],
        attributes=[AttributeRecord(1, "a1", "model", "choice", ("Network", "Hub"), 0)],
        attribute_values={(1, 1): "Hub", (2, 1): "Network"},
        codes=[
            code(1, "Drivers", None, 0),
            code(3, "Money", 1, 1),
            code(2, "Trust", 1, 0),
            code(4, "Barriers", None, 1),
            code(5, "Time", 4, 0),
            code(6, "Late", 5, 0),
        ],
        coders=[
            CoderRecord(1, "k1", "Ann", ""),
            CoderRecord(2, "k2", "Ben", ""),
            CoderRecord(3, "k3", "Cat", ""),
        ],
        segments=SEGMENTS if segments is None else segments,
        turns=[
            TurnRecord(1, 10, "Interviewer", 0, 10, "00:00:01", 1.0),
            TurnRecord(2, 10, "Participant", 10, 100, "00:00:05", 5.0),
        ],
        summaries=summaries or [],
    )


@pytest.fixture
def tiny() -> SynthesisData:
    """The hand-built project."""
    return make_data()
