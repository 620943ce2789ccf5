"""A "Sets" filter button for any view that can be scoped to document sets (the Search dock).

Its choices follow the project's sets by itself (read through ``run_query``); none checked means
every document, several mean documents in any of them, as ``--set`` does on the command line.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from collabcoder.core.changes import Changes, Kind
from collabcoder.core.project import Project

from .check_menu import CheckMenuButton
from .project_bridge import ProjectBridge


def _names(project: Project) -> list[str]:
    return [record.name for record in project.sets.list()]


class SetFilterButton(CheckMenuButton):
    def __init__(self, bridge: ProjectBridge, parent: QWidget | None = None) -> None:
        super().__init__("Sets", parent)
        self.bridge = bridge
        self.setToolTip("Only documents in the sets ticked (none ticked: every document)")
        bridge.changed.connect(self._on_changes)
        bridge.project_replaced.connect(self.reload)
        self.reload()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touched(Kind.SETS):
            self.reload()

    def reload(self) -> None:
        if self.bridge.project is None:
            self.set_choices([])
            return
        self.bridge.ops.run_query("Listing document sets", _names, self.set_choices)
