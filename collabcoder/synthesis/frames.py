"""The project as pandas tables: the one input every synthesis function reads.

Built from the plain records the Project facade returns, so matrices, agreement and export are
testable without a database. Every document gets a *global offset*: its characters occupy
``offset .. offset + length`` on one line shared by all documents, with a gap of one between
documents. Spans from different documents therefore never touch, which lets span unions, overlaps
and unit look-ups run as single numpy passes over all documents at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from collabcoder.core.records import (
    AttributeRecord,
    CaseRecord,
    CodeRecord,
    CoderRecord,
    DocumentRecord,
    SegmentRecord,
    SummaryRecord,
    TurnRecord,
)
from collabcoder.core.speaker_map import SpeakerMap
from collabcoder.core.text import word_spans

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

NO_CASE = "(no case)"
NO_VALUE = "(no value)"


@dataclass(eq=False)
class SynthesisData:
    """Tables of one project (or one snapshot of it) for synthesis.

    ``documents`` (index id): guid, name, kind, case_id, word_count, length, offset.
    ``cases`` (index id, name order): guid, name, description.
    ``attributes`` (index id): guid, name, kind, choices, position.
    ``attribute_values``: case_id, attribute_id, value.
    ``codes`` (index id, tree order): guid, parent_id, name, colour, definition, inclusion,
    exclusion, example, keywords, version, modified, depth (1 = top level), path, order, last
    (the tree order of the code's last descendant, so a subtree is ``order .. last``).
    ``coders`` (index id): guid, name.
    ``segments``: id, guid, document_id, code_id, coder_id, start, end, origin, created.
    ``turns``: document_id, speaker, start, end, timestamp, seconds (sorted by document, start),
    speaker_name and role (the speaker the label means, after aliases; the label and "" when
    no speaker list was given).
    ``summaries``: case_id, code_id, coder_id, text, evidence_hash, created, modified.
    """

    project: str
    documents: pd.DataFrame
    texts: Mapping[int, str]
    cases: pd.DataFrame
    attributes: pd.DataFrame
    attribute_values: pd.DataFrame
    codes: pd.DataFrame
    coders: pd.DataFrame
    segments: pd.DataFrame
    turns: pd.DataFrame
    summaries: pd.DataFrame
    # Each document set's members by set name, smart sets as they were when the snapshot was taken.
    document_sets: Mapping[str, frozenset[int]] = field(default_factory=dict)
    # Derived tables that are costly to rebuild (unit spans by kind); valid for this snapshot.
    cache: dict[str, Any] = field(default_factory=dict)

    def global_spans(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Global start and end of each row of ``frame`` (document_id, start, end)."""
        offset = self.documents["offset"].reindex(frame["document_id"]).to_numpy("int64")
        return offset + frame["start"].to_numpy("int64"), offset + frame["end"].to_numpy("int64")

    def case_attribute(self, name: str) -> pd.Series:
        """Each case's value of attribute ``name`` (cases without one get NO_VALUE)."""
        from collabcoder.core.errors import NotFound

        match = self.attributes.index[self.attributes["name"] == name]
        if len(match) == 0:
            known = ", ".join(sorted(self.attributes["name"])) or "none"
            raise NotFound(f"No case attribute named {name!r} (known: {known}).")
        values = self.attribute_values[self.attribute_values["attribute_id"] == match[0]]
        series = values.set_index("case_id")["value"].reindex(self.cases.index)
        return series.fillna(NO_VALUE).astype(str)

    def set_members(self, names: Iterable[str]) -> set[int]:
        """Documents in any of the named sets (names compared without regard to case)."""
        from collabcoder.core.errors import NotFound

        by_name = {name.casefold(): ids for name, ids in self.document_sets.items()}
        found: set[int] = set()
        for name in names:
            if name.casefold() not in by_name:
                known = ", ".join(sorted(self.document_sets)) or "none"
                raise NotFound(f"No document set called {name!r} (known: {known}).")
            found |= by_name[name.casefold()]
        return found

    def coder_ids(self, names: Iterable[str]) -> list[int]:
        """Ids of the named coders, in the order given."""
        from collabcoder.core.errors import NotFound

        by_name = {name: int(i) for i, name in self.coders["name"].items()}
        missing = [name for name in names if name not in by_name]
        if missing:
            known = ", ".join(sorted(by_name)) or "none"
            raise NotFound(f"No coder named {', '.join(missing)} (known: {known}).")
        return [by_name[name] for name in names]

    @cached_property
    def word_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Global start and end of every word of every document, sorted."""
        import numpy as np

        starts: list[np.ndarray] = []
        ends: list[np.ndarray] = []
        for doc_id, offset in self.documents["offset"].items():
            text = self.texts.get(int(doc_id), "")
            spans = np.array(word_spans(text), dtype="int64")
            if len(spans):
                starts.append(spans[:, 0] + offset)
                ends.append(spans[:, 1] + offset)
        if not starts:
            return np.zeros(0, "int64"), np.zeros(0, "int64")
        return np.concatenate(starts), np.concatenate(ends)


def _frame(rows: list[dict[str, Any]], columns: Sequence[str], index: str | None) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.set_index(index) if index else frame


def _tree_columns(codes: pd.DataFrame) -> pd.DataFrame:
    """Sort codes into tree order and add depth, path, order and last."""
    children: dict[int | None, list[tuple[int, str, int]]] = {}
    import pandas as pd

    for code_id, parent_id, position, name in zip(
        codes.index, codes["parent_id"], codes["position"], codes["name"], strict=True
    ):
        # A parent missing from the list (deleted meanwhile) makes the code a root, not an orphan.
        parent = None if pd.isna(parent_id) or parent_id not in codes.index else int(parent_id)
        children.setdefault(parent, []).append((int(position), str(name), int(code_id)))
    order: list[int] = []
    depth: dict[int, int] = {}
    path: dict[int, str] = {}
    last: dict[int, int] = {}

    def visit(code_id: int, level: int, prefix: str) -> None:
        order.append(code_id)
        depth[code_id] = level
        name = str(codes.at[code_id, "name"])
        path[code_id] = f"{prefix}/{name}" if prefix else name
        for _, _, child in sorted(children.get(code_id, [])):
            visit(child, level + 1, path[code_id])
        last[code_id] = len(order) - 1

    for _, _, root in sorted(children.get(None, [])):
        visit(root, 1, "")
    tree = codes.loc[order].copy()
    tree["depth"] = [depth[c] for c in order]
    tree["path"] = [path[c] for c in order]
    tree["order"] = range(len(order))
    tree["last"] = [last[c] for c in order]
    return tree


def build_synthesis_data(
    *,
    documents: Sequence[DocumentRecord],
    texts: Mapping[int, str],
    cases: Sequence[CaseRecord],
    codes: Sequence[CodeRecord],
    coders: Sequence[CoderRecord],
    segments: Sequence[SegmentRecord],
    attributes: Sequence[AttributeRecord] = (),
    attribute_values: Mapping[tuple[int, int], str] | None = None,
    turns: Sequence[TurnRecord] = (),
    summaries: Sequence[SummaryRecord] = (),
    project: str = "",
    document_sets: Mapping[str, frozenset[int]] | None = None,
    speakers: SpeakerMap | None = None,
) -> SynthesisData:
    """Bundle plain records into SynthesisData.

    ``texts`` maps document id to canonical text; ``attribute_values`` maps (case id, attribute
    id) to the stored value, as ``project.attributes.values()`` returns it.
    """
    import numpy as np
    import pandas as pd

    doc_rows = sorted(documents, key=lambda d: d.id)
    docs = _frame(
        [
            {
                "id": d.id,
                "guid": d.guid,
                "name": d.name,
                "kind": d.kind,
                "case_id": d.case_id,
                "word_count": d.word_count,
                "length": len(texts.get(d.id, "")),
            }
            for d in doc_rows
        ],
        ["id", "guid", "name", "kind", "case_id", "word_count", "length"],
        "id",
    )
    docs["case_id"] = docs["case_id"].astype("Int64")
    lengths = docs["length"].to_numpy("int64")
    docs["offset"] = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])) if len(docs) else []
    case_frame = _frame(
        [
            {"id": c.id, "guid": c.guid, "name": c.name, "description": c.description}
            for c in sorted(cases, key=lambda c: (c.name.casefold(), c.id))
        ],
        ["id", "guid", "name", "description"],
        "id",
    )
    attr_frame = _frame(
        [
            {
                "id": a.id,
                "guid": a.guid,
                "name": a.name,
                "kind": a.kind,
                "choices": a.choices,
                "position": a.position,
            }
            for a in sorted(attributes, key=lambda a: (a.position, a.id))
        ],
        ["id", "guid", "name", "kind", "choices", "position"],
        "id",
    )
    values = _frame(
        [
            {"case_id": case_id, "attribute_id": attribute_id, "value": value}
            for (case_id, attribute_id), value in (attribute_values or {}).items()
        ],
        ["case_id", "attribute_id", "value"],
        None,
    )
    code_columns = [
        "id",
        "guid",
        "parent_id",
        "name",
        "position",
        "colour",
        "definition",
        "inclusion",
        "exclusion",
        "example",
        "keywords",
        "version",
        "modified",
    ]
    code_frame = _frame(
        [{name: getattr(c, name) for name in code_columns} for c in codes], code_columns, "id"
    )
    coder_frame = _frame(
        [{"id": c.id, "guid": c.guid, "name": c.name} for c in coders], ["id", "guid", "name"], "id"
    )
    seg_columns = [
        "id",
        "guid",
        "document_id",
        "code_id",
        "coder_id",
        "start",
        "end",
        "origin",
        "created",
    ]
    seg_frame = pd.DataFrame(
        {name: [getattr(s, name) for s in segments] for name in seg_columns}, columns=seg_columns
    )
    for name in ("id", "document_id", "code_id", "coder_id", "start", "end"):
        seg_frame[name] = seg_frame[name].astype("int64")
    turn_columns = ["document_id", "speaker", "start", "end", "timestamp", "seconds"]
    turn_frame = pd.DataFrame(
        {name: [getattr(t, name) for t in turns] for name in turn_columns}, columns=turn_columns
    )
    for name in ("document_id", "start", "end"):
        turn_frame[name] = turn_frame[name].astype("int64")
    resolved = [speakers.resolve(t.document_id, t.speaker) if speakers else None for t in turns]
    turn_frame["speaker_name"] = [
        r.name if r else t.speaker for r, t in zip(resolved, turns, strict=True)
    ]
    turn_frame["role"] = [r.role if r else "" for r in resolved]
    turn_frame = turn_frame.sort_values(["document_id", "start"], kind="stable")
    summary_columns = [
        "case_id",
        "code_id",
        "coder_id",
        "text",
        "evidence_hash",
        "created",
        "modified",
    ]
    summary_frame = _frame(
        [{name: getattr(s, name) for name in summary_columns} for s in summaries],
        summary_columns,
        None,
    )
    return SynthesisData(
        project=project,
        documents=docs,
        texts=texts,
        cases=case_frame,
        attributes=attr_frame,
        attribute_values=values,
        codes=_tree_columns(code_frame),
        coders=coder_frame,
        segments=seg_frame.reset_index(drop=True),
        turns=turn_frame.reset_index(drop=True),
        summaries=summary_frame,
        document_sets=dict(document_sets or {}),
    )
