"""Framework cells, their evidence and stale summaries."""

from __future__ import annotations

from collabcoder.core.records import SummaryRecord
from collabcoder.synthesis.frames import SynthesisData
from collabcoder.synthesis.framework import (
    cell_fingerprint,
    evidence_fingerprint,
    evidence_table,
    framework_matrix,
    summary_status,
)
from tests.synthesis.conftest import SEGMENTS, make_data, segment


def summary(case_id: int, code_id: int, evidence_hash: str) -> SummaryRecord:
    return SummaryRecord(
        id=1,
        guid="s1",
        case_id=case_id,
        code_id=code_id,
        coder_id=1,
        text="Trust drives it.",
        evidence_hash=evidence_hash,
        created="2024-01-01",
        modified="2024-01-02",
        modified_by=1,
        version=1,
    )


def test_fingerprint_ignores_order_but_not_positions() -> None:
    """The fingerprint is the same for any order of rows and changes when a span moves."""
    rows = [("a", 1, 0, 5), ("b", 1, 3, 9)]
    assert evidence_fingerprint(rows) == evidence_fingerprint(list(reversed(rows)))
    assert evidence_fingerprint(rows) != evidence_fingerprint([("a", 1, 0, 6), ("b", 1, 3, 9)])


def test_summary_goes_stale_when_evidence_changes(tiny: SynthesisData) -> None:
    """A summary written with the current fingerprint is fresh; after a segment is added under
    the code (even on a descendant) it is stale; other cells' changes leave it fresh."""
    written = cell_fingerprint(tiny, 1, 1)
    fresh = make_data(summaries=[summary(1, 1, written)])
    assert not summary_status(fresh)["stale"].iloc[0]
    added = make_data([*SEGMENTS, segment(50, 11, 3, 2, 20, 30)], [summary(1, 1, written)])
    assert summary_status(added)["stale"].iloc[0]
    elsewhere = make_data([*SEGMENTS, segment(51, 20, 2, 2, 0, 5)], [summary(1, 1, written)])
    assert not summary_status(elsewhere)["stale"].iloc[0]
    moved = [segment(1, 10, 2, 1, 0, 21), *SEGMENTS[1:]]
    assert summary_status(make_data(moved, [summary(1, 1, written)]))["stale"].iloc[0]


def test_evidence_has_speaker_time_and_quote(tiny: SynthesisData) -> None:
    """Evidence rows are ordered case, code tree, document, start and carry turn details."""
    evidence = evidence_table(tiny)
    first = evidence.iloc[0]
    assert (first["case"], first["code"], first["document"]) == ("Alpha", "Drivers", "Doc 11")
    assert list(evidence["id"][:4]) == [4, 1, 3, 2]  # Drivers, Trust x2, Money
    trust = evidence[evidence["id"] == 3].iloc[0]
    assert (trust["speaker"], trust["timestamp"]) == ("Interviewer", "00:00:01")
    assert trust["quote"] == tiny.texts[10][5:15].strip()
    assert trust["turn"] == 1 and evidence[evidence["id"] == 2].iloc[0]["turn"] == 2
    money = evidence[evidence["id"] == 2].iloc[0]
    assert (money["speaker"], money["timestamp"]) == ("Participant", "00:00:05")
    assert evidence.iloc[-1]["case"] == "(no case)"


def test_framework_cells_point_at_contiguous_evidence(tiny: SynthesisData) -> None:
    """A parent's cell spans its own and its children's rows; summaries and stale flags attach."""
    data = make_data(summaries=[summary(1, 1, "outdated")])
    framework = framework_matrix(data, depth=2, top_quotes=2)
    cells = {(c.case_id, c.code_id): c for c in framework.cells}
    drivers = cells[(1, 1)]
    assert drivers.segments == 4
    assert set(framework.evidence["id"][drivers.first_row : drivers.stop_row]) == {1, 2, 3, 4}
    trust = cells[(1, 2)]
    assert set(framework.evidence["id"][trust.first_row : trust.stop_row]) == {1, 3}
    assert drivers.summary == "Trust drives it." and drivers.author == "Ann" and drivers.stale
    assert len(drivers.quotes) == 2
    assert cells[(3, 1)].segments == 0
    assert cells[(2, 4)].segments == 2


def test_framework_has_the_matrix_rows_including_no_case(tiny: SynthesisData) -> None:
    """Like the Matrix, the Framework has a "(no case)" row for documents without a case, whose
    cells point at their evidence, and leaves out cases a case filter excludes."""
    from collabcoder.synthesis.filters import SegmentFilter
    from collabcoder.synthesis.matrix import case_code_matrix

    framework = framework_matrix(tiny, depth=1)
    assert framework.labels == list(case_code_matrix(tiny, depth=1).values.index)
    assert framework.labels[-1] == "(no case)"
    label, (drivers, barriers) = list(framework.rows())[-1]
    assert label == "(no case)"
    assert drivers.case_id is None and drivers.segments == 1 and barriers.segments == 0
    assert framework.evidence["id"][drivers.first_row] == 7
    only_hub = SegmentFilter(case_attributes={"model": ("Hub",)})
    assert framework_matrix(tiny, filters=only_hub).labels == ["Alpha"]


def test_quotes_are_trimmed() -> None:
    """Quotes lose leading bullets, tabs and line breaks, trailing space, and blank lines, but
    keep text that only looks like a bullet (a minus sign, a number)."""
    from collabcoder.synthesis.framework import trim_quote

    assert trim_quote("\n\t• We share data.\n\n\n  Then\tmore. \n") == "We share data.\nThen more."
    assert trim_quote("- yes\n") == "yes"
    assert trim_quote("-2 degrees") == "-2 degrees"
    assert trim_quote("1. First") == "1. First"
    assert trim_quote(" \n ") == ""
