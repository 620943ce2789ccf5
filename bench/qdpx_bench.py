"""Benchmark REFI-QDA project exchange: 200 documents, 40,000 segments; and 100,000 codes.

Targets on the reference machine: export under 2 s, import under 4 s at 40,000 segments
(QualCoder: 36.6 s and 36.9 s for the same size); a file of 100,100 codes (three levels, as a
large codebook from another tool) imports in under 10 s (682 s when each code took a query).
Prints the median of several runs of each.

    .venv/bin/python bench/qdpx_bench.py [--runs 5] [--code-runs 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

from lxml import etree

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.core.segments import NewSegment
from collabcoder.io.refi.project_export import export_qdpx
from collabcoder.io.refi.project_import import import_qdpx

DOCUMENTS = 200
SEGMENTS = 40_000
WORDS = [
    "we",
    "trusted",
    "each",
    "other",
    "😀",
    "from",
    "the",
    "start",
    "funding",
    "was",
    "the",
    "barrier",
    "partnership",
]


def build(location: Path) -> None:
    rng = random.Random(8)
    with Project.create(location, coder="Bench") as project:
        project.coder  # noqa: B018 - registers the coder before the group
        with project.undo_group("Build benchmark project"):
            specs = [CodeSpec(f"Theme {i}", children=[CodeSpec(f"Sub {i}.{j}") for j in range(4)])
                     for i in range(10)]  # fmt: skip
            project.codes.import_specs(specs)
            code_ids = [c.id for c in project.codes.list()]
            docs = []
            for n in range(DOCUMENTS):
                text = " ".join(rng.choice(WORDS) for _ in range(1500))
                docs.append((project.documents.add(NewDocument(f"doc {n}", text)).id, len(text)))
        items = []
        for k in range(SEGMENTS):
            doc_id, length = docs[k % DOCUMENTS]
            start = rng.randrange(0, length - 200)
            items.append(
                NewSegment(doc_id, rng.choice(code_ids), start, start + rng.randint(5, 200))
            )
        project.segments.add_many(items)


def write_many_codes(path: Path) -> int:
    """A .qdpx with 100 x 10 x 100 codes and one coded document; returns the number of codes."""
    ns = "urn:QDA-XML:project:1.0"
    root = etree.Element(f"{{{ns}}}Project", nsmap={None: ns}, name="codes", origin="Bench 1")
    codes = etree.SubElement(etree.SubElement(root, f"{{{ns}}}CodeBook"), f"{{{ns}}}Codes")
    count, first = 0, ""
    for i in range(100):
        top = etree.SubElement(codes, f"{{{ns}}}Code", guid=str(uuid.uuid4()), name=f"Theme {i}")
        count += 1
        for j in range(10):
            mid = etree.SubElement(top, f"{{{ns}}}Code", guid=str(uuid.uuid4()), name=f"T{i}.{j}")
            count += 1
            for k in range(99):
                guid = str(uuid.uuid4())
                first = first or guid
                etree.SubElement(mid, f"{{{ns}}}Code", guid=guid, name=f"T{i}.{j}.{k}")
                count += 1
    sources = etree.SubElement(root, f"{{{ns}}}Sources")
    source = etree.SubElement(
        sources, f"{{{ns}}}TextSource", guid=str(uuid.uuid4()), name="talk",
        plainTextPath="internal://talk.txt",
    )  # fmt: skip
    selection = etree.SubElement(
        source, f"{{{ns}}}PlainTextSelection", guid=str(uuid.uuid4()), startPosition="0",
        endPosition="5",
    )  # fmt: skip
    coding = etree.SubElement(selection, f"{{{ns}}}Coding", guid=str(uuid.uuid4()))
    etree.SubElement(coding, f"{{{ns}}}CodeRef", targetGUID=first)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "project.qde", etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        )
        archive.writestr("sources/talk.txt", "Trust grew slowly.\n")
    return count


class Timer:
    """Wall-clock and CPU seconds of each run; on a shared machine the CPU time is what the code
    costs, the wall time also what the neighbours take."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *_exc: object) -> None:
        self.wall.append(time.perf_counter() - self._wall)
        self.cpu.append(time.process_time() - self._cpu)

    def line(self, what: str, target: float) -> str:
        wall = self.wall
        return (
            f"{what}: median {statistics.median(wall):.2f} s over {len(wall)} runs "
            f"(min {min(wall):.2f}, max {max(wall):.2f}; CPU median "
            f"{statistics.median(self.cpu):.2f} s); target < {target:g} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code-runs", type=int, default=3)
    args = parser.parse_args()
    exports, imports, code_imports = Timer(), Timer(), Timer()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        build(base / "source.ccproj")
        with Project.open(base / "source.ccproj", coder="Bench") as project:
            for run in range(args.runs):
                with exports:
                    report = export_qdpx(project, base / f"out{run}.qdpx")
        for run in range(args.runs):
            with imports:
                back = import_qdpx(base / "out0.qdpx", base / f"back{run}.ccproj", coder="Bench")
        size = (base / "out0.qdpx").stat().st_size
        n_codes = write_many_codes(base / "codes.qdpx")
        for run in range(args.code_runs):
            with code_imports:
                many = import_qdpx(base / "codes.qdpx", base / f"codes{run}.ccproj", coder="Bench")
    print(
        f"project: {report.carried['documents']} documents, {report.carried['segments']} segments"
    )
    print(f"qdpx size: {size / 1e6:.1f} MB")
    print(exports.line("export", 2))
    print(imports.line("import", 4) + f"; {back.carried['segments']} segments carried")
    print(
        code_imports.line(f"import of {n_codes:,} codes", 10)
        + f"; {many.carried['codes']:,} codes carried"
    )


if __name__ == "__main__":
    main()
