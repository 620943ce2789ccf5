"""Exports report progress in the one core shape and honour the one cancel token."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabcoder.core.errors import Cancelled
from collabcoder.core.progress import CancelToken
from collabcoder.synthesis import docx_report, xlsx
from collabcoder.synthesis.frames import SynthesisData
from collabcoder.synthesis.report_content import ReportRequest
from collabcoder.synthesis.tables import ExportRequest
from tests.synthesis.conftest import make_data, segment

# More evidence rows than one block of spliced rows (2,000), so a cancel lands inside the splice.
MANY = [segment(n, 10, 2 + n % 3, 1 + n % 2, n % 80, n % 80 + 15) for n in range(1, 2601)]
WORKBOOK_STEPS = [
    "Building the matrix and collecting evidence",
    "Writing the matrix",
    "Writing the evidence",
    "Writing charts, codebook and cases",
    "Saving",
    "Writing the evidence rows",
]


@pytest.fixture(scope="module")
def data() -> SynthesisData:
    return make_data(MANY)


def test_workbook_reports_each_step_of_the_total(tmp_path: Path, data: SynthesisData) -> None:
    """An export nobody cancels reports (n, total, step) for every step, ending at the total."""
    heard: list[tuple[int, int, str]] = []
    xlsx.write_workbook(
        tmp_path / "out.xlsx", data, ExportRequest(), lambda *a: heard.append(a), CancelToken()
    )
    assert heard == [(n, xlsx.STEPS, m) for n, m in enumerate(WORKBOOK_STEPS, 1)]


@pytest.mark.parametrize("step", WORKBOOK_STEPS)
def test_cancel_during_any_workbook_step_leaves_the_old_file(
    tmp_path: Path, data: SynthesisData, step: str
) -> None:
    """Cancel pressed during any step (the last is the long splice of evidence rows) stops the
    export with Cancelled: the workbook already there is untouched and nothing is left beside."""
    target = tmp_path / "synthesis.xlsx"
    target.write_bytes(b"last week's workbook")
    token = CancelToken()

    def progress(done: int, total: int, message: str) -> None:
        if message == step:
            token.cancel()

    with pytest.raises(Cancelled, match=r"synthesis\.xlsx was cancelled"):
        xlsx.write_workbook(target, data, ExportRequest(), progress, token)
    assert target.read_bytes() == b"last week's workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["synthesis.xlsx"]


def test_cancel_during_the_report_leaves_no_file(tmp_path: Path, data: SynthesisData) -> None:
    """The Word report checks the same token between its steps and writes nothing when told."""
    token = CancelToken()
    heard: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, message: str) -> None:
        heard.append((done, total, message))
        if message == "Writing the findings":
            token.cancel()

    with pytest.raises(Cancelled):
        docx_report.write_report(tmp_path / "report.docx", data, ReportRequest(), progress, token)
    assert [d for d, _t, _m in heard] == [1, 2, 3] and heard[0][1] == docx_report.STEPS
    assert list(tmp_path.iterdir()) == []
