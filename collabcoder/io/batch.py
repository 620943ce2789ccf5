"""Import many files, or one coded table, into a project: whole files or nothing.

Each file is parsed first (no database), then written as one undoable step in one transaction,
so a failure or a cancel between files leaves only whole files behind. A file whose SHA-256 is
already in the project is skipped with a note. A bad file is listed and the rest import; a
failure of the project itself (disk full, read-only, damaged) or Ctrl-C stops the batch, and the
result says which files went in and which did not. File names that are not valid UTF-8 are shown
and stored with U+FFFD in place of the bad bytes. A coded table is one file too: all its rows,
cases, attribute values, codes and segments arrive in one transaction, or none do.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collabcoder.core.documents import DOCUMENT_KINDS, NewDocument, NewTurn
from collabcoder.core.errors import (
    Cancelled,
    CollabCoderError,
    InvalidValue,
    NotFound,
    ProjectError,
    StorageFailed,
)
from collabcoder.core.progress import CancelToken, Progress
from collabcoder.core.search_headings import keep_headings
from collabcoder.io.formats import DEFAULT_MAX_BYTES, check_file, parse_bytes
from collabcoder.io.parsed import ParsedDocument
from collabcoder.io.tables import map_table, parse_table, read_table_bytes

if TYPE_CHECKING:
    from collabcoder.core.project import Project


@dataclass(frozen=True, slots=True)
class ImportedFile:
    path: str
    document_id: int
    name: str
    kind: str
    case: str | None
    turns: int
    words: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A file not imported: skipped (already there) or failed, with the reason in one line."""

    path: str
    reason: str


@dataclass(slots=True)
class BatchResult:
    imported: list[ImportedFile] = field(default_factory=list)
    skipped: list[FileProblem] = field(default_factory=list)
    failed: list[FileProblem] = field(default_factory=list)
    cancelled: bool = False
    # Why the batch stopped before its end (disk full, Ctrl-C...), and the files it never tried.
    stopped: str | None = None
    not_imported: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``--json`` output."""
        return {
            "imported": [asdict(item) for item in self.imported],
            "skipped": [asdict(item) for item in self.skipped],
            "failed": [asdict(item) for item in self.failed],
            "cancelled": self.cancelled,
            "stopped": self.stopped,
            "not_imported": self.not_imported,
        }


def import_files(
    project: Project,
    paths: Sequence[Path],
    *,
    kind: str | None = None,
    case: str | None = None,
    case_rule: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> BatchResult:
    """Import ``paths`` as documents, each in its own transaction; failures are listed, not raised.

    ``kind`` overrides the detected kind. The case is ``case`` if given, else the match of the
    regular expression ``case_rule`` in the file name (its ``case`` group, first group, or whole
    match), else a ``case`` entry in the file's metadata; it is created when missing.
    """
    if kind is not None and kind not in DOCUMENT_KINDS:
        raise InvalidValue(f"kind must be one of {', '.join(DOCUMENT_KINDS)}, not {kind!r}")
    batch = _Batch(
        project,
        kind,
        case,
        _compile_rule(case_rule),
        max_bytes,
        names={document.name for document in project.documents.list()},
        case_ids={record.name: record.id for record in project.cases.list()},
    )
    tell = progress or (lambda _done, _total, _name: None)
    tell(0, len(paths), "")
    # An idle connection held open for the batch: SQLite checkpoints the WAL (with fsync) when
    # its last connection closes, and the facade opens one per call, so without it every file
    # paid for a checkpoint. It runs no statement, so it holds no snapshot and no lock.
    result = batch.result
    with project.read():
        for done, path in enumerate(paths, start=1):
            if cancel is not None and cancel.is_set():
                result.cancelled = True
                result.not_imported = [readable_path(p) for p in paths[done - 1 :]]
                break
            try:
                batch.import_one(path)
            except (StorageFailed, ProjectError) as exc:  # the project, not the file: stop
                result.stopped = str(exc)
                result.not_imported = [readable_path(p) for p in paths[done - 1 :]]
                break
            except KeyboardInterrupt:
                result.cancelled = True
                result.stopped = "interrupted"
                result.not_imported = [readable_path(p) for p in paths[done - 1 :]]
                break
            except (CollabCoderError, OSError) as exc:
                result.failed.append(FileProblem(readable_path(path), _reason(path, exc)))
            tell(done, len(paths), readable_name(path.name))
    return result


def readable_name(name: str) -> str:
    """A file name as text: bytes that were not UTF-8 (kept by Python as lone surrogates, which
    no terminal, database or JSON encoder accepts) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def readable_path(path: Path) -> str:
    """``str(path)`` with :func:`readable_name`'s repair."""
    return readable_name(str(path))


@dataclass
class _Batch:
    """The settings and running state of one ``import_files`` call."""

    project: Project
    kind: str | None
    case: str | None
    rule: re.Pattern[str] | None
    max_bytes: int
    names: set[str]
    case_ids: dict[str, int]
    result: BatchResult = field(default_factory=BatchResult)

    def import_one(self, path: Path) -> None:
        """Import one file (or note it as already there); errors propagate to the caller."""
        # Readers only name the file in messages; give them the readable name.
        shown = path.with_name(readable_name(path.name))
        check_file(path, self.max_bytes)
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        existing = self.project.documents.by_sha256(sha)
        if existing is not None:
            note = f"{shown.name}: already in the project as {existing.name!r}"
            self.result.skipped.append(FileProblem(readable_path(path), note))
            return
        parsed = parse_bytes(shown, data)
        case_name = self.case or _rule_case(self.rule, shown) or parsed.meta.get("case") or None
        name = _unique(document_title(shown, parsed), self.names)
        if shown.name != path.name:
            parsed.warnings.append(
                f"{shown.name}: the file name is not valid UTF-8; imported as {name!r}"
            )
        record = _add_document(
            self.project, shown, parsed, name, self.kind, case_name, sha, self.case_ids
        )
        self.names.add(name)
        self.result.imported.append(
            ImportedFile(
                readable_path(path),
                record.id,
                record.name,
                record.kind,
                case_name,
                len(parsed.turns),
                record.word_count,
                tuple(parsed.warnings),
            )
        )


def _add_document(
    project: Project,
    path: Path,
    parsed: ParsedDocument,
    name: str,
    kind: str | None,
    case_name: str | None,
    sha: str,
    case_ids: dict[str, int],
) -> Any:
    """Add one parsed file (and its case when new) as one undoable step."""
    with project.undo_group(f"Import {name}"):
        case_id = None
        if case_name:
            case_id = case_ids.get(case_name) or project.cases.add(case_name).id
        record = project.documents.add(
            NewDocument(
                name=name,
                text=parsed.text,
                kind=kind or parsed.kind,
                turns=[
                    NewTurn(t.speaker, t.start, t.end, t.timestamp, t.seconds) for t in parsed.turns
                ],
                meta=parsed.meta,
                case_id=case_id,
                source_name=path.name,
                sha256=sha,
            )
        )
        keep_headings(project, record.guid, parsed.headings)  # in the import's undo step
    if case_name and case_id is not None:
        case_ids[case_name] = case_id  # only now: the case exists once the step has committed
    return record


def _compile_rule(case_rule: str | None) -> re.Pattern[str] | None:
    if not case_rule:
        return None
    try:
        return re.compile(case_rule)
    except re.error as exc:
        raise InvalidValue(f"case rule {case_rule!r} is not a regular expression ({exc})") from exc


def _rule_case(rule: re.Pattern[str] | None, path: Path) -> str | None:
    match = rule.search(path.stem) if rule else None
    if not match:
        return None
    if "case" in rule.groupindex:  # type: ignore[union-attr]  # rule is set when match is
        return match["case"].strip() or None
    return (match[1] if match.lastindex else match[0]).strip() or None


def _reason(path: Path, exc: BaseException) -> str:
    """One line naming the file; our errors already name it, OS errors need it added."""
    name = readable_name(path.name)
    if isinstance(exc, OSError):
        return f"{name}: {exc.strerror or exc}"
    message = readable_name(str(exc))
    return message if message.startswith(name) else f"{name}: {message}"


_HEADING = re.compile(r"#{1,6}[ \t]+(?P<title>[^\n]*?)[ \t]*#*[ \t]*$")
_TITLE_MAX = 120


def document_title(path: Path, parsed: ParsedDocument) -> str:
    """What to call an imported document: its front matter's or page's title, else the Markdown
    heading it opens with, else the file name without extension (kept as ``source_name`` anyway).
    """
    title = " ".join(str(parsed.meta.get("title") or "").split())
    if not title and path.suffix.lower() in (".md", ".markdown"):
        first = parsed.text.lstrip().split("\n", 1)[0]
        match = _HEADING.fullmatch(first)
        title = " ".join(match["title"].split()) if match else ""
    if not title:
        return path.stem
    return title if len(title) <= _TITLE_MAX else title[: _TITLE_MAX - 1].rstrip() + "…"


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    number = 2
    while f"{name} ({number})" in taken:
        number += 1
    return f"{name} ({number})"


@dataclass(slots=True)
class TableResult:
    """What one coded table brought in (or why it was skipped)."""

    path: str
    documents: int = 0
    cases: int = 0
    segments: int = 0
    attribute_values: int = 0
    codes_created: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``--json`` output."""
        return asdict(self)


def import_table(
    project: Project,
    path: Path,
    *,
    text_column: str | Sequence[str],
    id_column: str | None = None,
    attribute_columns: Sequence[str] = (),
    code_columns: Sequence[str] = (),
    codes_from: str | None = None,
    coder: str | None = None,
    kind: str = "document",
    sheet: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> TableResult:
    """Import a coded table as one step: a document per row, cases with attribute values, and
    a segment over each whole comment for each of its codes, coded by ``coder`` ("imported").

    Missing codes and attributes are created. Cancel raises Cancelled and leaves the project as
    it was; so does any bad cell (InvalidValue naming the row).
    """
    if kind not in DOCUMENT_KINDS:
        raise InvalidValue(f"kind must be one of {', '.join(DOCUMENT_KINDS)}, not {kind!r}")
    data = read_table_bytes(path, max_bytes)
    path = path.with_name(readable_name(path.name))  # names rows' documents and messages
    table = parse_table(path, data, sheet=sheet)
    sha = hashlib.sha256(data).hexdigest()
    result = TableResult(str(path))
    existing = project.documents.by_sha256(sha)
    if existing is not None:
        result.skipped = f"{path.name}: already imported (as {existing.name!r} and others)"
        return result
    mapped = map_table(
        table,
        text_column=text_column,
        id_column=id_column,
        attribute_columns=attribute_columns,
        code_columns=code_columns,
        codes_from=codes_from,
    )
    result.warnings = mapped.warnings
    coder_id = project.coders.register(coder).id if coder else project.coder.id
    tell = progress or (lambda _done, _total, _name: None)
    # Held open for the same reason as in import_files: no WAL checkpoint per facade call.
    with project.read(), project.undo_group(f"Import table {path.name}"):
        attributes = _ensure_attributes(project, mapped.attributes)
        code_ids = _ensure_codes(project, mapped.codes, result)
        case_ids = {record.name: record.id for record in project.cases.list()}
        have_values = set(project.attributes.values())
        values: list[dict[str, Any]] = []
        segments: list[dict[str, Any]] = []
        for done, row in enumerate(mapped.rows, start=1):
            if cancel is not None and cancel.is_set():
                raise Cancelled(f"{path.name}: import cancelled; nothing was imported")
            case_id = None
            if row.case:
                if row.case not in case_ids:
                    case_ids[row.case] = project.cases.add(row.case).id
                    result.cases += 1
                case_id = case_ids[row.case]
                values += _case_values(
                    path, row.row, case_id, row.attributes, attributes, have_values
                )
            record = project.documents.add(
                NewDocument(
                    name=row.name,
                    text=row.text,
                    kind=kind,
                    meta={"row": str(row.row)},
                    case_id=case_id,
                    source_name=path.name,
                    sha256=sha,
                )
            )
            segments += [
                {
                    "document_id": record.id,
                    "code_id": code_ids[code],
                    "coder_id": coder_id,
                    "start": 0,
                    "end": len(row.text),
                    "origin": "imported",
                }
                for code in dict.fromkeys(row.codes)
            ]
            tell(done, len(mapped.rows), row.name)
        _insert_rows(project, values, segments)
    result.documents = len(mapped.rows)
    result.segments = len(segments)
    result.attribute_values = len(values)
    return result


def _ensure_attributes(project: Project, names: Sequence[str]) -> dict[str, Any]:
    """Attribute records by column name; missing ones are added as text attributes."""
    known = {record.name.casefold(): record for record in project.attributes.list()}
    missing = {name.strip().casefold(): name for name in names if name.strip()}
    for key in known:
        missing.pop(key, None)
    for record in project.attributes.add_many(list(missing.values())):
        known[record.name.casefold()] = record
    return {name: known[name.strip().casefold()] for name in names}


def _ensure_codes(project: Project, names: Sequence[str], result: TableResult) -> dict[str, int]:
    """Code ids by name (or path); missing codes are added at the top of the tree."""
    ids = {}
    for name in names:
        try:
            ids[name] = project.codes.by_path(name).id
        except NotFound:
            ids[name] = project.codes.add(name).id
            result.codes_created.append(name)
    return ids


def _case_values(
    path: Path,
    row: int,
    case_id: int,
    cells: dict[str, str],
    attributes: dict[str, Any],
    have: set[tuple[int, int]],
) -> list[dict[str, Any]]:
    """New attribute values of one case (the first row naming a case sets its values)."""
    from collabcoder.core.cases import canonical_value

    rows = []
    for column, raw in cells.items():
        attribute = attributes[column]
        if not raw.strip() or (case_id, attribute.id) in have:
            continue
        try:
            value = canonical_value(attribute, raw)
        except InvalidValue as exc:
            raise InvalidValue(f"{path.name}: row {row}: {exc}") from exc
        have.add((case_id, attribute.id))
        rows.append({"case_id": case_id, "attribute_id": attribute.id, "value": value})
    return rows


def _insert_rows(
    project: Project, values: list[dict[str, Any]], segments: list[dict[str, Any]]
) -> None:
    """Bulk-insert attribute values and segments into the open import step (core does it)."""
    from collabcoder.core.bundle_merge import insert_imported_rows

    insert_imported_rows(project, values, segments)
