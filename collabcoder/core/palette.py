"""Code colours: distinct hues of medium lightness, so overlapping translucent highlights stay
readable over both light and dark backgrounds and black or white text."""

from __future__ import annotations

import re

PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#6b6ecf", "#e7969c",
)  # fmt: skip

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def colour_for(index: int) -> str:
    """The palette colour for the ``index``-th code."""
    return PALETTE[index % len(PALETTE)]


def normalise_colour(value: str | None) -> str | None:
    """``#rrggbb`` in lower case, or None when ``value`` is not a valid ``#RGB``/``#RRGGBB``."""
    if not value or not _HEX.match(value.strip()):
        return None
    digits = value.strip()[1:]
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits.lower()
