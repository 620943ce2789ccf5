"""The Search dock's scope: where a search or coding query looks, as one row of compact buttons.

Each scope row is one :class:`ScopeRow` in :data:`ROWS`: the key it fills in a saved query's
definition (the keys ``collabcoder search`` saves and ``core.search_saved.definition_scope``
reads), its label, and where its choices come from. A new kind of scope is one more entry
there, plus its key in ``definition_scope``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from collabcoder.core.vocabulary import SPEAKER_ROLES

from .check_menu import CheckMenuButton

if TYPE_CHECKING:
    from .project_bridge import ProjectBridge

Choices = Callable[["ProjectBridge"], list[str]]  # from its caches where it keeps them
BUTTON_WIDTH = 170  # pixels: chosen names elide rather than widen the dock past a small screen


def _attribute_values(bridge: ProjectBridge) -> list[str]:
    project = bridge.require()
    names = {a.id: a.name for a in project.attributes.list()}
    pairs = {(names[a], v) for (_case, a), v in project.attributes.values().items() if v}
    return [f"{n} = {v}" for n, v in sorted(pairs, key=lambda p: (p[0].casefold(), p[1]))]


def _where(chosen: Sequence[str]) -> list[str]:
    """ "Funding = Grant" choices as the CLI's ``--where`` items ("Funding=Grant,None")."""
    values: dict[str, list[str]] = {}
    for choice in chosen:
        name, _, value = choice.partition(" = ")
        values.setdefault(name, []).append(value)
    return [f"{name}={','.join(vs)}" for name, vs in values.items()]


def _from_where(items: Sequence[str] | None) -> list[str]:
    shown = []
    for item in items or ():
        name, _, values = item.partition("=")
        shown += [f"{name.strip()} = {v.strip()}" for v in values.split(",") if v.strip()]
    return shown


def _joined(chosen: Sequence[str]) -> str:
    return ", ".join(chosen)


def _split(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [n.strip() for n in str(value or "").split(",") if n.strip()]


EVERY_KIND = frozenset({"text", "coding", "headings"})
PASSAGES = frozenset({"text", "coding"})  # scopes of turns and coding: not of headings


@dataclass(frozen=True)
class ScopeRow:
    """One scope control. ``save`` turns the chosen names into the definition's value, ``load``
    reads it back; ``kinds`` are the searches it applies to (the dock's modes)."""

    key: str
    label: str
    choices: Choices
    tooltip: str = ""
    kinds: frozenset[str] = EVERY_KIND
    save: Callable[[Sequence[str]], Any] = _joined
    load: Callable[[Any], list[str]] = _split


ROWS: tuple[ScopeRow, ...] = (
    ScopeRow("documents", "Documents", lambda b: [d.name for d in b.documents()],
             "Only these documents"),
    ScopeRow("cases", "Cases", lambda b: [c.name for c in b.require().cases.list()],
             "Only the documents of these cases"),
    ScopeRow("where", "Values", _attribute_values,
             "Only documents whose case has one of these values (values of one attribute: "
             "any of them)", save=_where, load=_from_where),
    ScopeRow("speakers", "Speakers", lambda b: b.require().search.speakers(),
             "Only these speakers' turns", PASSAGES),
    ScopeRow("exclude_speakers", "Leave out", lambda b: b.require().search.speakers(),
             "Leave out these speakers' turns (e.g. the interviewer)", PASSAGES),
    ScopeRow("sets", "Sets", lambda b: [s.name for s in b.require().sets.list()],
             "Only documents in these document sets (any of them)", save=list),
    ScopeRow("exclude_role", "Leave out roles", lambda _b: list(SPEAKER_ROLES),
             "Leave out the turns of speakers in these roles (e.g. interviewer)", PASSAGES,
             save=list),
    ScopeRow("coders", "Coders", lambda b: [c.name for c in b.coders()],
             "Only text these coders coded", PASSAGES),
    ScopeRow("coded_with", "Codes", lambda b: sorted(b.paths().values()),
             "Only text coded with these codes", frozenset({"text"})),
)  # fmt: skip


class ScopeButton(CheckMenuButton):
    """A scope choice that takes little room: its label alone while it restricts nothing."""

    def _update_text(self) -> None:
        chosen = self.chosen()
        if not chosen:
            self.setText(self.label)
        elif len(chosen) == 1:
            self.setText(f"{self.label}: {chosen[0]}")
        else:
            self.setText(f"{self.label} ({len(chosen)})")
        self.setToolTip("\n".join(chosen) if chosen else self._tip)

    def set_tip(self, tip: str) -> None:
        self._tip = tip
        self._update_text()

    _tip = ""


class ScopePanel(QWidget):
    """One button per :data:`ROWS` entry; ``changed`` when a choice changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, rows: Sequence[ScopeRow] = ROWS) -> None:
        super().__init__(parent)
        self.rows = tuple(rows)
        self.buttons: dict[str, ScopeButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Scope:", self))
        for row in self.rows:
            button = ScopeButton(row.label, self)
            button.set_tip(row.tooltip)
            button.setMaximumWidth(BUTTON_WIDTH)
            button.changed.connect(self.changed)
            layout.addWidget(button)
            self.buttons[row.key] = button
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Clear the scope: search every document")
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)

    def fill(self, bridge: ProjectBridge) -> None:
        """Offer the open project's names (choices still offered stay chosen)."""
        for row in self.rows:
            button = self.buttons[row.key]
            button.blockSignals(True)
            button.set_choices(row.choices(bridge) if bridge.project is not None else [])
            button.blockSignals(False)

    def set_kind(self, kind: str) -> None:
        """Show the rows that apply to ``kind`` of search (text, coding, headings)."""
        for row in self.rows:
            self.buttons[row.key].setVisible(kind in row.kinds)

    def definition(self, kind: str = "text") -> dict[str, Any]:
        """The chosen scope as a saved query's definition keys (empty rows, and rows that do
        not apply to ``kind``, left out)."""
        out: dict[str, Any] = {}
        for row in self.rows:
            chosen = self.buttons[row.key].chosen()
            if chosen and kind in row.kinds:
                out[row.key] = row.save(chosen)
        return out

    def load(self, definition: dict[str, Any]) -> None:
        """Choose what a saved definition chose (names no longer offered are dropped)."""
        for row in self.rows:
            button = self.buttons[row.key]
            button.blockSignals(True)
            button.set_chosen(row.load(definition.get(row.key)))
            button.blockSignals(False)
        self.changed.emit()

    def clear(self) -> None:
        self.load({})

    def describe(self) -> str:
        """The scope in words for the status line ("everywhere" when nothing is chosen)."""
        parts = [
            f"{row.label.lower()}: {', '.join(self.buttons[row.key].chosen())}"
            for row in self.rows
            if self.buttons[row.key].isVisibleTo(self) and self.buttons[row.key].chosen()
        ]
        return "; ".join(parts) or "everywhere"
