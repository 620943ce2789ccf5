"""Agreement between coders: percent agreement, Cohen's kappa and Krippendorff's alpha.

For each code every unit (a character, or a sentence / turn / document) gets one yes/no label per
coder: did the coder apply the code there (at unit level: anywhere in the unit)? The statistics
are the textbook ones on those labels, so they equal scikit-learn's ``cohen_kappa_score`` and
the ``krippendorff`` package given the same labels; "overall" pools the labels of all codes.
Rather than materialising a label per character, each unit is summarised by a bit mask of the
coders who applied the code, and the statistics are computed from how many units carry each mask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from collabcoder.core.errors import InvalidValue
from collabcoder.synthesis.spans import expand_ranges, union_blocks, unit_ranges
from collabcoder.synthesis.units import UNITS, Units, build_units

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from collabcoder.synthesis.frames import SynthesisData

AGREEMENT_UNITS = ("char", *UNITS)
MAX_CODERS = 12  # masks index a 2**m table


@dataclass(frozen=True)
class AgreementScore:
    """Statistics for one code (``code_id`` None: all codes pooled)."""

    code_id: int | None
    code: str
    units: int
    coded: tuple[int, ...]  # units each coder labelled yes, in coder order
    percent: float  # share of units on which all coders gave the same label
    kappa: float | None  # Cohen's kappa, two coders only; None when undefined
    alpha: float | None  # Krippendorff's alpha (nominal); None when undefined


@dataclass
class AgreementReport:
    coders: tuple[str, ...]
    unit: str
    document_ids: tuple[int, ...]
    per_code: list[AgreementScore]
    overall: AgreementScore
    # Spans (character level) or units where some coders applied a code and others did not:
    # code_id, code, document_id, document, start, end, applied_by, not_by (names, comma-joined).
    disagreements: pd.DataFrame | None = None

    def table(self) -> pd.DataFrame:
        """One row per code then the overall row, for display and export."""
        import pandas as pd

        rows = []
        for score in [*self.per_code, self.overall]:
            row: dict[str, object] = {"code": score.code, "units": score.units}
            row.update({f"coded by {c}": n for c, n in zip(self.coders, score.coded, strict=True)})
            row.update(
                {
                    "percent agreement": score.percent,
                    "cohen kappa": score.kappa,
                    "krippendorff alpha": score.alpha,
                }
            )
            rows.append(row)
        return pd.DataFrame(rows)


def scores_from_masks(counts: np.ndarray, m: int) -> tuple[float, float | None, float | None]:
    """(percent, kappa, alpha) from the number of units per coder mask (index = mask)."""
    import numpy as np

    total = float(counts.sum())
    if total == 0:
        return 0.0, None, None
    full = (1 << m) - 1
    masks = np.arange(1 << m)
    k = np.bitwise_count(masks).astype("float64")
    percent = float(counts[0] + counts[full]) / total
    kappa = None
    if m == 2:
        yes_a = (counts[1] + counts[3]) / total
        yes_b = (counts[2] + counts[3]) / total
        expected = yes_a * yes_b + (1 - yes_a) * (1 - yes_b)
        if expected < 1:
            kappa = float((percent - expected) / (1 - expected))
    n = total * m
    n_yes = float((counts * k).sum())
    n_no = n - n_yes
    alpha = None
    if n_yes > 0 and n_no > 0:
        disagreeing = float((counts * k * (m - k)).sum()) / (m - 1)
        alpha = 1 - (n - 1) * disagreeing / (n_yes * n_no)
    return percent, kappa, alpha


def _scope(
    data: SynthesisData, coder_ids: list[int], document_ids: Sequence[int] | None
) -> list[int]:
    if document_ids is not None:
        return sorted(int(d) for d in document_ids)
    segments = data.segments[data.segments["coder_id"].isin(coder_ids)]
    per_doc = segments.groupby("document_id")["coder_id"].nunique()
    return sorted(int(d) for d in per_doc.index[per_doc == len(coder_ids)])


def agreement(
    data: SynthesisData,
    coders: Sequence[str],
    *,
    unit: str = "char",
    code_ids: Sequence[int] | None = None,
    document_ids: Sequence[int] | None = None,
    units: Units | None = None,
) -> AgreementReport:
    """Agreement of ``coders`` (two or more names) per code and overall.

    Documents default to those every one of the coders has coded something in; codes default to
    the codes any of them applied there. ``unit`` is char, sentence, turn or document; ``units``
    supplies other unit spans (e.g. spaCy sentences).
    """
    import numpy as np
    import pandas as pd

    if unit not in AGREEMENT_UNITS:
        raise InvalidValue(f"Unknown unit {unit!r}; choose one of {', '.join(AGREEMENT_UNITS)}.")
    if len(set(coders)) < 2 or len(coders) > MAX_CODERS:
        raise InvalidValue(
            f"Agreement needs 2 to {MAX_CODERS} different coders, got {len(coders)}."
        )
    coder_ids = data.coder_ids(coders)
    docs = _scope(data, coder_ids, document_ids)
    if not docs:
        raise InvalidValue(f"Coders {', '.join(coders)} have no coded document in common.")
    segments = data.segments[
        data.segments["coder_id"].isin(coder_ids) & data.segments["document_id"].isin(docs)
    ]
    codes = data.codes[
        data.codes.index.isin(segments["code_id"].unique() if code_ids is None else code_ids)
    ]
    segments = segments[segments["code_id"].isin(codes.index)]
    m, n_codes = len(coder_ids), len(codes)
    code_index = pd.Series(np.arange(n_codes), index=codes.index)
    bit = pd.Series(np.arange(m), index=coder_ids)
    code_n = code_index.reindex(segments["code_id"]).to_numpy("int64")
    coder_n = bit.reindex(segments["coder_id"]).to_numpy("int64")
    gstart, gend = data.global_spans(segments)
    if unit == "char":
        counts, spans = _char_masks(code_n, coder_n, gstart, gend, m, n_codes)
        total = int(data.documents.loc[docs, "length"].sum())
    else:
        chosen = units or build_units(data, unit)
        keep = np.isin(chosen.document_id, docs)
        chosen = Units(
            chosen.kind,
            *(
                a[keep]
                for a in (chosen.document_id, chosen.start, chosen.end, chosen.gstart, chosen.gend)
            ),
        )
        counts, spans = _unit_masks(code_n, coder_n, gstart, gend, chosen, m, n_codes)
        total = len(chosen)
    counts[:, 0] = total - counts[:, 1:].sum(axis=1)
    bits = np.array([[(mask >> b) & 1 for b in range(m)] for mask in range(1 << m)])
    per_code = [
        _score(int(code_id), str(path), counts[i], bits, m)
        for i, (code_id, path) in enumerate(codes["path"].items())
    ]
    overall = _score(None, "(all codes)", counts.sum(axis=0), bits, m)
    report = AgreementReport(tuple(coders), unit, tuple(docs), per_code, overall)
    report.disagreements = _disagreements(data, codes, list(coders), spans)
    return report


def _score(
    code_id: int | None, code: str, counts: np.ndarray, bits: np.ndarray, m: int
) -> AgreementScore:
    percent, kappa, alpha = scores_from_masks(counts, m)
    coded = tuple(int(v) for v in (counts[:, None] * bits).sum(axis=0))
    return AgreementScore(code_id, code, int(counts.sum()), coded, percent, kappa, alpha)


def _char_masks(
    code_n: np.ndarray,
    coder_n: np.ndarray,
    gstart: np.ndarray,
    gend: np.ndarray,
    m: int,
    n_codes: int,
) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Characters per (code, mask), and the disagreeing runs (code, mask, gstart, gend)."""
    import numpy as np

    blocks = union_blocks(code_n * m + coder_n, gstart, gend)
    code, weight = blocks.key // m, np.left_shift(1, blocks.key % m)
    pos = np.concatenate([blocks.start, blocks.end])
    delta = np.concatenate([weight, -weight])
    code2 = np.concatenate([code, code])
    order = np.lexsort((pos, code2))
    pos, delta, code2 = pos[order], delta[order], code2[order]
    # Each code's events sum to zero, so one running sum gives every code's mask in turn.
    mask = np.cumsum(delta)
    length = np.zeros(len(pos), "int64")
    same = code2[1:] == code2[:-1]
    length[:-1] = np.where(same, pos[1:] - pos[:-1], 0)
    live = (length > 0) & (mask > 0)
    counts = np.zeros((n_codes, 1 << m), "int64")
    np.add.at(counts, (code2[live], mask[live]), length[live])
    odd = live & (mask != (1 << m) - 1)
    return counts, (code2[odd], mask[odd], pos[odd], pos[odd] + length[odd])


def _unit_masks(
    code_n: np.ndarray,
    coder_n: np.ndarray,
    gstart: np.ndarray,
    gend: np.ndarray,
    units: Units,
    m: int,
    n_codes: int,
) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Units per (code, mask), and the disagreeing units (code, mask, gstart, gend)."""
    import numpy as np

    first, stop = unit_ranges(units.gstart, units.gend, gstart, gend)
    rows, unit = expand_ranges(first, stop)
    triples = np.unique((code_n[rows] * len(units) + unit) * m + coder_n[rows])
    cell, coder = triples // m, triples % m
    cells, where = np.unique(cell, return_inverse=True)
    mask = np.bincount(where, weights=np.left_shift(1, coder)).astype("int64")
    code, unit_of = cells // max(len(units), 1), cells % max(len(units), 1)
    counts = np.zeros((n_codes, 1 << m), "int64")
    np.add.at(counts, (code, mask), 1)
    odd = mask != (1 << m) - 1
    return counts, (code[odd], mask[odd], units.gstart[unit_of[odd]], units.gend[unit_of[odd]])


def _disagreements(
    data: SynthesisData, codes: pd.DataFrame, coders: list[str], spans: tuple[np.ndarray, ...]
) -> pd.DataFrame:
    """Disagreeing global spans as document positions, adjacent runs of one mask merged."""
    import numpy as np
    import pandas as pd

    code, mask, gstart, gend = spans
    order = np.lexsort((gstart, code))
    code, mask, gstart, gend = code[order], mask[order], gstart[order], gend[order]
    new = np.ones(len(code), bool)
    new[1:] = (code[1:] != code[:-1]) | (mask[1:] != mask[:-1]) | (gstart[1:] != gend[:-1])
    firsts = np.flatnonzero(new)
    ends = np.maximum.reduceat(gend, firsts) if len(firsts) else gend
    code, mask, gstart = code[firsts], mask[firsts], gstart[firsts]
    offsets = data.documents["offset"].to_numpy("int64")
    at = np.searchsorted(offsets, gstart, side="right") - 1
    names = [(_who(coders, k, True), _who(coders, k, False)) for k in range(1 << len(coders))]
    return pd.DataFrame(
        {
            "code_id": codes.index.to_numpy()[code],
            "code": codes["path"].to_numpy(object)[code],
            "document_id": data.documents.index.to_numpy()[at],
            "document": data.documents["name"].to_numpy(object)[at],
            "start": gstart - offsets[at],
            "end": ends - offsets[at],
            "applied_by": [names[k][0] for k in mask],
            "not_by": [names[k][1] for k in mask],
        }
    )


def _who(coders: list[str], mask: int, applied: bool) -> str:
    return ", ".join(c for b, c in enumerate(coders) if bool(mask >> b & 1) == applied)
