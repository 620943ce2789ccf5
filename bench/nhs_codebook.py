"""The NHS FFT framework codebook (``nhs-fft/framework3.qmd``) as per-code terms for the benchmark.

The Markdown has one ``### Name`` section per sub-category: a definition (some with bullets,
one per merged sub-topic), then ``Examples:`` and quoted example comments. The training CSV
(``v6framework_train.csv``) codes with an older, finer version of the framework, so a few of
its columns are parts of one codebook section (e.g. "Continuity of care" covers diagnosis,
referrals, staff continuity and care plans). :data:`SPLITS` maps those columns to the bullet
of the section that defines them; such columns get that bullet as definition and no examples
(an example of the whole section is not an example of each part). Columns the codebook does
not describe keep only their name, as a code in the app always has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_QMD = Path(__file__).resolve().parents[2] / "shared/data/nhs-fft/framework3.qmd"

# CSV column -> (codebook section, words that pick its bullets or sentences of the definition)
SPLITS = {
    "Diagnosis & triage": ("Continuity of care", ("triage",)),
    "Referals & continuity of care": ("Continuity of care", ("referrals",)),
    "Staff continuity": ("Continuity of care", ("staff continuity",)),
    "Care plans": ("Continuity of care", ("care plans",)),
    "Environment & Facilities": (
        "Environment, facilities & equipment",
        ("comfort", "atmosphere", "privacy", "decoration", "safety"),
    ),
    "Provision of medical equipment": (
        "Environment, facilities & equipment",
        ("medical equipment",),
    ),
    "Number & deployment of staff": ("Staffing levels & responsiveness", ("number of staff",)),
    "Staff responsiveness": ("Staffing levels & responsiveness", ("responding",)),
}

# Quoted words in a definition ("descriptions of staff as 'friendly', 'helpful'") are keywords.
_QUOTED_WORD = re.compile(r"['‘]([A-Za-z][A-Za-z &/-]{1,30})['’]")
# An example is a quoted comment in a comma-separated list; apostrophes inside words stay.
_EXAMPLE = re.compile(r"['‘](.+?)['’]\s*(?=,|$|\s['‘])")
_LABEL = re.compile(r"^\s*(Positive|Negative|Mixed|Positve|Negative/ wishlist)[^:]*:\s*")


@dataclass(frozen=True, slots=True)
class Section:
    """One sub-category of the codebook."""

    name: str
    definition: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...]


def parse(path: Path = DEFAULT_QMD) -> dict[str, Section]:
    """Every ``###`` section of the framework file, by name."""
    sections: dict[str, Section] = {}
    name = None
    lines: list[str] = []

    def close() -> None:
        if name is None:
            return
        text = "\n".join(lines)
        head, _, tail = text.partition("Examples:")
        definition = " ".join(head.split())
        keywords = tuple(dict.fromkeys(m.strip().lower() for m in _QUOTED_WORD.findall(head)))
        examples = []
        for line in tail.splitlines():
            line = _LABEL.sub("", line).strip()
            if line:
                examples += [e.strip() for e in _EXAMPLE.findall(line) if len(e.strip()) > 2]
        sections[name] = Section(name, definition, keywords, tuple(examples))

    def without_cross_references() -> None:
        # "see 'Timeliness of care'" names another section: not a keyword of this one.
        names = {n.lower() for n in sections}
        for key, section in sections.items():
            kept = tuple(k for k in section.keywords if k not in names and k != "thin")
            sections[key] = Section(section.name, section.definition, kept, section.examples)

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            close()
            name, lines = line[4:].strip(), []
        elif line.startswith(":::") or line.startswith("## "):
            close()
            name, lines = None, []
        elif name is not None:
            lines.append(line)
    close()
    without_cross_references()
    return sections


def _part(definition: str, words: tuple[str, ...]) -> str:
    """The bullets (or, without bullets, sentences) of ``definition`` naming one of ``words``."""
    pieces = re.split(r"\s-\s|(?<=\.)\s(?=[A-Z])", definition)
    # The opening sentence of a merged section names every part: it picks none of them.
    chosen = [p for p in pieces[1:] if any(w in p.lower() for w in words)]
    return " ".join(chosen) or definition


def column_sections(columns: list[str], path: Path = DEFAULT_QMD) -> dict[int, Section]:
    """The codebook's description of each CSV column (by column index) that it describes."""
    sections = parse(path)
    result = {}
    for index, column in enumerate(columns):
        if column in sections:
            result[index] = sections[column]
        elif column in SPLITS:
            section_name, words = SPLITS[column]
            whole = sections[section_name]
            definition = _part(whole.definition, words)
            keywords = tuple(k for k in whole.keywords if k in definition.lower())
            result[index] = Section(column, definition, keywords, ())
    return result
