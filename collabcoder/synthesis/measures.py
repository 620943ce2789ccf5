"""The matrix measures, in one registry the CLI, the GUI and the workbook read.

A new measure is one entry here plus its computation in ``matrix.case_code_matrix``; the CLI's
``--measure`` choices, the Matrix window's Measure box and cell formatting follow from this table.
Free of pandas, so the GUI can list measures without loading it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    key: str
    name: str  # as the Measure box and the workbook show it
    share: bool = False  # a fraction, shown as a percentage


REGISTRY: tuple[Measure, ...] = (
    Measure("segments", "Coded segments"),
    Measure("documents", "Documents"),
    Measure("coders", "Coders"),
    Measure("words", "Words coded"),
    Measure("coverage", "Share of text coded", share=True),
)
MEASURES: tuple[str, ...] = tuple(m.key for m in REGISTRY)
# What a saved query's column holds (``matrix.query_column``) whatever the codes' measure is:
# not in REGISTRY, since it measures a query's passages, never a code.
QUERY_COLUMN = Measure("passages", "Passages the query found")
BY_KEY: dict[str, Measure] = {m.key: m for m in REGISTRY}


def is_share(key: str) -> bool:
    """True for a measure shown as a percentage."""
    measure = BY_KEY.get(key)
    return measure is not None and measure.share
