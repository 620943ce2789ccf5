"""Every command of the window in one registry, so Help > Keyboard shortcuts lists them all.

The main window's commands are declared here (``SPECS``); modules that own a command (codebook
editing, suggestions, the segments table) create its QAction and register it under a menu name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeAlias

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from .shell import MENUS

StandardKey: TypeAlias = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    name: str
    menu: str  # the key of its menu in ``shell.MENUS``
    text: str
    shortcut: str | StandardKey | None = None
    tip: str = ""
    checkable: bool = False


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("new", "file", "&New project…", StandardKey.New),
    ActionSpec("open", "file", "&Open project…", StandardKey.Open),
    ActionSpec("open_team", "file", "Open &team project…", tip="Open a shared PostgreSQL project"),
    ActionSpec("team", "file", "Te&am…", tip="Members and roles, blind rounds, codebook proposals"),
    ActionSpec("import", "file", "&Import files…", "Ctrl+I", "Add transcripts and documents"),
    ActionSpec("import_folder", "file", "Import &folder…", tip="Add every file in a folder"),
    ActionSpec("import_qdpx", "file", "Import REFI-QDA project…", tip="From NVivo, MAXQDA…"),
    ActionSpec("export_qdpx", "file", "&Export REFI-QDA project…", tip="For NVivo, MAXQDA…"),
    ActionSpec(
        "export_report", "file", "Export &report (Word)…", tip="Codebook, summaries and quotes"
    ),
    ActionSpec("quit", "file", "&Quit", "Ctrl+Q"),
    ActionSpec("undo", "edit", "&Undo", StandardKey.Undo),
    ActionSpec("redo", "edit", "&Redo", "Ctrl+Shift+Z"),
    ActionSpec("find", "edit", "&Find in document…", StandardKey.Find),
    ActionSpec("find_next", "edit", "Find &next", "F3"),
    ActionSpec("find_previous", "edit", "Find &previous", "Shift+F3"),
    ActionSpec("code", "code", "&Code selection with current code", "Ctrl+Return"),
    ActionSpec("quick_code", "code", "&Quick code…", "Ctrl+K", "Type a code name to apply"),
    ActionSpec("whole_turn", "code", "Code whole &turn", "Ctrl+T"),
    ActionSpec("sentences", "code", "Code to &sentence boundaries", "Ctrl+B"),
    ActionSpec("in_vivo", "code", "Code in &vivo (new code from selection)", "Ctrl+Shift+I"),
    ActionSpec("uncode", "code", "&Uncode", "Ctrl+U", "Remove the coding under the cursor"),
    ActionSpec("recode", "code", "&Recode…", "Ctrl+R", "Move the coding here to another code"),
    ActionSpec("memo", "code", "Write &memo…", "Ctrl+M", "Write a memo on what is selected"),
    ActionSpec("focus_document", "view", "Go to &document text", "Ctrl+0"),
    ActionSpec("focus_cases", "view", "Go to Documents && cases", "Ctrl+1"),
    ActionSpec("focus_codebook", "view", "Go to Codebook", "Ctrl+2"),
    ActionSpec("focus_segments", "view", "Go to Segments", "Ctrl+3"),
    ActionSpec("focus_memos", "view", "Go to Memos", "Ctrl+4"),
    ActionSpec(
        "only_mine",
        "view",
        "Show only &my coding (blind)",
        "Ctrl+Shift+B",
        "Hide other coders' segments for blind parallel coding",
        checkable=True,
    ),
    ActionSpec("matrix", "analyse", "Case × code &matrix…", "Ctrl+Shift+M", "Cross-case matrix"),
    ActionSpec("cooccurrence", "analyse", "Code &co-occurrence…", tip="Codes applied together"),
    ActionSpec("agreement", "analyse", "Inter-coder &agreement…", tip="Kappa and alpha per code"),
    ActionSpec("shortcuts", "help", "&Keyboard shortcuts", StandardKey.HelpContents),
    ActionSpec("about", "help", "&About CollabCoder"),
)

# Keys handled by widgets rather than menu actions, for the Help dialog.
EXTRA_KEYS: tuple[tuple[str, str], ...] = (
    ("1 … 9", "In the document: code the selection with favourite code 1 to 9"),
    ("Enter", "In the quick-code box: apply the code typed"),
    ("Enter / double-click", "On a segment row: jump to it in its document"),
    ("Shift+arrows", "In the document: select text with the keyboard"),
    ("Menu key / Shift+F10", "In the document: coding menu for the selection"),
    ("Escape", "Close the Find bar"),
)


class ActionRegistry(dict[str, QAction]):
    """Every command by name (``registry["undo"]``), with the menu it is listed under (a title
    for people, as in "Code › Codebook": menus are found by key, see ``Shell.menu``)."""

    def __init__(self) -> None:
        super().__init__()
        self.menus: dict[str, str] = {}
        self.texts: dict[str, str] = {}  # as registered ("Undo", not "Undo Code with Trust")

    def register(self, name: str, action: QAction, menu: str) -> QAction:
        if name in self:
            raise ValueError(f"two commands are named {name!r}")
        if not action.objectName():
            action.setObjectName(f"action_{name}")
        self[name] = action
        self.menus[name] = menu
        self.texts[name] = plain(action.text())
        return action


def build_actions(parent: QWidget, handlers: dict[str, Callable[..., object]]) -> ActionRegistry:
    """Create one QAction per spec, connected to ``handlers[name]``."""
    actions = ActionRegistry()
    for spec in SPECS:
        action = QAction(spec.text, parent)
        action.setObjectName(f"action_{spec.name}")
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
        action.setCheckable(spec.checkable)
        handler = handlers[spec.name]
        if spec.checkable:
            action.toggled.connect(handler)
        else:
            action.triggered.connect(partial(_call, handler))
        actions.register(spec.name, action, MENUS[spec.menu])
    return actions


def _call(handler: Callable[[], object], _checked: bool = False) -> None:
    handler()


def plain(text: str) -> str:
    """A menu text without its mnemonic ampersands ("Documents && cases" keeps one)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def shortcut_rows(actions: ActionRegistry) -> list[tuple[str, str]]:
    """(keys, what they do) for every registered command, then the keys widgets handle.

    Commands without a shortcut are listed too (keys blank), so the dialog is the full list.
    """
    rows = []
    for name, action in actions.items():
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        rows.append((keys, f"{actions.menus[name]} › {actions.texts[name]}"))
    return rows + list(EXTRA_KEYS)
