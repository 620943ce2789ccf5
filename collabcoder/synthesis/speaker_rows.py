"""Segments by the speaker of the turn they start in: role filters and rows by speaker.

A segment belongs to the turn holding its first character (as a search hit does); the turn's
label means a speaker through the project's aliases (``SynthesisData.turns`` carries each turn's
resolved ``speaker_name`` and ``role``). A segment outside every turn has no speaker and no role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from collabcoder.synthesis.filters import SegmentFilter
    from collabcoder.synthesis.frames import SynthesisData

SPEAKER_ROWS = "speaker"  # the matrix's row choice: one row per speaker
NO_SPEAKER = "(no speaker)"


def turn_of(data: SynthesisData, frame: pd.DataFrame) -> np.ndarray:
    """For each row of ``frame`` (document_id, start, end): the number of the row of
    ``data.turns`` its start lies in, or -1 outside every turn."""
    import numpy as np

    turns = data.turns
    if len(turns) == 0 or len(frame) == 0:
        return np.full(len(frame), -1, "int64")
    gstart, _ = data.global_spans(frame)
    turn_gstart, turn_gend = data.global_spans(turns)
    at = np.maximum(np.searchsorted(turn_gstart, gstart, side="right") - 1, 0)
    inside = (turn_gstart[at] <= gstart) & (gstart < turn_gend[at])
    return np.where(inside, at, -1).astype("int64")


def _column(data: SynthesisData, frame: pd.DataFrame, name: str, missing: str) -> np.ndarray:
    import numpy as np

    at = turn_of(data, frame)
    if len(data.turns) == 0:
        return np.full(len(frame), missing, dtype=object)
    values = data.turns[name].to_numpy(object)
    return np.where(at >= 0, values[np.maximum(at, 0)], missing)


def speakers_of(data: SynthesisData, frame: pd.DataFrame) -> np.ndarray:
    """The speaker (name, after aliases) of each row's turn; NO_SPEAKER outside every turn."""
    return _column(data, frame, "speaker_name", NO_SPEAKER)


def wanted_roles(data: SynthesisData, segments: pd.DataFrame, filters: SegmentFilter) -> Any:
    """A mask of the segments whose turn's speaker has a wanted role (and no excluded one)."""
    import numpy as np

    roles = _column(data, segments, "role", "")
    keep = np.ones(len(segments), dtype=bool)
    if filters.roles:
        keep &= np.isin(roles, list(filters.roles))
    if filters.exclude_roles:
        keep &= ~np.isin(roles, list(filters.exclude_roles))
    return keep


def speaker_labels(
    data: SynthesisData, documents: pd.DataFrame, segments: pd.DataFrame, filters: SegmentFilter
) -> list[str]:
    """Row labels for rows by speaker: every speaker with a turn in ``documents`` in a role
    the filters keep (by name), then NO_SPEAKER when a segment in view lies outside every turn."""
    turns = data.turns[data.turns["document_id"].isin(documents.index)]
    if filters.roles:
        turns = turns[turns["role"].isin(filters.roles)]
    if filters.exclude_roles:
        turns = turns[~turns["role"].isin(filters.exclude_roles)]
    labels = sorted(set(turns["speaker_name"]), key=lambda n: (str(n).casefold(), str(n)))
    if (speakers_of(data, segments) == NO_SPEAKER).any():
        labels.append(NO_SPEAKER)
    return labels


def speaker_rows(data: SynthesisData, segments: pd.DataFrame, labels: list[str]) -> np.ndarray:
    """Each segment's row number among ``labels`` (-1: a speaker without a row)."""
    import numpy as np

    number = {label: n for n, label in enumerate(labels)}
    return np.array([number.get(s, -1) for s in speakers_of(data, segments)], dtype="int64")


def speaker_lengths(data: SynthesisData, documents: pd.DataFrame, labels: list[str]) -> np.ndarray:
    """Characters each speaker's turns hold in ``documents`` (coverage's denominator); text
    outside every turn counts for NO_SPEAKER."""
    import numpy as np

    turns = data.turns[data.turns["document_id"].isin(documents.index)]
    number = {label: n for n, label in enumerate(labels)}
    lengths = np.zeros(len(labels), "float64")
    spoken = (turns["end"] - turns["start"]).groupby(turns["document_id"]).sum()
    for name, length in (
        (turns["end"] - turns["start"]).groupby(turns["speaker_name"]).sum().items()
    ):
        if name in number:
            lengths[number[name]] = float(length)
    if NO_SPEAKER in number:
        outside = documents["length"] - spoken.reindex(documents.index).fillna(0)
        lengths[number[NO_SPEAKER]] = float(outside.clip(lower=0).sum())
    return lengths
