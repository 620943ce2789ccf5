"""The codebook as prior knowledge for the learned suggester.

A code's name and keywords, its definition, inclusion criteria and example quotes say what the
code is about before anyone has coded with it. Each becomes a training text that is a positive of
its code and says nothing about the others (``complete=False``); ``prior=True`` keeps it out of
testing, calibration and thresholds, which must rest on the team's real coding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from collabcoder.nlp.learned import LabelledText
from collabcoder.nlp.suggestion import CodeLike


class CodeText(CodeLike, Protocol):
    """What the learned suggester's prior reads from a code: the lexical fields and an example."""

    @property
    def example(self) -> str: ...


def code_texts(code: CodeText) -> list[str]:
    """The texts a code's codebook entry gives: name with keywords, definition, inclusion
    criteria, and each line of its example."""
    head = ", ".join([code.name, *code.keywords])
    lines = [line.strip() for line in code.example.splitlines()]
    return [head, code.definition, code.inclusion, *lines]


def codebook_examples(texts: Mapping[int, Sequence[str]]) -> list[LabelledText]:
    """Prior training texts from each code's codebook texts (blank ones left out)."""
    return [
        LabelledText(text.strip(), frozenset({code}), complete=False, prior=True)
        for code, pieces in texts.items()
        for text in pieces
        if text.strip()
    ]


def project_codebook(codes: Iterable[CodeText]) -> list[LabelledText]:
    """Prior training texts from a project's codes."""
    return codebook_examples({code.id: code_texts(code) for code in codes})
