"""File > Import files: read files into documents on the worker thread, one step per file."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.errors import CollabCoderError
from collabcoder.core.project import Project
from collabcoder.io.formats import parse_file, supported_suffixes

from .worker import Progress


@dataclass
class ImportResult:
    imported: list[int] = field(default_factory=list)  # document ids
    problems: list[str] = field(default_factory=list)
    cancelled: bool = False


def file_filter() -> str:
    """The Open dialog's filter for every readable format."""
    patterns = " ".join(f"*{s}" for s in supported_suffixes())
    return f"Documents ({patterns});;All files (*)"


def import_files(
    project: Project, paths: Sequence[Path], progress: Progress, cancel: threading.Event
) -> ImportResult:
    """Import each file as one document; a bad file is reported and skipped, never half-added."""
    result = ImportResult()
    for done, path in enumerate(paths):
        if cancel.is_set():
            result.cancelled = True
            break
        progress(done, len(paths), f"Reading {path.name}")
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            if project.documents.by_sha256(sha) is not None:
                result.problems.append(f"{path.name}: already in the project")
                continue
            parsed = parse_file(path)
            case_name = parsed.meta.get("case", "").strip()
            case = project.cases.find(case_name) if case_name else None
            record = project.documents.add(
                NewDocument(
                    name=parsed.meta.get("title") or path.stem,
                    text=parsed.text,
                    kind=parsed.kind,
                    turns=[
                        NewTurn(t.speaker, t.start, t.end, t.timestamp, t.seconds)
                        for t in parsed.turns
                    ],
                    meta=parsed.meta,
                    case_id=case.id if case else None,
                    source_name=path.name,
                    sha256=sha,
                )
            )
            result.imported.append(record.id)
        except (CollabCoderError, OSError) as error:
            result.problems.append(str(error))
    progress(len(paths), len(paths), "Done")
    return result
