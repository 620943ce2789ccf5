"""A codebook as plain data: what importers produce and exporters, diff and merge consume."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class CodeSpec:
    """One code with its children, independent of any project or file format."""

    name: str
    guid: str | None = None
    colour: str | None = None
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    keywords: list[str] = field(default_factory=list)
    children: list[CodeSpec] = field(default_factory=list)

    def walk(self, parent_path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], CodeSpec]]:
        """Yield (path, code) for this code and every descendant, depth first."""
        path = (*parent_path, self.name)
        yield path, self
        for child in self.children:
            yield from child.walk(path)


def walk_codebook(roots: list[CodeSpec]) -> Iterator[tuple[tuple[str, ...], CodeSpec]]:
    """Yield (path, code) over a whole forest of codes."""
    for root in roots:
        yield from root.walk()
