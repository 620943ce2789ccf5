"""Import a REFI-QDA project (``.qdpx``, or a bare ``.qde`` with its ``sources`` folder).

Everything is read, checked and converted before the project is touched: the archive is opened
safely (:mod:`zipsafe`), the XML parsed without entity expansion (:mod:`safe_xml`), every
source's position model detected and every selection converted to canonical code points
(:mod:`positions`). Only then is the project written, in one undo group (:mod:`import_store`):
all or nothing. A new project is deleted again if that write fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from collabcoder.core.errors import FileTooLarge, InvalidValue, ProjectExists
from collabcoder.core.heap import no_collector_passes
from collabcoder.core.progress import CancelToken, Progress, Steps
from collabcoder.core.project import Project
from collabcoder.core.text import canonical_text
from collabcoder.io.refi.fidelity import FidelityReport
from collabcoder.io.refi.import_store import store
from collabcoder.io.refi.position_rules import AmbiguousPositions, AmbiguousSource, choose_model
from collabcoder.io.refi.positions import PositionModel, SourceText, parse_model
from collabcoder.io.refi.qde_model import PreparedSource, QdeProject, QdeSelection, QdeTextSource
from collabcoder.io.refi.qde_read import read_project
from collabcoder.io.refi.safe_xml import parse_xml_bytes
from collabcoder.io.refi.zipsafe import MAX_ENTRY_BYTES, QdpxArchive

SourceReader = Callable[[str], bytes | None]


IMPORT_STEPS = 2  # reading the file, writing to the project


@dataclass
class Prepared:
    qde: QdeProject
    sources: list[PreparedSource]
    ambiguous: list[AmbiguousSource] = field(default_factory=list)


def import_qdpx(
    path: str | Path,
    project_or_location: Project | str | Path,
    *,
    merge: bool = False,
    coder: str | None = None,
    positions: str | PositionModel | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> FidelityReport:
    """Import a ``.qdpx`` or ``.qde`` and return what was carried and what was not.

    With a location, a new project is created there (it must not exist yet) as ``coder``
    (default: the file's first user). With an open :class:`Project`, the file is added to it:
    ``merge=True`` matches codes, documents, cases, coders, attributes, segments and memos by
    GUID and adds only what is new; without ``merge`` the project must be empty.
    ``positions`` (a model or its name) says how the file counts positions, for a file whose
    origin and text leave it ambiguous: without it such a file raises AmbiguousPositions.
    Raises UnsafeFile, CorruptFile, UnsupportedFormat... naming the file; nothing is written then.
    ``cancel`` is checked before each source is read and before the project is written (one
    transaction): a cancelled import raises ``Cancelled`` and changes nothing.
    """
    tell = Steps(IMPORT_STEPS, f"Importing {Path(path).name}", progress, cancel)
    with no_collector_passes():
        return _import(path, project_or_location, merge, coder, positions, tell)


def _import(
    path: str | Path,
    project_or_location: Project | str | Path,
    merge: bool,
    coder: str | None,
    positions: str | PositionModel | None,
    tell: Steps,
) -> FidelityReport:
    report = FidelityReport("import", str(path))
    forced = parse_model(positions) if isinstance(positions, str) else positions
    tell("Reading the file")
    prepared = prepare(Path(path), report, forced, tell.check)
    tell("Writing to the project")

    if isinstance(project_or_location, Project):
        project = project_or_location
        if not merge:
            counts = project.counts()
            if counts.documents + counts.codes:
                raise InvalidValue(
                    f"{project.location}: the project already holds documents or codes; "
                    "import with merge to add this file to it"
                )
        store(project, prepared.qde, prepared.sources, report, merge=merge)
        return report
    location = project_or_location
    if not _is_url(location) and Path(location).exists():
        raise ProjectExists(f"{location}: a file of that name already exists")
    users = list(prepared.qde.users.values())
    name = coder or (users[0] if users else "REFI-QDA import")
    project = Project.create(location, coder=name, name=prepared.qde.name or None)
    try:
        store(project, prepared.qde, prepared.sources, report, merge=False)
    except BaseException:
        project.close()
        if not _is_url(location):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{location}{suffix}").unlink(missing_ok=True)
        raise
    project.close()
    return report


def _is_url(location: str | Path) -> bool:
    return "://" in str(location)


def prepare(
    path: Path,
    report: FidelityReport,
    forced: PositionModel | None = None,
    check: Callable[[], None] = lambda: None,
) -> Prepared:
    """Read and convert everything in the file; touches no project. ``check`` runs before each
    source (it raises to stop: a cancel).

    Raises AmbiguousPositions, listing every ambiguous source, unless ``forced`` is given.
    """
    if path.suffix.casefold() == ".qde":
        data = _read_bounded(path)
        qde = read_project(parse_xml_bytes(data, str(path)), str(path))
        prepared = _prepare_sources(qde, _folder_reader(path.parent), report, forced, check)
    else:
        with QdpxArchive(path) as archive:
            label = archive.label(archive.qde_name)
            qde = read_project(parse_xml_bytes(archive.read_qde(), label), label)
            prepared = _prepare_sources(qde, archive.source, report, forced, check)
    if prepared.ambiguous:
        raise AmbiguousPositions(str(path), prepared.ambiguous)
    return prepared


def _read_bounded(path: Path) -> bytes:
    if path.stat().st_size > MAX_ENTRY_BYTES:
        raise FileTooLarge(f"{path}: larger than {MAX_ENTRY_BYTES:,} bytes; refused")
    return path.read_bytes()


def _folder_reader(folder: Path) -> SourceReader:
    """Find source files next to a bare .qde: in ``sources/`` (any case) or the folder itself.

    Only files inside that folder are ever read: a ``.qde`` from elsewhere must not be able to
    pull, say, a private key into a project by naming its path.
    """
    base = folder.resolve()
    files: dict[str, Path] = {}
    for directory in [
        base,
        *(d for d in base.iterdir() if d.is_dir() and d.name.casefold() == "sources"),
    ]:
        for entry in directory.iterdir():
            if entry.is_file():
                files.setdefault(entry.name.casefold(), entry)

    def read(name: str) -> bytes | None:
        found = files.get(Path(name.replace("\\", "/")).name.casefold())
        if found is None or not found.resolve().is_relative_to(base):
            return None
        return _read_bounded(found)

    return read


def _decode(data: bytes, label: str, report: FidelityReport) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")  # keeps a BOM: positions may or may not count it
    except UnicodeDecodeError:
        report.warn(f"{label} is not valid UTF-8; undecodable bytes were replaced")
        return data.decode("utf-8", errors="replace")


def _text_file(path: str) -> tuple[str | None, str]:
    """The file name to look for, or None with the reason it is not read."""
    for scheme in ("internal://", "relative://"):
        if path.startswith(scheme):
            # relative:// points outside the archive; we look for the file only beside it.
            return Path(path[len(scheme) :].replace("\\", "/")).name, ""
    return None, f"its text is at {path!r}, outside the project; absolute paths are not read"


def _read_text(
    path: str, label: str, read: SourceReader, report: FidelityReport
) -> tuple[str | None, str]:
    """The decoded text of the file at ``path``, or None and why it was not read."""
    file_name, problem = _text_file(path)
    data = read(file_name) if file_name else None
    if data is None:
        return None, problem or f"its text {file_name} is absent from the archive or folder"
    return _decode(data, label, report), ""


def _prepare_sources(
    qde: QdeProject,
    read: SourceReader,
    report: FidelityReport,
    forced: PositionModel | None,
    check: Callable[[], None],
) -> Prepared:
    out = Prepared(qde, [])
    for source in qde.sources:
        check()
        raw = source.content
        if raw is None and source.plain_path:
            raw, problem = _read_text(source.plain_path, f"source {source.name!r}", read, report)
            if raw is None:
                report.warn(f"source {source.name!r}: {problem}; imported as an empty document")
        elif raw is None:
            report.warn(f"source {source.name!r} has no text; imported as an empty document")
        out.sources.append(_map_selections(source, raw, qde.origin, report, forced, out))
    _read_notes(qde, read, report)
    return out


def _read_notes(qde: QdeProject, read: SourceReader, report: FidelityReport) -> None:
    """Fill in the text of notes kept in files, as text sources are (a note is one)."""
    for note in qde.notes:
        if not note.plain_path:
            continue
        raw, problem = _read_text(note.plain_path, f"note {note.name!r}", read, report)
        if raw is None:
            report.drop("memo text", note.name or note.guid, f"{problem}; the memo is kept")
            continue
        body = canonical_text(raw)
        # As with PlainTextContent, a Description becomes the memo's first paragraph.
        note.text = f"{note.text}\n\n{body}" if note.text and body else note.text or body


def _map_selections(
    source: QdeTextSource,
    raw: str | None,
    origin: str,
    report: FidelityReport,
    forced: PositionModel | None,
    prepared: Prepared,
) -> PreparedSource:
    label = source.name if source.name not in report.position_models else source.guid
    if raw is None:
        for selection in source.selections:
            report.drop("selection", _where(source, selection), "the source's text is absent")
        report.position_models[label] = "no text"
        return PreparedSource(source, "")
    text = SourceText(raw)
    out = PreparedSource(source, text.canonical)
    choice = choose_model(text, source.selections, origin, forced)
    if choice.model is None:
        prepared.ambiguous.append(AmbiguousSource(source.name, choice.reason, choice.candidates))
        return out
    report.position_models[label] = f"{choice.model.describe()} ({choice.reason})"
    starts = text.to_canonical_many(choice.model, [s.start for s in source.selections])
    ends = text.to_canonical_many(choice.model, [s.end for s in source.selections])
    for selection, start, end in zip(source.selections, starts, ends, strict=True):
        if selection.whole:
            out.spans.append((selection, 0, len(text.canonical)))
        elif start is None or end is None or selection.end < selection.start:
            report.drop("selection", _where(source, selection), "it lies outside the text")
        elif start == end:
            report.drop("selection", _where(source, selection), "it selects no text")
        else:
            out.spans.append((selection, start, end))
    return out


def _where(source: QdeTextSource, selection: QdeSelection) -> str:
    return f"{source.name} {selection.start}-{selection.end}"
