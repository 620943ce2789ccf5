"""Codebook diff and merge planning: matching, the reported differences, and safe merges."""

from __future__ import annotations

import copy

from collabcoder.core.codebook_diff import diff_codebooks
from collabcoder.core.codebook_merge import AddCode, MoveCode, plan_merge, take_incoming
from collabcoder.core.codebook_spec import CodeSpec

G = {name: f"00000000-0000-4000-8000-{i:012d}" for i, name in enumerate("ABCDEFGH")}


def _base() -> list[CodeSpec]:
    """Drivers (A) with children B, C; Barriers (D) with child E."""
    return [
        CodeSpec("Drivers", G["A"], "#112233", "Why they collaborate.", children=[
            CodeSpec("Systemic working", G["B"], "#223344", "Whole system.", keywords=["silo"]),
            CodeSpec("Evidence-led", G["C"], "#334455", "Evidence."),
        ]),
        CodeSpec("Barriers", G["D"], "#445566", "What gets in the way.", children=[
            CodeSpec("Long time spans", G["E"], "#556677", "Impact takes time."),
        ]),
    ]  # fmt: skip


def _find(roots: list[CodeSpec], name: str) -> CodeSpec:
    stack = list(roots)
    while stack:
        code = stack.pop()
        if code.name == name:
            return code
        stack.extend(code.children)
    raise KeyError(name)


def test_identical_codebooks_have_no_differences() -> None:
    """A codebook compared with a copy of itself reports nothing and matches every code."""
    diff = diff_codebooks(_base(), _base())
    assert diff.is_empty and diff.matched == 5


def test_diff_reports_each_kind_of_change() -> None:
    """Added, removed, renamed, moved, re-defined and recoloured codes are each reported once."""
    incoming = _base()
    _find(incoming, "Systemic working").name = "Whole-system working"
    evidence = _find(incoming, "Evidence-led")
    incoming[0].children.remove(evidence)
    incoming[1].children.append(evidence)
    _find(incoming, "Long time spans").definition = "Results take years."
    _find(incoming, "Barriers").colour = "#000000"
    incoming[1].children = [c for c in incoming[1].children if c.name != "Long time spans"]
    incoming.append(CodeSpec("Accountability", G["F"]))
    diff = diff_codebooks(_base(), incoming)
    kinds = sorted(d.kind for d in diff.differences)
    assert kinds == ["added", "moved", "recoloured", "removed", "renamed"]
    (moved,) = diff.of_kind("moved")
    assert (moved.fields[0].local, moved.fields[0].incoming) == ("Drivers", "Barriers")
    assert diff.of_kind("removed")[0].local_path == ("Barriers", "Long time spans")


def test_codes_without_guids_match_by_path_then_unique_name() -> None:
    """Codes from a tool that drops GUIDs line up by path, and a moved one by its unique name."""
    incoming = _base()
    for code in [incoming[0], incoming[1], *incoming[0].children, *incoming[1].children]:
        code.guid = None
    evidence = incoming[0].children.pop()
    incoming[1].children.append(evidence)
    diff = diff_codebooks(_base(), incoming)
    assert [d.kind for d in diff.differences] == ["moved"] and diff.matched == 5


def test_rename_on_one_side_is_taken_with_an_ancestor() -> None:
    """With a common ancestor, a rename made only in the incoming codebook is applied, and a
    rename made only locally is kept without any conflict."""
    local, incoming = _base(), _base()
    _find(incoming, "Systemic working").name = "Whole-system working"
    _find(local, "Barriers").name = "Challenges and barriers"
    plan = plan_merge(local, incoming, ancestor=_base())
    assert plan.conflicts == []
    assert [(u.guid, dict(u.fields)) for u in plan.updates] == [
        (G["B"], {"name": "Whole-system working"})
    ]


def test_rename_without_an_ancestor_is_left_to_the_lead() -> None:
    """Without an ancestor nobody can tell which side renamed, so it becomes a conflict, and
    take_incoming turns it into an update when the lead chooses the incoming name."""
    incoming = _base()
    _find(incoming, "Systemic working").name = "Whole-system working"
    plan = plan_merge(_base(), incoming)
    assert plan.updates == []
    (conflict,) = plan.conflicts
    assert (conflict.field, conflict.local, conflict.incoming) == (
        "name",
        "Systemic working",
        "Whole-system working",
    )
    decided = take_incoming(plan)
    assert decided.conflicts == [] and dict(decided.updates[0].fields) == {
        "name": "Whole-system working"
    }


def test_redefinition_on_both_sides_is_a_conflict_and_keeps_the_local_text() -> None:
    """Both sides changed the definition differently: nothing is overwritten, one conflict."""
    local, incoming = _base(), _base()
    _find(local, "Evidence-led").definition = "Local wording."
    _find(incoming, "Evidence-led").definition = "Incoming wording."
    _find(incoming, "Evidence-led").inclusion = "New inclusion."  # only incoming changed this
    plan = plan_merge(local, incoming, ancestor=_base())
    (conflict,) = plan.conflicts
    assert (conflict.field, conflict.local, conflict.incoming, conflict.reason) == (
        "definition",
        "Local wording.",
        "Incoming wording.",
        "changed on both sides",
    )
    assert [dict(u.fields) for u in plan.updates] == [{"inclusion": "New inclusion."}]


def test_incoming_fills_empty_local_fields_without_an_ancestor() -> None:
    """With no ancestor, an empty local field takes the incoming text; an empty incoming field
    never blanks a local one."""
    local, incoming = _base(), _base()
    _find(incoming, "Evidence-led").example = "“evidence-led”"
    _find(incoming, "Drivers").definition = ""
    plan = plan_merge(local, incoming)
    assert plan.conflicts == []
    assert [(u.guid, dict(u.fields)) for u in plan.updates] == [
        (G["C"], {"example": "“evidence-led”"})
    ]


def test_move_on_one_side_is_planned_under_the_new_parent() -> None:
    """A code moved in the incoming codebook is moved to the matching local parent."""
    incoming = _base()
    evidence = incoming[0].children.pop()
    incoming[1].children.append(evidence)
    plan = plan_merge(_base(), incoming, ancestor=_base())
    assert plan.moves == [MoveCode(G["C"], ("Drivers", "Evidence-led"), G["D"], "Barriers")]
    assert plan.conflicts == []


def test_move_on_both_sides_is_a_conflict() -> None:
    """Moved to different parents on each side: the local place is kept and a conflict listed."""
    local, incoming = _base(), _base()
    local.append(copy.deepcopy(local[0].children.pop()))  # local: Evidence-led to the top
    incoming[1].children.append(incoming[0].children.pop())  # incoming: under Barriers
    plan = plan_merge(local, incoming, ancestor=_base())
    assert plan.moves == []
    (conflict,) = plan.conflicts
    assert (conflict.field, conflict.local, conflict.incoming) == (
        "parent",
        "(top level)",
        "Barriers",
    )


def test_removed_code_with_segments_is_never_deleted() -> None:
    """The incoming codebook dropped a code that has segments here: it is kept, as a conflict;
    its uncoded sibling that was also dropped is removed."""
    incoming = _base()
    incoming[0].children = []  # drops Systemic working (coded) and Evidence-led (not coded)
    plan = plan_merge(_base(), incoming, ancestor=_base(), segment_counts={G["B"]: 3})
    assert [r.path for r in plan.removals] == [("Drivers", "Evidence-led")]
    (conflict,) = plan.conflicts
    assert conflict.local_path == ("Drivers", "Systemic working")
    assert "has 3 segments" in conflict.reason
    assert take_incoming(plan).removals == plan.removals  # the lead cannot force a deletion here


def test_parent_holding_a_kept_child_is_not_removed() -> None:
    """Dropping a parent whose coded child stays would delete the child too: both are kept."""
    incoming = [_base()[0]]  # Barriers and Long time spans gone
    plan = plan_merge(_base(), incoming, ancestor=_base(), segment_counts={G["E"]: 1})
    assert plan.removals == []
    assert sorted(c.local_path for c in plan.conflicts if c.local_path) == [
        ("Barriers",),
        ("Barriers", "Long time spans"),
    ]


def test_without_an_ancestor_local_only_codes_are_kept() -> None:
    """Codes only in this project may be local additions: no ancestor means they are kept."""
    incoming = [_base()[0]]
    plan = plan_merge(_base(), incoming)
    assert plan.removals == [] and plan.local_only == [
        ("Barriers",),
        ("Barriers", "Long time spans"),
    ]


def test_added_codes_come_parents_first_with_their_parent() -> None:
    """New codes, including a new parent with a child, are added under the right parent."""
    incoming = _base()
    incoming.append(CodeSpec("Accountability", children=[CodeSpec("Transparency", G["H"])]))
    incoming[0].children.append(CodeSpec("Focus on outcomes", G["G"], keywords=["outcomes"]))
    plan = plan_merge(_base(), incoming)
    assert [a.spec.name for a in plan.additions] == [
        "Focus on outcomes",
        "Accountability",
        "Transparency",
    ]
    outcomes, accountability, transparency = plan.additions
    assert outcomes.parent_guid == G["A"] and outcomes.spec.keywords == ["outcomes"]
    assert accountability.parent_guid is None and accountability.guid  # a fresh GUID
    assert transparency == AddCode(
        G["H"], accountability.guid, transparency.spec, ("Accountability", "Transparency")
    )


def test_local_deletion_is_respected_unless_incoming_changed_the_code() -> None:
    """Deleted here and untouched upstream: stays deleted; changed upstream: a conflict."""
    local = _base()
    local[1].children = []  # Long time spans deleted locally
    plan = plan_merge(local, _base(), ancestor=_base())
    assert plan.additions == [] and plan.conflicts == []
    incoming = _base()
    _find(incoming, "Long time spans").definition = "Changed upstream."
    plan = plan_merge(local, incoming, ancestor=_base())
    assert plan.additions == [] and [c.field for c in plan.conflicts] == ["deleted here"]
