"""Filter the code tree by name: codes that match stay, with the codes above them for context."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QTreeView, QWidget

from .code_tree_model import CodeTreeModel


class CodeFilter(QLineEdit):
    """A search box over a code tree; hides rows rather than proxying the model, so every index
    the dock hands out stays an index of the real model."""

    def __init__(
        self, tree: QTreeView, model: CodeTreeModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.tree = tree
        self.model = model
        self.setPlaceholderText("Filter codes by name")
        self.setAccessibleName("Filter codes")
        self.setClearButtonEnabled(True)
        self.textChanged.connect(self.apply)

    def apply(self) -> None:
        """Show the codes whose name (or a descendant's) contains the typed text."""
        wanted = self.text().strip().casefold()
        keep: set[int] = set()
        for code_id in self.model.code_ids():
            code = self.model.code(self.model.index_of(code_id))
            if code is None or wanted not in code.name.casefold():
                continue
            # Keep the path down to every match, so a child never shows without its parent.
            current: int | None = code_id
            while current is not None and current not in keep:
                keep.add(current)
                parent = self.model.code(self.model.index_of(current))
                current = parent.parent_id if parent else None
        for code_id in self.model.code_ids():
            index = self.model.index_of(code_id)
            self.tree.setRowHidden(index.row(), index.parent(), code_id not in keep)
            if wanted and code_id in keep:
                self.tree.expand(index)
