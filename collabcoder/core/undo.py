"""The undo/redo stack: a list of journalled steps, testable without any GUI (after glue)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .changes import Changes
from .journal import Entry, changes_of

MAX_STEPS = 200


@dataclass
class Step:
    """One user action: its label and the journal entries that make it up."""

    label: str
    entries: list[Entry] = field(default_factory=list)
    _changes: Changes | None = None

    @property
    def changes(self) -> Changes:
        """What the step changed, summarised once from its entries (undo and redo reuse it)."""
        if self._changes is None:
            self._changes = changes_of(self.entries, self.label)
        return self._changes


@dataclass
class UndoStack:
    """Done steps (newest last) and undone steps that can be redone."""

    done: list[Step] = field(default_factory=list)
    undone: list[Step] = field(default_factory=list)

    def push(self, step: Step) -> None:
        self.done.append(step)
        del self.done[:-MAX_STEPS]
        self.undone.clear()

    @property
    def undo_label(self) -> str | None:
        return self.done[-1].label if self.done else None

    @property
    def redo_label(self) -> str | None:
        return self.undone[-1].label if self.undone else None
