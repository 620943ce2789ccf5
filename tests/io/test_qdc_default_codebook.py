"""The study's default codebook: valid REFI-QDA, complete, and faithful to the study brief."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import xmlschema

from collabcoder.core.codebook_spec import CodeSpec, walk_codebook
from collabcoder.io.refi import load_default_codebook
from collabcoder.io.refi.default_codebook import DEFAULT_CODEBOOK_NAME

REPO = Path(__file__).resolve().parents[2]
REPO_COPY = REPO / "codebooks" / DEFAULT_CODEBOOK_NAME
PACKAGE_COPY = REPO / "collabcoder" / "io" / "refi" / DEFAULT_CODEBOOK_NAME

# Every theme issue 4 lists, as paths in the tree.
REQUIRED_THEMES = [
    ("Key drivers",),
    ("Models of collaboration", "Collaborative councils"),
    ("Models of collaboration", "System connectors"),
    ("Models of collaboration", "Agents of change"),
    ("Models of collaboration", "Collaborative markets"),
    ("Ingraining collaborative working", "Collaborative leadership"),
    ("Ingraining collaborative working", "Collaborative culture"),
    ("Ingraining collaborative working", "Collaborative infrastructure"),
    ("Ingraining collaborative working", "Collaborative communities"),
    ("Flipside of collaborative communities",),
    ("Challenges and barriers", "Multiple stakeholders"),
    ("Challenges and barriers", "Complex social problems"),
    ("Challenges and barriers", "Long time spans", "Impact takes time"),
    (
        "Measurement and learning",
        "Performance measurement vs management",
        "Performance measurement",
    ),
    ("Measurement and learning", "Performance measurement vs management", "Performance management"),
    ("Measurement and learning", "Data-driven"),
    ("Measurement and learning", "Proxy measures"),
    ("Measurement and learning", "Experimental approach"),
    ("Measurement and learning", "Learning and legacy"),
    ("Measurement and learning", "Trust between stakeholders"),
    ("Accountability", "Statutory duties"),
    ("Accountability", "Funding-driven reporting"),
    ("Accountability", "Openness and transparency"),
    ("Accountability", "Outcomes for service users"),
]

# The fourteen drivers on the brief's "Key drivers" slide.
BRIEF_DRIVERS = [
    "Systemic working",
    "Proving the unique value of civil society",
    "Access to a wider pool of community assets",
    "Amplifying resources directed at problems",
    "Engaging citizens as partners in service",
    "Sharing financial and delivery responsibility",
    "Collaboration rather than competition",
    "New models of partnership with civil society",
    "Focus on outcomes",
    "Sharing knowhow and resources",
    "Evidence-led",
    "Better place to work",
    "Intrinsic values",
    "Trust and empowerment",
]


@pytest.fixture(scope="module")
def codebook() -> list[CodeSpec]:
    return load_default_codebook()


def _all(codebook: list[CodeSpec]) -> list[tuple[tuple[str, ...], CodeSpec]]:
    return list(walk_codebook(codebook))


def test_default_codebook_validates_against_the_schema(shared_data: Path) -> None:
    """The shipped .qdc is valid against the official REFI-QDA Codebook.xsd."""
    schema = xmlschema.XMLSchema(str(shared_data / "refi" / "Codebook.xsd"))
    schema.validate(str(PACKAGE_COPY))


def test_repository_and_package_copies_are_identical() -> None:
    """codebooks/ (for people and other tools) and the package copy (for the app) never drift."""
    assert REPO_COPY.read_bytes() == PACKAGE_COPY.read_bytes()


def test_every_theme_of_the_issue_is_present(codebook: list[CodeSpec]) -> None:
    """Each theme listed in issue 4 appears at its place in the hierarchy."""
    paths = {path for path, _ in _all(codebook)}
    missing = [path for path in REQUIRED_THEMES if path not in paths]
    assert missing == []


def test_every_driver_of_the_brief_is_a_code(codebook: list[CodeSpec]) -> None:
    """All fourteen key drivers from the brief are children of 'Key drivers', in its order."""
    drivers = next(code for code in codebook if code.name == "Key drivers")
    assert [child.name for child in drivers.children] == BRIEF_DRIVERS


def test_ingraining_pillars_carry_features_and_strategies(codebook: list[CodeSpec]) -> None:
    """Leadership, culture, infrastructure and communities each have key features and strategies."""
    ingraining = next(code for code in codebook if code.name == "Ingraining collaborative working")
    assert len(ingraining.children) == 4
    for pillar in ingraining.children:
        definitions = [child.definition for child in pillar.children]
        assert any(d.startswith("A key feature of") for d in definitions), pillar.name
        assert any(" strategy: " in d for d in definitions), pillar.name


def test_every_code_is_fully_described(codebook: list[CodeSpec]) -> None:
    """Each code has a GUID, a one-sentence definition, criteria, an example and 3+ keywords."""
    for path, code in _all(codebook):
        where = "/".join(path)
        assert code.guid and code.colour, where
        assert code.definition.endswith(".") and code.definition.count(". ") == 0, where
        assert code.inclusion and code.exclusion and code.example, where
        assert len(code.keywords) >= 3 and len(set(code.keywords)) == len(code.keywords), where


def test_colours_are_distinct_and_guids_unique(codebook: list[CodeSpec]) -> None:
    """No two codes share a colour or a GUID."""
    codes = [code for _, code in _all(codebook)]
    assert len({code.colour for code in codes}) == len(codes)
    assert len({code.guid for code in codes}) == len(codes)


def test_exclusions_point_at_codes_that_exist(codebook: list[CodeSpec]) -> None:
    """Every code named in parentheses in an exclusion criterion is a real code of the book."""
    names = {code.name for _, code in _all(codebook)}
    for path, code in _all(codebook):
        for group in re.findall(r"\(([^()]*)\)", code.exclusion):
            for reference in group.split("; "):
                assert reference in names, ("/".join(path), reference)


def _normalise(text: str) -> str:
    text = re.sub(r"[‘’“”\"]", "'", text).replace("–", "-")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1-\2", text)  # words hyphenated across slide lines
    return " ".join(text.split())


def test_quotations_from_the_brief_are_verbatim(
    codebook: list[CodeSpec], shared_data: Path
) -> None:
    """Every quotation in an example that cites the study brief occurs in the brief itself."""
    brief_file = next((shared_data.parent / "seed").glob("*.txt"), None)
    if brief_file is None:
        pytest.skip("study brief not present")
    brief = _normalise(brief_file.read_text(encoding="utf-8"))
    checked = 0
    for path, code in _all(codebook):
        if "brief" not in code.example.lower() and "Fiona Johnstone" not in code.example:
            continue
        for quote in re.findall(r"“((?:[^“”]|“[^“”]*”)*)”", code.example):
            assert _normalise(quote) in brief, ("/".join(path), quote)
            checked += 1
    assert checked > 60
