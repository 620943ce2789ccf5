"""Framework matrix: each case x code cell's evidence and its analyst summary, stale or not.

A summary is written against the evidence under its cell. The caller stores
``cell_fingerprint(...)`` as the summary's ``evidence_hash`` when saving it; later the summary is
stale when the cell's fingerprint differs (segments added, removed, moved or recoded). The
fingerprint covers every segment of the case's documents coded with the code or a descendant,
regardless of any view filter, so changing a filter never makes a summary look stale.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from collabcoder.synthesis.filters import (
    SegmentFilter,
    filtered_cases,
    filtered_documents,
    filtered_segments,
)
from collabcoder.synthesis.frames import NO_CASE
from collabcoder.synthesis.layout import rollup_columns

if TYPE_CHECKING:
    import pandas as pd

    from collabcoder.synthesis.frames import SynthesisData

EVIDENCE_COLUMNS = [
    "case",
    "document",
    "speaker",
    "timestamp",
    "code",
    "coder",
    "origin",
    "start",
    "end",
    "quote",
]


# Whitespace and list bullets a quote may start with when a coder's selection began at a list item
# ("• ", "- ", "1. " is kept: a number is content). A bullet counts only when a space follows it.
_LEADING = re.compile(r"^(?:\s|[•◦‣⁃∙·▪▫●○■□➢►\-–—*](?=\s))+")
_INNER_BREAKS = re.compile(r"[ \t]*\n\s*")


def trim_quote(text: str) -> str:
    """A quote as a reader should see it: no leading bullets, tabs or newlines, no trailing
    whitespace, tabs as spaces and blank lines folded into one line break."""
    text = _LEADING.sub("", text).rstrip()
    if "\t" in text:
        text = text.replace("\t", " ")
    return _INNER_BREAKS.sub("\n", text) if "\n" in text else text


def evidence_fingerprint(rows: Iterable[tuple[str, int, int, int]]) -> str:
    """SHA-256 over sorted (segment guid, document id, start, end): order-free, content-bound."""
    digest = hashlib.sha256()
    for guid, document_id, start, end in sorted(rows):
        digest.update(f"{guid}\t{document_id}\t{start}\t{end}\n".encode())
    return digest.hexdigest()


def _subtree_segments(data: SynthesisData, case_id: int, code_id: int) -> pd.DataFrame:
    codes = data.codes
    first, last = codes.at[code_id, "order"], codes.at[code_id, "last"]
    subtree = codes.index[(codes["order"] >= first) & (codes["order"] <= last)]
    docs = data.documents.index[data.documents["case_id"] == case_id]
    segments = data.segments
    return segments[segments["document_id"].isin(docs) & segments["code_id"].isin(subtree)]


def cell_fingerprint(data: SynthesisData, case_id: int, code_id: int) -> str:
    """The fingerprint of one cell's evidence now (store it as the summary's evidence_hash)."""
    rows = _subtree_segments(data, case_id, code_id)
    return evidence_fingerprint(
        zip(rows["guid"], rows["document_id"], rows["start"], rows["end"], strict=True)
    )


def summary_status(data: SynthesisData) -> pd.DataFrame:
    """Every summary with its author name and a ``stale`` flag (True when the evidence changed).

    Fingerprints all summarised cells in one pass: each segment is paired with its code and
    every ancestor, and only the (case, code) pairs that have a summary are hashed.
    """
    summaries = data.summaries.copy()
    summaries["author"] = summaries["coder_id"].map(data.coders["name"]).fillna("")
    if len(summaries) == 0:
        summaries["stale"] = []
        return summaries
    columns, membership = rollup_columns(data, None)
    membership = membership.assign(cell_code=columns.index.to_numpy()[membership["column"]])
    segments = data.segments.assign(
        case_id=data.documents["case_id"].reindex(data.segments["document_id"]).to_numpy()
    )
    wanted = summaries[["case_id", "code_id"]].rename(columns={"code_id": "cell_code"})
    cells = (
        segments.merge(membership[["code_id", "cell_code"]], on="code_id")
        .astype({"case_id": "Int64"})
        .merge(wanted.astype({"case_id": "Int64"}), on=["case_id", "cell_code"])
    )
    current = {
        (int(case_id), int(code_id)): evidence_fingerprint(
            zip(group["guid"], group["document_id"], group["start"], group["end"], strict=True)
        )
        for (case_id, code_id), group in cells.groupby(["case_id", "cell_code"])
    }
    empty = evidence_fingerprint(())
    summaries["stale"] = [
        stored != current.get((int(case_id), int(code_id)), empty)
        for case_id, code_id, stored in zip(
            summaries["case_id"], summaries["code_id"], summaries["evidence_hash"], strict=True
        )
    ]
    return summaries


def _turn_details(
    data: SynthesisData, frame: pd.DataFrame
) -> tuple[list[str], list[str], list[int]]:
    """Speaker, timestamp and number (1 = the document's first turn) of the turn each row starts
    in ("", "" and 0 outside any turn)."""
    import numpy as np

    turns = data.turns
    if len(turns) == 0:
        return [""] * len(frame), [""] * len(frame), [0] * len(frame)
    gstart, _ = data.global_spans(frame)
    turn_gstart, turn_gend = data.global_spans(turns)
    at = np.maximum(np.searchsorted(turn_gstart, gstart, side="right") - 1, 0)
    inside = (turn_gstart[at] <= gstart) & (gstart < turn_gend[at])
    speakers = np.where(inside, turns["speaker"].to_numpy(object)[at], "")
    stamps = np.where(inside, turns["timestamp"].fillna("").to_numpy(object)[at], "")
    # Turns are sorted by document, so a turn's number is its distance from its document's first.
    doc_ids = turns["document_id"].to_numpy()
    first_of_doc = np.searchsorted(doc_ids, doc_ids, side="left")
    numbers = np.where(inside, (np.arange(len(turns)) - first_of_doc + 1)[at], 0)
    return list(speakers), list(stamps), numbers.tolist()


def evidence_table(data: SynthesisData, filters: SegmentFilter | None = None) -> pd.DataFrame:
    """Every segment in view with case, document, speaker, timestamp (and turn number), code
    path, coder, origin, position and trimmed quote, sorted by case, code tree order, document
    and start, so a code's whole subtree within one case is a contiguous run of rows. Also
    carries ids and tree order."""

    filters = filters or SegmentFilter()
    docs = filtered_documents(data, filters)
    segments = filtered_segments(data, filters)
    case_ids = docs["case_id"].reindex(segments["document_id"])
    case_order = {int(c): n for n, c in enumerate(data.cases.index)}
    frame = segments.assign(
        case_id=case_ids.to_numpy(),
        # Documents without a case sort last, after every case.
        case_rank=case_ids.map(case_order).fillna(len(case_order)).to_numpy("int64"),
        code_order=data.codes["order"].reindex(segments["code_id"]).to_numpy(),
    )
    frame = frame.sort_values(
        ["case_rank", "code_order", "document_id", "start", "end"], kind="stable"
    ).reset_index(drop=True)
    frame["speaker"], frame["timestamp"], frame["turn"] = _turn_details(data, frame)
    frame["case"] = frame["case_id"].map(data.cases["name"]).fillna(NO_CASE)
    frame["document"] = frame["document_id"].map(data.documents["name"])
    frame["code"] = frame["code_id"].map(data.codes["path"])
    frame["coder"] = frame["coder_id"].map(data.coders["name"]).fillna("")
    texts = data.texts
    frame["quote"] = [
        trim_quote(texts[d][s:e])
        for d, s, e in zip(frame["document_id"], frame["start"], frame["end"], strict=True)
    ]
    return frame


@dataclass
class FrameworkCell:
    """One case x code cell: its evidence rows (in the evidence table) and summary.

    ``case_id`` is None for the "(no case)" row of documents without a case."""

    case_id: int | None
    code_id: int
    first_row: int  # index of the first evidence row; equal to stop when there is none
    stop_row: int
    summary: str = ""
    author: str = ""
    modified: str = ""
    stale: bool = False
    quotes: list[str] = field(default_factory=list)

    @property
    def segments(self) -> int:
        return self.stop_row - self.first_row


@dataclass
class FrameworkMatrix:
    """Cells for every row x column code (row by row), the evidence table they point into, the
    columns, and the row labels (case names, then "(no case)" when documents without one are in
    view: the Matrix's rows)."""

    cells: list[FrameworkCell]
    evidence: pd.DataFrame
    columns: pd.DataFrame
    labels: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[str, list[FrameworkCell]]]:
        """Each row's label with its cells, one per column."""
        width = len(self.columns)
        for n, label in enumerate(self.labels):
            yield label, self.cells[n * width : (n + 1) * width]


def framework_matrix(
    data: SynthesisData,
    *,
    depth: int | None = 1,
    filters: SegmentFilter | None = None,
    top_quotes: int = 3,
    evidence: pd.DataFrame | None = None,
) -> FrameworkMatrix:
    """Build the framework matrix for cases x codes down to ``depth`` (subtrees roll up)."""
    import numpy as np

    evidence = evidence_table(data, filters) if evidence is None else evidence
    columns, _ = rollup_columns(data, depth)
    summaries = summary_status(data).set_index(["case_id", "code_id"])
    rank_col = evidence["case_rank"].to_numpy()
    order_col = evidence["code_order"].to_numpy()
    quotes = evidence["quote"].to_numpy(object)
    filters = filters or SegmentFilter()
    shown = set(filtered_cases(data, filters).index)
    # Rows: the cases in view in name order (their rank in the evidence), then "(no case)".
    rows: list[tuple[int, int | None, str]] = [
        (rank, int(case_id), str(name))
        for rank, (case_id, name) in enumerate(data.cases["name"].items())
        if case_id in shown
    ]
    if filtered_documents(data, filters)["case_id"].isna().any():
        rows.append((len(data.cases), None, NO_CASE))
    cells = []
    for rank, case_id, _ in rows:
        base = int(np.searchsorted(rank_col, rank, side="left"))
        orders = order_col[base : int(np.searchsorted(rank_col, rank, side="right"))]
        for code_id, first, last in zip(
            columns.index, columns["order"], columns["last"], strict=True
        ):
            start = base + int(np.searchsorted(orders, first, side="left"))
            stop = base + int(np.searchsorted(orders, last, side="right"))
            cell = FrameworkCell(
                case_id,
                int(code_id),
                start,
                stop,
                quotes=list(quotes[start : min(stop, start + top_quotes)]),
            )
            key = (case_id, code_id)
            if case_id is not None and key in summaries.index:
                row = summaries.loc[key]
                cell.summary, cell.author = str(row["text"]), str(row["author"])
                cell.modified, cell.stale = str(row["modified"]), bool(row["stale"])
            cells.append(cell)
    return FrameworkMatrix(cells, evidence, columns, [label for _, _, label in rows])
