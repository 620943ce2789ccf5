"""CSV export of each synthesis table (UTF-8 with BOM so Excel reads accents correctly)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from collabcoder.core.atomic import atomic_path
from collabcoder.core.sanitize import csv_cell
from collabcoder.synthesis.tables import (
    ExportRequest,
    build_matrices,
    cases_table,
    codebook_table,
    evidence_rows,
    framework_table,
    provenance_table,
)

if TYPE_CHECKING:
    import pandas as pd

    from collabcoder.synthesis.frames import SynthesisData


def write_table_csv(frame: pd.DataFrame, path: str | Path, *, index: bool = False) -> None:
    """Write one table, whole or not at all, every cell through the sanitiser."""
    with (
        atomic_path(path) as temporary,
        open(temporary, "w", encoding="utf-8-sig", newline="") as handle,
    ):
        writer = csv.writer(handle)
        names = [frame.index.name or "", *frame.columns] if index else list(frame.columns)
        writer.writerow([csv_cell(str(n)) for n in names])
        for label, values in zip(frame.index, frame.itertuples(index=False), strict=True):
            cells = [label, *values] if index else list(values)
            writer.writerow([csv_cell(None if v is None or v != v else v) for v in cells])


def write_csv_tables(
    folder: str | Path, data: SynthesisData, request: ExportRequest | None = None
) -> list[Path]:
    """Write matrix, framework, evidence, codebook, cases, agreement (when asked) and provenance
    as CSV files in ``folder``; returns the paths written."""
    request = request or ExportRequest()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    matrix, framework = build_matrices(data, request)
    tables: dict[str, tuple[pd.DataFrame, bool]] = {
        "matrix": (matrix.labelled(), True),
        "framework": (framework_table(data, framework), False),
        "evidence": (evidence_rows(framework), False),
        "codebook": (codebook_table(data), False),
        "cases": (cases_table(data), False),
        "provenance": (provenance_table(data, request), False),
    }
    if request.agreement is not None:
        tables["agreement"] = (request.agreement.table(), False)
    written = []
    for name, (frame, index) in tables.items():
        path = folder / f"{name}.csv"
        write_table_csv(frame, path, index=index)
        written.append(path)
    return written
