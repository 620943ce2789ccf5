"""What a coding report holds, as plain data: the codebook, and per section code and case the
summary, the counts and the quotes with their attribution.

Sections partition the evidence: every segment belongs to the nearest of its code and that
code's ancestors that is a section, so a quote appears once per report, never again under a
parent theme. By default the sections are the codes down to ``depth``; the codes deeper than that
roll up into their ancestor at ``depth``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from collabcoder import __version__
from collabcoder.core.errors import InvalidValue, NotFound
from collabcoder.synthesis.filters import SegmentFilter, filtered_cases, filtered_documents
from collabcoder.synthesis.frames import NO_CASE
from collabcoder.synthesis.framework import evidence_table, summary_status
from collabcoder.synthesis.layout import check_depth
from collabcoder.synthesis.tables import codebook_version

if TYPE_CHECKING:
    import pandas as pd

    from collabcoder.synthesis.frames import SynthesisData

ORGANISED_BY = ("code", "case")


@dataclass(frozen=True)
class ReportRequest:
    """What to report: sections by code (cases within) or by case (codes within), the section
    codes (``codes`` as paths, else every code down to ``depth``), the cases (names, else all in
    view), the segment filters (coders among them) and how many quotes each cell shows (None:
    all of them)."""

    by: str = "code"
    depth: int | None = 1
    codes: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    filters: SegmentFilter = field(default_factory=SegmentFilter)
    quotes_per_cell: int | None = 5
    generated_by: str = ""

    def __post_init__(self) -> None:
        if self.by not in ORGANISED_BY:
            raise InvalidValue(f"A report is organised by code or by case, not {self.by!r}.")
        if self.quotes_per_cell is not None and self.quotes_per_cell < 0:
            raise InvalidValue(f"Quotes per cell must be 0 or more, not {self.quotes_per_cell}.")
        check_depth(self.depth)


@dataclass(frozen=True)
class Quote:
    """One coded segment as the reader sees it, with where it came from."""

    text: str
    document: str
    speaker: str
    turn: int  # 1 = the document's first turn; 0 outside any turn
    timestamp: str
    coder: str
    code: str  # the path of the code applied (a section's sub-code, or the section itself)

    def source(self, section_path: str = "") -> str:
        """The attribution line: speaker, document, turn and time, coder (and the sub-code)."""
        where = [self.document]
        if self.turn:
            where.append(f"turn {self.turn}" + (f" ({self.timestamp})" if self.timestamp else ""))
        elif self.timestamp:
            where.append(self.timestamp)
        parts = [self.speaker] if self.speaker else []
        parts.append(", ".join(where))
        parts.append(f"coded by {self.coder}" if self.coder else "coder unknown")
        if self.code != section_path:
            # A sub-code reads relative to its section ("as Trust", not "as Drivers/Trust").
            parts.append("as " + self.code.removeprefix(section_path + "/"))
        return " · ".join(parts)


@dataclass
class Cell:
    """One case x section code: counts, the analyst's summary and the quotes shown."""

    row: int  # index into ReportContent.cases
    code_id: int
    segments: int = 0
    documents: int = 0
    coders: int = 0
    summary: str = ""
    author: str = ""
    modified: str = ""
    stale: bool = False
    quotes: list[Quote] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        """Segments of the cell not quoted (beyond the quote limit)."""
        return self.segments - len(self.quotes)


@dataclass(frozen=True)
class CodeEntry:
    """A codebook entry of the report."""

    code_id: int
    path: str
    name: str
    depth: int
    colour: str
    definition: str
    inclusion: str
    exclusion: str
    example: str
    keywords: str
    segments: int  # in view, the code itself (not its sub-codes)
    section: bool  # a section of the findings


@dataclass(frozen=True)
class CaseEntry:
    """A row of the report: a case (id and attribute values) or the "(no case)" documents."""

    case_id: int | None
    name: str
    description: str
    attributes: tuple[tuple[str, str], ...]


@dataclass
class ReportContent:
    """Everything a report writer needs, in reading order."""

    title: str
    request: ReportRequest
    facts: list[tuple[str, str]]
    codebook: list[CodeEntry]
    cases: list[CaseEntry]
    cells: dict[tuple[int, int], Cell]  # (case row, section code id) -> cell with content

    @property
    def sections(self) -> list[CodeEntry]:
        return [entry for entry in self.codebook if entry.section]

    def cells_of_code(self, code_id: int) -> Iterator[tuple[CaseEntry, Cell]]:
        """The cells of one section code with content, in case order."""
        for row, case in enumerate(self.cases):
            cell = self.cells.get((row, code_id))
            if cell is not None:
                yield case, cell

    def cells_of_case(self, row: int) -> Iterator[tuple[CodeEntry, Cell]]:
        """The cells of one case with content, in code tree order."""
        for entry in self.sections:
            cell = self.cells.get((row, entry.code_id))
            if cell is not None:
                yield entry, cell


def _section_codes(data: SynthesisData, request: ReportRequest) -> pd.Series:
    """Each code's section: the nearest of itself and its ancestors that is a section (codes
    under no section are left out)."""
    import pandas as pd

    codes = data.codes
    if request.codes:
        by_path = {str(p): int(i) for i, p in codes["path"].items()}
        missing = [p for p in request.codes if p not in by_path]
        if missing:
            raise NotFound(f"No code with the path {', '.join(map(repr, missing))}.")
        chosen = {by_path[p] for p in request.codes}
    else:
        shown = codes if request.depth is None else codes[codes["depth"] <= request.depth]
        chosen = {int(i) for i in shown.index}
    section: dict[int, int] = {}
    # Tree order visits parents before children, so a parent's section is known first.
    for code_id, parent in zip(codes.index, codes["parent_id"], strict=True):
        code_id = int(code_id)
        if code_id in chosen:
            section[code_id] = code_id
        elif not pd.isna(parent) and int(parent) in section:
            section[code_id] = section[int(parent)]
    return pd.Series(section, dtype="int64")


def _case_entries(data: SynthesisData, request: ReportRequest) -> list[CaseEntry]:
    cases = filtered_cases(data, request.filters)
    with_no_case = bool(filtered_documents(data, request.filters)["case_id"].isna().any())
    if request.cases:
        known = set(cases["name"]) | ({NO_CASE} if with_no_case else set())
        missing = [name for name in request.cases if name not in known]
        if missing:
            raise NotFound(f"No case named {', '.join(map(repr, missing))} in view.")
        cases = cases[cases["name"].isin(request.cases)]
        with_no_case = with_no_case and NO_CASE in request.cases
    values = {str(name): data.case_attribute(str(name)) for name in data.attributes["name"]}
    entries = [
        CaseEntry(
            int(case_id),
            str(name),
            str(description or ""),
            tuple(
                (attribute, str(series.get(case_id, ""))) for attribute, series in values.items()
            ),
        )
        for case_id, name, description in zip(
            cases.index, cases["name"], cases["description"], strict=True
        )
    ]
    if with_no_case:
        entries.append(CaseEntry(None, NO_CASE, "Documents that belong to no case.", ()))
    return entries


def _quotes(rows: pd.DataFrame) -> list[Quote]:
    return [
        Quote(str(q), str(d), str(s), int(t), str(ts), str(c), str(code))
        for q, d, s, t, ts, c, code in zip(
            rows["quote"],
            rows["document"],
            rows["speaker"],
            rows["turn"],
            rows["timestamp"],
            rows["coder"],
            rows["code"],
            strict=True,
        )
    ]


def _cells(
    data: SynthesisData, request: ReportRequest, cases: list[CaseEntry], section: pd.Series
) -> dict[tuple[int, int], Cell]:
    # Documents without a case carry the key -1 (a case id is never negative).
    row_of_case = {
        -1 if entry.case_id is None else entry.case_id: n for n, entry in enumerate(cases)
    }
    evidence = evidence_table(data, request.filters)
    case_key = evidence["case_id"].astype("float64").fillna(-1).astype("int64")
    evidence = evidence.assign(
        row=case_key.map(row_of_case), section=evidence["code_id"].map(section)
    ).dropna(subset=["row", "section"])
    evidence = evidence.astype({"row": "int64", "section": "int64"})
    grouped = evidence.groupby(["row", "section"], sort=False)
    counts = grouped.agg(
        segments=("id", "size"),
        documents=("document_id", "nunique"),
        coders=("coder_id", "nunique"),
    )
    cells = {
        (int(row), int(code_id)): Cell(int(row), int(code_id), int(n), int(docs), int(coders))
        for (row, code_id), n, docs, coders in zip(
            counts.index, counts["segments"], counts["documents"], counts["coders"], strict=True
        )
    }
    limit = request.quotes_per_cell
    if limit != 0:
        shown = evidence if limit is None else grouped.head(limit)
        for (row, code_id), rows in shown.groupby(["row", "section"], sort=False):
            cells[(int(row), int(code_id))].quotes = _quotes(rows)
    _add_summaries(data, cells, row_of_case, set(section.unique()))
    return cells


def _add_summaries(
    data: SynthesisData,
    cells: dict[tuple[int, int], Cell],
    row_of_case: dict[int, int],
    sections: set[int],
) -> None:
    """Each section cell's summary, flagged when its evidence changed since it was written."""
    summaries = summary_status(data)
    for case_id, code_id, text, author, modified, stale in zip(
        summaries["case_id"],
        summaries["code_id"],
        summaries["text"],
        summaries["author"],
        summaries["modified"],
        summaries["stale"],
        strict=True,
    ):
        row = row_of_case.get(int(case_id))
        if row is None or int(code_id) not in sections or not str(text).strip():
            continue
        cell = cells.setdefault((row, int(code_id)), Cell(row, int(code_id)))
        cell.summary, cell.author = str(text), str(author)
        cell.modified, cell.stale = str(modified), bool(stale)


def _codebook(data: SynthesisData, request: ReportRequest, section: pd.Series) -> list[CodeEntry]:
    from collabcoder.synthesis.filters import filtered_segments

    codes = data.codes.loc[section.index]
    counts = filtered_segments(data, request.filters)["code_id"].value_counts()
    sections = set(section.unique())
    return [
        CodeEntry(
            int(code_id),
            str(row.path),
            str(row.name),
            int(row.depth),
            str(row.colour or ""),
            str(row.definition or ""),
            str(row.inclusion or ""),
            str(row.exclusion or ""),
            str(row.example or ""),
            ", ".join(row.keywords or ()),
            int(counts.get(code_id, 0)),
            int(code_id) in sections,
        )
        for code_id, row in zip(codes.index, codes.itertuples(index=False), strict=True)
    ]


def report_content(data: SynthesisData, request: ReportRequest | None = None) -> ReportContent:
    """Collect the report for ``request`` from a project snapshot."""
    request = request or ReportRequest()
    section = _section_codes(data, request)
    cases = _case_entries(data, request)
    cells = _cells(data, request, cases, section)
    limit = request.quotes_per_cell
    now = datetime.now(UTC)
    facts = [
        ("Project", data.project),
        ("Generated", f"{now.day} {now:%B %Y, %H:%M} UTC"),
        ("Generated by", request.generated_by or "unknown"),
        ("Organised by", request.by),
        ("Quotes per cell", "all" if limit is None else str(limit)),
        ("Filters", request.filters.describe()),
        ("Codebook version", codebook_version(data)),
        ("Documents", str(len(filtered_documents(data, request.filters)))),
        ("Cases", str(sum(1 for c in cases if c.case_id is not None))),
        ("Coded segments in the report", str(sum(c.segments for c in cells.values()))),
        ("CollabCoder version", __version__),
    ]
    return ReportContent(
        data.project or "CollabCoder project", request, facts, _codebook(data, request, section),
        cases, cells,
    )  # fmt: skip
