"""REFI-QDA import and export report progress and honour Cancel, leaving everything as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabcoder.core.errors import Cancelled
from collabcoder.core.progress import CancelToken
from collabcoder.core.project import Project
from collabcoder.io.refi.project_export import EXPORT_STEPS, export_qdpx
from collabcoder.io.refi.project_import import IMPORT_STEPS, import_qdpx
from tests.io.test_qdpx_roundtrip import exported

__all__ = ["exported"]  # the fixture


class CancelAfter:
    """Progress that presses Cancel once ``steps`` steps have been reported."""

    def __init__(self, token: CancelToken, steps: int) -> None:
        self.token, self.steps = token, steps
        self.seen: list[tuple[int, int, str]] = []

    def __call__(self, done: int, total: int, message: str = "") -> None:
        self.seen.append((done, total, message))
        if len(self.seen) >= self.steps:
            self.token.cancel()


def test_export_reports_each_step_and_a_cancel_leaves_the_old_file(
    project: Project, exported: Path
) -> None:
    """Every step is reported out of the total; a cancel after any step but the last raises
    Cancelled and leaves the file already there byte for byte, with nothing beside it."""
    seen: list[tuple[int, int, str]] = []
    export_qdpx(project, exported, progress=lambda d, t, m="": seen.append((d, t, m)))
    assert [(d, t) for d, t, _m in seen] == [(n, EXPORT_STEPS) for n in range(1, EXPORT_STEPS + 1)]
    before, files = exported.read_bytes(), sorted(exported.parent.iterdir())
    for steps in range(1, EXPORT_STEPS):
        token = CancelToken()
        with pytest.raises(Cancelled, match=r"Exporting out\.qdpx was cancelled"):
            export_qdpx(project, exported, progress=CancelAfter(token, steps), cancel=token)
        assert exported.read_bytes() == before
        assert sorted(exported.parent.iterdir()) == files


def test_a_cancelled_merge_import_changes_nothing(
    project: Project, exported: Path, tmp_path: Path
) -> None:
    """Cancel pressed while the file is read: the import stops before writing, the target
    project keeps its counts and has no new undo step."""
    target = Project.create(tmp_path / "target.ccproj", coder="Ann")
    try:
        before, steps_before = target.counts(), target.undo_label
        token = CancelToken()
        with pytest.raises(Cancelled, match=r"Importing out\.qdpx was cancelled"):
            import_qdpx(exported, target, progress=CancelAfter(token, 1), cancel=token)
        assert target.counts() == before and target.undo_label == steps_before
        seen: list[tuple[int, int, str]] = []
        import_qdpx(exported, target, progress=lambda d, t, m="": seen.append((d, t, m)))
        assert [(d, t) for d, t, _m in seen] == [(1, IMPORT_STEPS), (2, IMPORT_STEPS)]
        assert target.counts().segments == 4
    finally:
        target.close()


def test_a_cancelled_import_as_a_new_project_leaves_no_file(exported: Path, tmp_path: Path) -> None:
    """Importing into a new location and cancelling leaves no project file (nor WAL) there."""
    location = tmp_path / "new.ccproj"
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        import_qdpx(exported, location, coder="Dee", cancel=token)
    assert not any(p.name.startswith("new.ccproj") for p in tmp_path.iterdir())
