"""Build the bundled sample project from its folder (cases, attributes, documents, coding).

The folder holds plain files a person can read and edit: ``attributes.csv`` (name, kind,
choices separated by ``;``), ``cases.csv`` (one row per case, a column per attribute),
``documents/`` (imported through the normal importer; front matter, or a file name of the form
"Case - title", names each case) and
``coding.csv`` (document, code path, the exact quote, coder) for a little illustrative coding.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from collabcoder.core.errors import InvalidValue
from collabcoder.core.project import Project
from collabcoder.core.segments import NewSegment
from collabcoder.io.batch import import_files
from collabcoder.io.refi.default_codebook import load_default_codebook

SAMPLE_CODER = "Sample builder"


def default_sample_folder() -> Path:
    """The sample folder of a source checkout (the package sits beside it)."""
    return Path(__file__).resolve().parents[2] / "sample_projects" / "collaborative-working"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build_sample_project(folder: Path, target: Path, *, replace: bool = False) -> Path:
    """Build the sample project at ``target`` (written beside it first, then moved into place)."""
    if target.exists() and not replace:
        raise InvalidValue(f"{target}: already exists (use --replace to rebuild it)")
    handle, temp_name = tempfile.mkstemp(suffix=".ccproj", dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    temp.unlink()
    try:
        with Project.create(temp, coder=SAMPLE_CODER, codebook=load_default_codebook(),
                            name="Collaborative working (sample)") as project:  # fmt: skip
            _add_cases(project, folder)
            documents = sorted((folder / "documents").iterdir())
            # Front matter names the case of most files; "Case - title.txt" names the rest.
            result = import_files(project, documents, case_rule=r"^(?P<case>[^-]+?) - ")
            if result.failed:
                problems = "; ".join(f.reason for f in result.failed)
                raise InvalidValue(f"{folder}: sample documents failed to import: {problems}")
            _add_coding(project, folder / "coding.csv")
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        temp.replace(target)
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)
    return target


def _add_cases(project: Project, folder: Path) -> None:
    attributes = {
        row["name"]: project.attributes.add(
            row["name"], row["kind"], [c for c in row["choices"].split(";") if c]
        )
        for row in _rows(folder / "attributes.csv")
    }
    with project.undo_group("Add sample cases"):
        for row in _rows(folder / "cases.csv"):
            case = project.cases.add(row.pop("Case"))
            for name, value in row.items():
                if value:
                    project.attributes.set_value(case.id, attributes[name].id, value)


def _add_coding(project: Project, coding_file: Path) -> None:
    # coding.csv names each document by its file name (without extension), which stays fixed
    # when a title from the file's front matter or heading names the document.
    documents = {Path(d.source_name).stem: d.id for d in project.documents.list()}
    texts = project.documents.texts()
    segments = []
    for n, row in enumerate(_rows(coding_file), start=2):
        doc_id = documents.get(row["document"])
        start = texts[doc_id].find(row["quote"]) if doc_id else -1
        if doc_id is None or start < 0:
            raise InvalidValue(f"{coding_file}, line {n}: quote not found in {row['document']}")
        code = project.codes.by_path(row["code"])
        coder = project.coders.register(row["coder"])
        end = start + len(row["quote"])
        segments.append(NewSegment(doc_id, code.id, start, end, "manual", coder.id))
    project.segments.add_many(segments, label="Sample coding")
