"""What codebook editing asks the researcher, behind one small class (after Mu's injected view).

:class:`CodebookQuestions` asks with real dialogs; tests hand the editor an object with the same
methods that answers at once, so every command runs in the real main window without a modal loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from collabcoder.core.codebook_diff import CodebookDiff
from collabcoder.core.codebook_merge import MergePlan
from collabcoder.core.records import CodeRecord

from .code_dialog import CodeDialog
from .codebook_merge_dialog import CodebookMergeDialog
from .split_dialog import SplitDialog

EXPORT_FILTERS = {
    "REFI-QDA codebook (*.qdc)": ".qdc",
    "Word document (*.docx)": ".docx",
    "Excel workbook (*.xlsx)": ".xlsx",
}


class CodebookQuestions:
    """Each method returns the answer, or None when the researcher cancels."""

    def code_fields(
        self, parent: QWidget, code: CodeRecord | None, title: str
    ) -> dict[str, Any] | None:
        dialog = CodeDialog(parent, code, title)
        return dialog.values() if dialog.exec() == CodeDialog.DialogCode.Accepted else None

    def choose_code(self, parent: QWidget, title: str, label: str, paths: list[str]) -> str | None:
        path, ok = QInputDialog.getItem(parent, title, label, paths, 0, False)
        return path if ok and path else None

    def split(
        self,
        parent: QWidget,
        code_name: str,
        segments: list[tuple[int, str, str]],
        chosen: set[int],
    ) -> tuple[str, list[int]] | None:
        dialog = SplitDialog(parent, code_name, segments, chosen)
        if dialog.exec() != SplitDialog.DialogCode.Accepted:
            return None
        return dialog.name.text().strip(), dialog.chosen()

    def delete_segments(
        self, parent: QWidget, code: CodeRecord, segments: int, parent_name: str | None
    ) -> str | None:
        """ "delete" or "parent": what happens to the coding of a deleted code."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(f"Delete {code.name}")
        box.setText(
            f"Delete the code “{code.name}” and the codes below it? "
            f"They hold {segments} coded segment{'' if segments == 1 else 's'}."
        )
        box.setInformativeText("You can undo this with Edit > Undo.")
        delete = box.addButton(
            "Delete code and its segments", QMessageBox.ButtonRole.DestructiveRole
        )
        keep = None
        if parent_name is not None:
            keep = box.addButton(
                f"Delete code, move segments to “{parent_name}”", QMessageBox.ButtonRole.AcceptRole
            )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is delete:
            return "delete"
        if keep is not None and clicked is keep:
            return "parent"
        return None

    def export_path(self, parent: QWidget) -> Path | None:
        name, chosen = QFileDialog.getSaveFileName(
            parent, "Export codebook", "", ";;".join(EXPORT_FILTERS)
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in EXPORT_FILTERS.values():
            path = path.with_name(path.name + EXPORT_FILTERS.get(chosen, ".qdc"))
        return path

    def import_path(self, parent: QWidget) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent, "Import codebook", "", "REFI-QDA codebook (*.qdc);;All files (*)"
        )
        return Path(name) if name else None

    def confirm_merge(
        self, parent: QWidget, source: str, diff: CodebookDiff, plan: MergePlan
    ) -> MergePlan | None:
        dialog = CodebookMergeDialog(parent, source, diff, plan)
        return dialog.plan() if dialog.exec() == CodebookMergeDialog.DialogCode.Accepted else None
