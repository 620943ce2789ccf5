"""What a REFI-QDA exchange carried, and everything it could not carry, with the reason.

Exchange between tools is never perfectly lossless (REFI-QDA has no speaker turns, CollabCoder has
no picture selections...). The report makes every loss visible: an importer or exporter that cannot
carry something adds a :class:`NotCarried` entry instead of dropping it silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

COUNTED = ("documents", "codes", "cases", "attributes", "segments", "memos", "coders", "sets")


@dataclass(frozen=True)
class NotCarried:
    """One thing left behind: its kind (``segment``, ``source``...), a name, and why."""

    kind: str
    name: str
    reason: str


@dataclass
class FidelityReport:
    """The outcome of one import or export of a ``.qdpx``/``.qde``."""

    direction: str  # "import" | "export"
    path: str
    carried: Counter[str] = field(default_factory=Counter)
    not_carried: list[NotCarried] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Per document (by name): the position model used for its selections and how it was chosen.
    position_models: dict[str, str] = field(default_factory=dict)

    def count(self, kind: str, n: int = 1) -> None:
        self.carried[kind] += n

    def drop(self, kind: str, name: str, reason: str) -> None:
        self.not_carried.append(NotCarried(kind, name, reason))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    @property
    def lossless(self) -> bool:
        return not self.not_carried and not self.warnings

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` output and the GUI dialog."""
        return {
            "direction": self.direction,
            "path": self.path,
            "carried": {kind: self.carried.get(kind, 0) for kind in COUNTED},
            "not_carried": [asdict(item) for item in self.not_carried],
            "warnings": list(self.warnings),
            "position_models": dict(self.position_models),
        }

    def lines(self) -> list[str]:
        """The report as short lines a researcher can read in a terminal or dialog."""
        verb = "Imported" if self.direction == "import" else "Exported"
        counts = ", ".join(f"{self.carried.get(k, 0)} {k}" for k in COUNTED)
        out = [f"{verb} {self.path}: {counts}."]
        for name, model in self.position_models.items():
            out.append(f"Positions in {name}: {model}.")
        for warning in self.warnings:
            out.append(f"Warning: {warning}")
        if self.not_carried:
            out.append(f"Not carried ({len(self.not_carried)}):")
            # Many selections of one kind fail for one reason: group them so the list stays short.
            groups = Counter((item.kind, item.reason) for item in self.not_carried)
            for (kind, reason), n in sorted(groups.items()):
                names = [i.name for i in self.not_carried if (i.kind, i.reason) == (kind, reason)]
                shown = ", ".join(names[:3]) + (f" and {n - 3} more" if n > 3 else "")
                out.append(f"  {n} {kind}: {reason} ({shown})")
        return out
