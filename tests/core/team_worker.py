"""One coder process of the concurrency test: codes segments and edits shared things at random."""

from __future__ import annotations

import random
import time
from typing import Any

from collabcoder.core.errors import Conflict
from collabcoder.core.project import Project


def code_and_edit(
    url: str, index: int, segments: int, seconds: float, together: Any = None, think: float = 0.0
) -> dict[str, Any]:
    """Add ``segments`` segments over about ``seconds`` while editing codes and summaries.

    ``together`` (a barrier) lines the coders up so that all work at once however slowly their
    processes start; every fifth step is an edit even when segments fall behind schedule (on a
    loaded machine they always do), and ``think`` is the most seconds a coder pauses between
    reading a version and saving an edit, as a person does, so edits overlap there too.
    """
    rng = random.Random(index)
    project = Project.open(url, coder=f"coder{index}")
    doc = project.documents.list()[0]
    text = project.documents.text(doc.id)
    # Segments start on a word: the store refuses a span of nothing but whitespace.
    word_starts = [i for i in range(len(text) - 20) if not text[i].isspace()]
    codes = [c.id for c in project.codes.list()]
    cases = [c.id for c in project.cases.list()]
    added: list[str] = []
    code_writes: list[tuple[int, int, str]] = []  # (code, version written, definition)
    summary_writes: list[tuple[int, int, int, str]] = []
    conflicts = 0
    if together is not None:
        together.wait()
    deadline = time.monotonic() + seconds
    steps = 0
    while len(added) < segments or time.monotonic() < deadline:
        steps += 1
        due = len(added) < segments * min(1.0, 1 - (deadline - time.monotonic()) / seconds)
        if len(added) < segments and steps % 5 and (due or rng.random() < 0.5):
            start = rng.choice(word_starts)
            seg = project.segments.add(doc.id, rng.choice(codes), start, start + rng.randint(1, 20))
            added.append(seg.guid)
            continue
        try:
            if rng.random() < 0.5:
                code_id = rng.choice(codes)
                seen = project.codes.get(code_id).version
                text = f"coder{index} v{seen + 1} {rng.random():.6f}"
                time.sleep(rng.uniform(0, think))
                project.codes.update(code_id, expected_version=seen, definition=text)
                code_writes.append((code_id, seen + 1, text))
            else:
                case_id, code_id = rng.choice(cases), rng.choice(codes[:2])
                current = project.summaries.get(case_id, code_id)
                seen = current.version if current else 0
                text = f"coder{index} v{seen + 1} {rng.random():.6f}"
                time.sleep(rng.uniform(0, think))
                project.summaries.set(case_id, code_id, text, "h", expected_version=seen)
                summary_writes.append((case_id, code_id, seen + 1, text))
        except Conflict:
            conflicts += 1
    project.close()
    return {
        "added": added,
        "code_writes": code_writes,
        "summary_writes": summary_writes,
        "conflicts": conflicts,
    }
