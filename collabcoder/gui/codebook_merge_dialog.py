"""Preview of importing a codebook: the diff against this project's codebook and the merge plan.

The lead sees every difference (added, removed, renamed, moved, re-defined, recoloured) and every
conflict before anything changes; conflicts stay as they are unless the lead ticks the box that
settles them in favour of the file.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collabcoder.core.codebook_diff import CodebookDiff
from collabcoder.core.codebook_merge import MergePlan, take_incoming

KIND_LABELS = {
    "added": "Added",
    "removed": "Removed here",
    "renamed": "Renamed",
    "moved": "Moved",
    "redefined": "Re-defined",
    "recoloured": "Recoloured",
    "conflict": "Conflict",
}


def _short(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def diff_rows(diff: CodebookDiff, plan: MergePlan) -> list[tuple[str, str, str]]:
    """(change, code path, detail) for every difference, then every conflict of the plan."""
    rows = []
    for item in diff.differences:
        path = "/".join(item.local_path or item.incoming_path or ())
        detail = "; ".join(
            f"{c.field}: {_short(c.local) or '(empty)'} → {_short(c.incoming) or '(empty)'}"
            for c in item.fields
        )
        if item.kind == "removed":
            detail = "only in this project: kept"
        rows.append((KIND_LABELS.get(item.kind, item.kind), path, detail))
    for conflict in plan.conflicts:
        path = "/".join(conflict.local_path or conflict.incoming_path or ())
        rows.append((KIND_LABELS["conflict"], path, f"[{conflict.field}] {conflict.reason}"))
    return rows


class CodebookMergeDialog(QDialog):
    """Shows the diff and the plan; :meth:`plan` is what to apply when the dialog is accepted."""

    def __init__(
        self, parent: QWidget | None, source: str, diff: CodebookDiff, plan: MergePlan
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import codebook {source}")
        self._plan = plan
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setText(
            f"{diff.matched} codes match. The merge will add {len(plan.additions)}, update "
            f"{len(plan.updates)}, move {len(plan.moves)} and remove {len(plan.removals)} codes; "
            f"{len(plan.conflicts)} conflicts are left for you to decide. "
            "Codes with segments and your own edits are never removed or overwritten."
        )
        self.table = QTreeWidget(self)
        self.table.setAccessibleName("Codebook differences")
        self.table.setHeaderLabels(["Change", "Code", "Detail"])
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        for row in diff_rows(diff, plan):
            QTreeWidgetItem(self.table, list(row))
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.take_incoming = QCheckBox("Settle conflicts in favour of the &file", self)
        self.take_incoming.setEnabled(any(c.resolution is not None for c in plan.conflicts))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.apply_button = buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(not plan.is_empty or self.take_incoming.isEnabled())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.summary)
        column.addWidget(self.table, 1)
        column.addWidget(self.take_incoming)
        column.addWidget(buttons)
        self.resize(860, 520)

    def rows(self) -> list[tuple[str, str, str]]:
        """What the table shows (for tests and screen readers alike)."""
        out = []
        for n in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(n)
            if item is not None:
                out.append((item.text(0), item.text(1), item.text(2)))
        return out

    def plan(self) -> MergePlan:
        return take_incoming(self._plan) if self.take_incoming.isChecked() else self._plan
