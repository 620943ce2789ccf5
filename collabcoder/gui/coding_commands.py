"""The coding and memo commands of the main window: what the keys, the document's context menu
and a drop on the Codebook do with the current code and the passage under the cursor."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QInputDialog

from .codebook_dock import CodebookDock
from .document_menu import build_document_menu
from .document_panel import DocumentPanel
from .memos_dock import Target
from .shell import Shell


class CodingCommands:
    """Commands that join the Codebook's current code to the open document's coding."""

    def __init__(self, shell: Shell, panel: DocumentPanel, codebook: CodebookDock) -> None:
        self.shell = shell
        self.panel = panel
        self.codebook = codebook

    def with_current_code(self, command: Callable[[int], object]) -> None:
        code_id = self.codebook.current_code()
        if code_id is None:
            self.shell.report("Pick a code in the Codebook first (Ctrl+2).")
            return
        command(code_id)

    def show_current_code(self, *_: object) -> None:
        bridge = self.shell.bridge
        code_id = self.codebook.current_code()
        code = bridge.code(code_id) if code_id is not None and bridge.project else None
        path = bridge.paths().get(code.id) if code else None
        self.panel.show_current_code(path, code.colour if code else "")

    def code_favourite(self, key: int) -> None:
        code_id = self.codebook.favourite(key)
        if code_id is None:
            self.shell.report(f"No code is bound to key {key}: right-click a code to bind it.")
            return
        self.shell.coding.code_selection(code_id, how=f"Code (key {key})")

    def span_dropped(self, code_id: int, document_id: int, start: int, end: int) -> None:
        self.shell.coding.code_range(
            code_id, start, end, how="Code (drop)", document_id=document_id
        )

    def recode_dialog(self) -> None:
        coding, bridge = self.shell.coding, self.shell.bridge
        here = coding.segments_here()
        if not here:
            self.shell.report("There is no coding here to recode.")
            return
        paths = bridge.paths()
        choices = [paths[c.id] for c in bridge.codes() if c.id != here[0].code_id]
        name, ok = QInputDialog.getItem(
            self.shell.widget, "Recode", "Move this coding to:", choices, 0, False
        )
        if ok:
            target = next(i for i, p in paths.items() if p == name)
            coding.recode([here[0].id], target)

    def document_menu(self, point: QPoint) -> None:
        menu = build_document_menu(self.shell)
        menu.exec(self.panel.view.viewport().mapToGlobal(point))

    def focus_quick_code(self) -> None:
        self.panel.quick_code.setFocus()
        self.panel.quick_code.selectAll()

    def memo_targets(self) -> list[Target]:
        """What a new memo can be written on, from the most specific to the project."""
        targets: list[Target] = []
        here = self.shell.coding.segments_here()
        if here:
            targets.append(("segment", here[0].id))
        code_id = self.codebook.current_code()
        if code_id is not None:
            targets.append(("code", code_id))
        document_id = self.panel.view.document_id
        if document_id is not None:
            targets.append(("document", document_id))
            case_id = self.shell.bridge.require().documents.get(document_id).case_id
            if case_id is not None:
                targets.append(("case", case_id))
        targets.append(("project", None))
        return targets

    def memo_here(self) -> None:
        if self.shell.bridge.project is None:
            return
        self.shell.start_memo(*self.memo_targets()[0])
