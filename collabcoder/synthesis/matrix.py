"""The case x code matrix: how much of each code each case (or case group) holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from collabcoder.core.errors import InvalidValue
from collabcoder.synthesis.filters import SegmentFilter, filtered_documents, filtered_segments
from collabcoder.synthesis.layout import RowLayout, rollup_columns, row_layout, row_lengths
from collabcoder.synthesis.measures import MEASURES, QUERY_COLUMN
from collabcoder.synthesis.spans import total_per_key, union_blocks, words_per_key
from collabcoder.synthesis.speaker_rows import SPEAKER_ROWS, speaker_lengths, speaker_rows

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np
    import pandas as pd

    from collabcoder.core.search_coding import Passage
    from collabcoder.synthesis.frames import SynthesisData


@dataclass
class CaseCodeMatrix:
    """One measure per (row, code) cell.

    ``values``: index = row labels, columns = code ids (tree order). ``columns``: the code table
    rows of those codes (path, depth, colour...). Coverage is a share between 0 and 1.
    """

    values: pd.DataFrame
    columns: pd.DataFrame
    measure: str
    rows: str
    depth: int | None
    filters: SegmentFilter = field(default_factory=SegmentFilter)

    def labelled(self) -> pd.DataFrame:
        """The values with code paths as column names (for display, CSV and JSON)."""
        frame = self.values.copy()
        frame.columns = list(self.columns["path"])
        frame.index.name = "case" if self.rows == "case" else self.rows
        return frame


def _distinct_per_key(key: np.ndarray, other: np.ndarray, size: int) -> np.ndarray:
    """Number of distinct ``other`` values per key ``0 .. size-1``."""
    import numpy as np

    if len(key) == 0:
        return np.zeros(size, "int64")
    base = int(other.max()) + 1
    return np.bincount(np.unique(key * base + other) // base, minlength=size)


def cell_keys(
    data: SynthesisData,
    segments: pd.DataFrame,
    layout: RowLayout,
    membership: pd.DataFrame,
    n_columns: int,
    rows_by: str = "case",
) -> pd.DataFrame:
    """One row per (segment, column it counts towards) with its cell key and global span."""
    import numpy as np

    gstart, gend = data.global_spans(segments)
    if rows_by == SPEAKER_ROWS:
        rows = speaker_rows(data, segments, layout.labels)
    else:
        rows = layout.document_row.reindex(segments["document_id"]).to_numpy()
        rows = np.where(np.isnan(rows.astype("float64")), -1, rows).astype("int64")
    base = segments.assign(row=rows, gstart=gstart, gend=gend)
    base = base[base["row"] >= 0]
    expanded = base.merge(membership, on="code_id", how="inner")
    expanded["key"] = expanded["row"] * n_columns + expanded["column"]
    return expanded


def case_code_matrix(
    data: SynthesisData,
    *,
    rows: str = "case",
    depth: int | None = 1,
    measure: str = "segments",
    filters: SegmentFilter | None = None,
) -> CaseCodeMatrix:
    """Build the case x code matrix.

    ``rows`` is ``"case"``, ``"speaker"`` (the speaker of the turn each segment starts in) or
    the name of a case attribute (cases grouped by its value).
    Columns are the codes down to ``depth`` (None: every code); each column counts its code and
    all descendants, and overlapping segments under one column share their characters once.
    Measures: segments, documents (distinct), coders (distinct), words (distinct words touched by
    coded text), coverage (coded characters / characters of the row's documents in view).
    """
    import numpy as np
    import pandas as pd

    if measure not in MEASURES:
        raise InvalidValue(f"Unknown measure {measure!r}; choose one of {', '.join(MEASURES)}.")
    filters = filters or SegmentFilter()
    documents = filtered_documents(data, filters)
    layout = row_layout(data, rows, documents, filters)
    columns, membership = rollup_columns(data, depth)
    n_rows, n_cols = len(layout.labels), len(columns)
    size = n_rows * n_cols
    cells = cell_keys(data, filtered_segments(data, filters), layout, membership, n_cols, rows)
    key = cells["key"].to_numpy("int64")
    if measure == "segments":
        flat = np.bincount(key, minlength=size).astype("float64")
    elif measure in ("documents", "coders"):
        other = cells["document_id" if measure == "documents" else "coder_id"].to_numpy("int64")
        flat = _distinct_per_key(key, other, size).astype("float64")
    else:
        blocks = union_blocks(key, cells["gstart"].to_numpy(), cells["gend"].to_numpy())
        if measure == "words":
            flat = words_per_key(blocks, *data.word_bounds, size).astype("float64")
        else:
            per_row = (
                speaker_lengths(data, documents, layout.labels)
                if rows == SPEAKER_ROWS
                else row_lengths(layout, documents)
            )
            lengths = np.repeat(per_row, n_cols)
            coded = total_per_key(blocks, size).astype("float64")
            flat = np.divide(coded, lengths, out=np.zeros(size), where=lengths > 0)
    values = pd.DataFrame(
        flat.reshape(n_rows, n_cols), index=pd.Index(layout.labels), columns=columns.index
    )
    if measure != "coverage":
        values = values.astype("int64")
    return CaseCodeMatrix(values, columns, measure, rows, depth, filters)


@dataclass
class QueryColumn:
    """A saved query as a matrix column: its passages counted per row, each row's passages kept
    for the cell's drill-down. Rows are the matrix's (same labels, same order)."""

    name: str
    counts: pd.Series  # index = row labels
    passages: dict[str, list[Passage]]
    measure: str = QUERY_COLUMN.key

    @property
    def label(self) -> str:
        return f"Query: {self.name}"


def query_column(
    data: SynthesisData,
    name: str,
    passages: Sequence[Passage],
    *,
    rows: str = "case",
    filters: SegmentFilter | None = None,
) -> QueryColumn:
    """Count ``passages`` per row of the matrix built with ``rows`` and ``filters``.

    A passage counts in the row of its document's case (or case group); passages in documents
    the filters leave out, or in documents added since ``data`` was read, are not counted.
    """
    import pandas as pd

    filters = filters or SegmentFilter()
    layout = row_layout(data, rows, filtered_documents(data, filters), filters)
    by_row: dict[str, list[Passage]] = {label: [] for label in layout.labels}
    document_row = layout.document_row
    for passage in passages:
        row = document_row.get(passage.document_id)
        if row is None or pd.isna(row) or int(row) < 0:
            continue
        by_row[layout.labels[int(row)]].append(passage)
    counts = pd.Series(
        [len(by_row[label]) for label in layout.labels],
        index=pd.Index(layout.labels),
        dtype="int64",
    )
    return QueryColumn(name, counts, by_row)


def with_query_columns(table: pd.DataFrame, columns: Sequence[QueryColumn]) -> pd.DataFrame:
    """A labelled matrix with each query's counts as one more column (named "Query: NAME")."""
    out = table.copy()
    for column in columns:
        out[column.label] = column.counts.reindex(out.index).fillna(0).astype("int64")
    return out
