"""Which position model each tool writes, and when the text says a file is not what it claims.

The project's ``origin`` attribute names the tool. Each known tool has one fixed rule:

============================  ===========  ===============  ===============  ====================
Origin (``origin`` contains)  Positions    A CRLF counts    A leading BOM    Learned from
============================  ===========  ===============  ===============  ====================
CollabCoder                   code points  2 (we write LF)  not counted      our exporter: the
                                                            (we write none)  canonical text as is
NVivo ... Mac                 UTF-16 units 2 (Mac writes    not counted      shared/data README:
                                           LF)              (Mac writes      the Mac export
                                                            none)
NVivo (Windows)               UTF-16 units 2                not counted      the real NVivo 12.6
                                                                             Windows sample
ATLAS.ti                      code points  1                not counted      QualCoder's refi.py:
                                                                             ATLAS.ti counts CRLF
                                                                             as one character
MAXQDA                        code points  1                not counted      QualCoder's "MAXQDA
                                                                             line endings" export:
                                                                             CRLF file, LF positions
QualCoder                     code points  1                not counted      QualCoder's refi.py:
                                                                             utf-8-sig files,
                                                                             indices of its LF text
Taguette                      code points  2                not counted      Taguette's export.py
                                                                             writes codebooks only:
                                                                             the standard's reading
qc                            code points  1                counted          qc's refi_qda writer:
                                                                             lines read in text mode
============================  ===========  ===============  ===============  ====================

Evidence from the text only *confirms* a rule. A selection whose ``name`` is its text (QualCoder,
MAXQDA, ATLAS.ti cut it with "…") is compared with what each model selects; otherwise a selection
whose two ends fall between words counts for a model. Only selections that the candidate models
read differently say anything; they are tested in evenly spaced rounds of :data:`_DECISIVE`
(at most :data:`_SAMPLE` a source) until the verdict is plain (see :func:`_settled`), so a large
file costs what a small one does. The rule is used unless the quotes contradict it, or the word
edges contradict it decisively; with an unknown origin the evidence must be decisive itself (at
least :data:`MIN_SELECTIONS` telling selections and a margin of :data:`MIN_MARGIN`). Anything else
is ambiguous: the importer refuses and shows what each candidate would make of three selections.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from collabcoder.core.errors import ImportFailed
from collabcoder.io.refi.positions import PositionModel, SourceText
from collabcoder.io.refi.qde_model import QdeSelection

MIN_SELECTIONS = 20
MIN_MARGIN = 0.9
_SAMPLE = 200  # telling selections at most per source: evenly spaced ones decide as well as all
_DECISIVE = 40  # tested in evenly spaced rounds of this many, until one round settles it
_PREVIEW = 3
_SNIPPET = 80

_CP, _UTF16 = False, True
T = TypeVar("T")


@dataclass(frozen=True)
class OriginRule:
    tool: str
    words: tuple[str, ...]  # all must occur in the casefolded origin
    model: PositionModel


RULES = [
    OriginRule("CollabCoder", ("collabcoder",), PositionModel(_CP, True, False)),
    OriginRule("NVivo for Mac", ("nvivo", "mac"), PositionModel(_UTF16, True, False)),
    OriginRule("NVivo for Windows", ("nvivo",), PositionModel(_UTF16, True, False)),
    OriginRule("ATLAS.ti", ("atlas",), PositionModel(_CP, False, False)),
    OriginRule("MAXQDA", ("maxqda",), PositionModel(_CP, False, False)),
    OriginRule("QualCoder", ("qualcoder",), PositionModel(_CP, False, False)),
    OriginRule("Taguette", ("taguette",), PositionModel(_CP, True, False)),
    OriginRule("qc", ("qc",), PositionModel(_CP, False, True)),
]


def rule_for_origin(origin: str) -> OriginRule | None:
    """The rule of the tool named in ``origin`` (``qc`` only as a word of its own)."""
    folded = origin.casefold()
    words = folded.replace("(", " ").split()
    for rule in RULES:
        if rule.tool == "qc":
            if words[:1] == ["qc"]:
                return rule
        elif all(w in folded for w in rule.words):
            return rule
    return None


@dataclass(frozen=True)
class Sample:
    """What one candidate model makes of one selection."""

    positions: str  # "start-end" as written in the file
    text: str  # the selected text (cut to a readable length), or "(outside the text)"


@dataclass
class Candidate:
    model: PositionModel
    confirmed: int  # telling selections the evidence confirms under this model
    samples: list[Sample] = field(default_factory=list)


@dataclass
class PositionChoice:
    """The model for one source, or None when the file is ambiguous, and why."""

    model: PositionModel | None
    reason: str
    candidates: list[Candidate]
    telling: int  # selections tested that the candidate models read differently


@dataclass
class AmbiguousSource:
    name: str
    reason: str
    candidates: list[Candidate]


class AmbiguousPositions(ImportFailed):
    """The file does not say (or contradicts) how its positions are counted; nothing was written."""

    def __init__(self, path: str, sources: list[AmbiguousSource]) -> None:
        names = ", ".join(repr(s.name) for s in sources[:3])
        more = f" and {len(sources) - 3} more" if len(sources) > 3 else ""
        super().__init__(
            f"{path}: cannot tell how selection positions are counted in {names}{more}; "
            "nothing was imported. Check the preview and import again with --positions MODEL"
        )
        self.path = path
        self.sources = sources


def preview_text(ambiguous: AmbiguousPositions) -> str:
    """Each ambiguous source, why, and what every candidate model makes of three selections."""
    blocks = []
    for source in ambiguous.sources:
        lines = [f"{source.name}: {source.reason}."]
        for candidate in source.candidates:
            lines.append(f"  {candidate.model.name} ({candidate.model.describe()}):")
            lines.extend(f"    {s.positions}: {s.text!r}" for s in candidate.samples)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def choose_model(
    source: SourceText,
    selections: Sequence[QdeSelection],
    origin: str,
    forced: PositionModel | None = None,
) -> PositionChoice:
    """The model for ``selections`` of ``source``: forced, the origin's rule, or the evidence's."""
    candidates_models = source.candidate_models()
    rule = rule_for_origin(origin)
    declared = source.effective(rule.model) if rule else None
    own_index = candidates_models.index(declared) if declared in candidates_models else None
    tested: list[QdeSelection] = []
    evidence: list[list[tuple[bool, bool]]] = []
    for chunk in _spread(_telling(source, candidates_models, selections), _DECISIVE):
        for selection, readings in chunk:
            tested.append(selection)
            evidence.append(_evidence(source.canonical, selection, readings))
        if _settled(evidence, own_index):
            break
    in_order = sorted(tested, key=lambda s: (s.start, s.end))
    candidates = [
        Candidate(m, sum(e[i][0] for e in evidence), _samples(source, m, in_order, selections))
        for i, m in enumerate(candidates_models)
    ]
    n = len(tested)
    if forced is not None:
        return PositionChoice(forced, "chosen by the user", candidates, n)
    if not tested:
        model = declared or candidates_models[0]
        return PositionChoice(model, "every position model reads these selections alike", [], 0)
    ranked = sorted(candidates, key=lambda c: -c.confirmed)  # stable: the standard's first
    summary = f"{ranked[0].confirmed}/{n} telling selections confirm {ranked[0].model.name}"
    if rule is not None and declared is not None and own_index is not None:
        own = candidates[own_index]
        quotes_against = _quotes_against(evidence, own_index)
        best_other = max((c for c in candidates if c is not own), key=lambda c: c.confirmed)
        words_against = n >= MIN_SELECTIONS and (best_other.confirmed - own.confirmed) >= (
            MIN_MARGIN * n
        )
        if quotes_against or words_against:
            what = "the selections' own text" if quotes_against else "the word edges"
            return PositionChoice(
                None,
                f"the rule for {rule.tool} ({declared.name}) and {what} disagree: "
                f"{own.confirmed}/{n} confirm the rule, {best_other.confirmed}/{n} "
                f"{best_other.model.name}",
                candidates,
                n,
            )
        reason = f"rule for {rule.tool}; {own.confirmed}/{n} telling selections confirm it"
        return PositionChoice(declared, reason, candidates, n)
    best, second = ranked[0], ranked[1]
    margin = (best.confirmed - second.confirmed) / n
    if n >= MIN_SELECTIONS and margin >= MIN_MARGIN:
        reason = f"origin {origin or 'not given'} has no known rule; {summary}"
        return PositionChoice(best.model, reason, candidates, n)
    return PositionChoice(
        None,
        f"origin {origin or 'not given'} has no known rule and the evidence is thin "
        f"({n} telling selections, margin {margin:.0%})",
        candidates,
        n,
    )


Span = tuple[int, int] | None


def _spans(source: SourceText, model: PositionModel, chosen: Sequence[QdeSelection]) -> list[Span]:
    """What ``model`` selects of each selection in the canonical text (None: nothing)."""
    starts = source.to_canonical_many(model, [s.start for s in chosen])
    ends = source.to_canonical_many(model, [s.end for s in chosen])
    return [
        (start, end) if start is not None and end is not None and end > start else None
        for start, end in zip(starts, ends, strict=True)
    ]


def _spread(items: Sequence[T], first: int) -> Iterator[Sequence[T]]:
    """Every item once, in rounds of about ``first`` evenly spaced over ``items``."""
    step = max(1, len(items) // first)
    for offset in range(step):
        yield items[offset::step]


def _telling(
    source: SourceText, models: list[PositionModel], selections: Sequence[QdeSelection]
) -> list[tuple[QdeSelection, list[Span]]]:
    """Up to :data:`_SAMPLE` selections the models read differently (only these can tell models
    apart), spread over the file, each with every model's span of it.

    A selection ending before :attr:`SourceText.same_below` reads alike in every model, so it is
    passed over unconverted.
    """
    if len(models) < 2:
        return []
    below = source.same_below
    pending = [s for s in selections if not s.whole and max(s.start, s.end) > below]
    found: list[tuple[QdeSelection, list[Span]]] = []
    for chosen in _spread(pending, _SAMPLE):
        spans = [_spans(source, m, chosen) for m in models]
        for k, selection in enumerate(chosen):
            readings = [by_model[k] for by_model in spans]
            if len(set(readings)) > 1:
                found.append((selection, readings))
        if len(found) >= _SAMPLE:
            break
    return found[:_SAMPLE]


def _quotes_against(evidence: list[list[tuple[bool, bool]]], index: int) -> bool:
    # A quote counts only when some model matches it, so a miss here is a contradiction.
    return any(e[index][1] and not e[index][0] for e in evidence)


def _settled(evidence: list[list[tuple[bool, bool]]], own_index: int | None) -> bool:
    """The verdict will not move: a quote contradicts the rule, one model leads by the margin,
    or (with a rule) no other model comes near to contradicting it."""
    n = len(evidence)
    if n < _DECISIVE:
        return False
    counts = [sum(e[i][0] for e in evidence) for i in range(len(evidence[0]))]
    if own_index is None:
        top = sorted(counts, reverse=True)
        return top[0] - top[1] >= MIN_MARGIN * n
    if _quotes_against(evidence, own_index):
        return True
    lead = max(c for i, c in enumerate(counts) if i != own_index) - counts[own_index]
    return lead < MIN_MARGIN * n / 2 or lead >= MIN_MARGIN * n


def _evidence(text: str, selection: QdeSelection, spans: list[Span]) -> list[tuple[bool, bool]]:
    """Per model: (confirmed, by its quote). The quote decides when any model matches it."""
    quotes = [
        span is not None and _quote_matches(selection.name, text[slice(*span)]) for span in spans
    ]
    if any(quotes):
        return [(q, True) for q in quotes]
    return [(span is not None and _on_edges(text, *span), False) for span in spans]


def _squash(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def _quote_matches(name: str, selected: str) -> bool:
    """True when the selection's ``name`` is its text, whole or cut short with an ellipsis."""
    wanted = _squash(name)
    if not wanted:
        return False
    for ellipsis in ("…", "..."):
        if wanted.endswith(ellipsis) and len(wanted) > len(ellipsis) + 2:
            return _squash(selected).startswith(wanted.removesuffix(ellipsis).rstrip())
    return _squash(selected) == wanted


def _on_edges(text: str, start: int, end: int) -> bool:
    """Both ends fall between words: a person selects whole words."""
    return not any(
        0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum() for i in (start, end)
    )


def _samples(
    source: SourceText,
    model: PositionModel,
    telling: list[QdeSelection],
    selections: Sequence[QdeSelection],
) -> list[Sample]:
    chosen = (telling or [s for s in selections if not s.whole])[:_PREVIEW]
    out = []
    for selection, span in zip(chosen, _spans(source, model, chosen), strict=True):
        if span is None:
            text = "(outside the text)"
        else:
            text = source.canonical[slice(*span)]
            if len(text) > _SNIPPET:
                text = text[: _SNIPPET - 1] + "…"
        out.append(Sample(f"{selection.start}-{selection.end}", text))
    return out
