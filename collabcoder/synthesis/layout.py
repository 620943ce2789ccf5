"""Rows (cases or case groups) and columns (codes at a depth) shared by matrix and framework."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from collabcoder.core.errors import InvalidValue
from collabcoder.synthesis.filters import SegmentFilter, filtered_cases
from collabcoder.synthesis.frames import NO_CASE, NO_VALUE
from collabcoder.synthesis.speaker_rows import SPEAKER_ROWS, speaker_labels

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from collabcoder.synthesis.frames import SynthesisData


@dataclass(frozen=True)
class RowLayout:
    """Row labels in display order and, for every document, the row it falls in (-1: none)."""

    labels: list[str]
    document_row: pd.Series  # index document id -> row number
    case_row: pd.Series  # index case id -> row number


def check_depth(depth: int | None) -> None:
    if depth is not None and depth < 1:
        raise InvalidValue(f"Code depth must be 1 or more, not {depth}.")


def rollup_columns(data: SynthesisData, depth: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Columns for codes down to ``depth``, each aggregating its whole subtree.

    Returns (columns, membership): ``columns`` is the code table's rows for the column codes in
    tree order; ``membership`` pairs every code_id with each column (0-based) it counts towards:
    itself if shallow enough, and every ancestor down to ``depth``.
    """
    import pandas as pd

    check_depth(depth)
    codes = data.codes
    shown = codes if depth is None else codes[codes["depth"] <= depth]
    column_of = {int(code_id): n for n, code_id in enumerate(shown.index)}
    pairs: list[tuple[int, int]] = []
    parent = codes["parent_id"]
    for code_id in codes.index:
        current: int | None = int(code_id)
        while current is not None:
            if current in column_of:
                pairs.append((int(code_id), column_of[current]))
            up = parent.get(current)
            current = None if up is None or pd.isna(up) else int(up)
    membership = pd.DataFrame(pairs, columns=["code_id", "column"]).astype("int64")
    return shown, membership


def level_codes(data: SynthesisData, depth: int | None) -> pd.Series:
    """Each code's stand-in at ``depth``: itself if shallow enough, else its ancestor at depth."""
    import pandas as pd

    check_depth(depth)
    codes = data.codes
    result = {}
    for code_id, level in codes["depth"].items():
        current = int(code_id)
        for _ in range(int(level) - (depth or int(level))):
            current = int(codes.at[current, "parent_id"])
        result[int(code_id)] = current
    return pd.Series(result, dtype="int64")


def _group_order(data: SynthesisData, attribute: str, values: pd.Series) -> list[str]:
    match = data.attributes[data.attributes["name"] == attribute]
    choices = list(match.iloc[0]["choices"]) if len(match) else []
    present = set(values)
    ordered = [c for c in choices if c in present]
    ordered += sorted(v for v in present if v not in ordered and v != NO_VALUE)
    return ordered + ([NO_VALUE] if NO_VALUE in present else [])


def row_layout(
    data: SynthesisData, rows: str, documents: pd.DataFrame, filters: SegmentFilter
) -> RowLayout:
    """Lay out rows: one per case (``rows="case"``), per value of a case attribute, or per
    speaker (``rows="speaker"``, see ``synthesis.speaker_rows``).

    Cases excluded by a case attribute filter get no row; documents without a case share a
    final "(no case)" row when any are in view.
    """
    import pandas as pd

    if rows == SPEAKER_ROWS:  # rows by speaker: segments, not documents, fall in a row
        from collabcoder.synthesis.filters import filtered_segments

        labels = speaker_labels(data, documents, filtered_segments(data, filters), filters)
        nowhere = pd.Series(-1, index=documents.index, dtype="int64")
        return RowLayout(labels, nowhere, pd.Series([], dtype="int64"))
    cases = filtered_cases(data, filters)
    if rows == "case":
        labels = list(cases["name"])
        case_row = pd.Series(range(len(cases)), index=cases.index, dtype="int64")
    else:
        group = data.case_attribute(rows).reindex(cases.index)
        labels = _group_order(data, rows, group)
        number = {label: n for n, label in enumerate(labels)}
        case_row = group.map(number).astype("int64")
    doc_row = documents["case_id"].map(case_row)
    if documents["case_id"].isna().any():
        labels.append(NO_CASE)
        doc_row[documents["case_id"].isna()] = len(labels) - 1
    return RowLayout(labels, doc_row.fillna(-1).astype("int64"), case_row)


def row_lengths(layout: RowLayout, documents: pd.DataFrame) -> np.ndarray:
    """Total text length of the documents in each row (the denominator of coverage)."""
    import numpy as np

    rows = layout.document_row.to_numpy()
    keep = rows >= 0
    return np.bincount(
        rows[keep], weights=documents["length"].to_numpy()[keep], minlength=len(layout.labels)
    )
