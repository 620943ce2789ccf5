"""Document sets in core: static members, smart sets that follow the project, undo, deletes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from hypothesis import given, settings
from hypothesis import strategies as st

from collabcoder.core import storage
from collabcoder.core.changes import Kind
from collabcoder.core.documents import NewDocument
from collabcoder.core.errors import InvalidValue, NotFound
from collabcoder.core.project import Project
from collabcoder.core.sets import SmartQuery
from tests.core.snapshots import snapshot


def _study(project: Project) -> dict[str, int]:
    """Three cases with a Site and a Role; four documents (one field notes, one caseless)."""
    site = project.attributes.add("Site")
    role = project.attributes.add("Role", "choice", ["manager", "nurse", "volunteer"])
    ids: dict[str, int] = {}
    for case, (where, who) in {
        "Leeds A": ("Leeds", "manager"),
        "Leeds B": ("leeds", "volunteer"),
        "York": ("York", "nurse"),
    }.items():
        record = project.cases.add(case)
        project.attributes.set_value(record.id, site.id, where)
        project.attributes.set_value(record.id, role.id, who)
        ids[case] = record.id
    for name, kind, case in [
        ("a1", "transcript", "Leeds A"),
        ("a2", "fieldnotes", "Leeds A"),
        ("b1", "transcript", "Leeds B"),
        ("y1", "transcript", "York"),
    ]:
        ids[name] = project.documents.add(
            NewDocument(name, f"text of {name}", kind=kind, case_id=ids[case])
        ).id
    ids["loose"] = project.documents.add(NewDocument("loose", "no case")).id
    return ids


def test_static_set_members_add_remove_and_one_undo_step_each(project: Project) -> None:
    """A static set holds the documents put in it; adding skips members already there, removing
    takes them out, and each action is one undo step broadcast as a SETS change."""
    ids = _study(project)
    made = project.sets.create("Deep dives", [ids["a1"], ids["b1"]], "the long interviews")
    assert project.last_changes.touched(Kind.SETS)
    assert project.sets.members(made.id) == sorted([ids["a1"], ids["b1"]])
    assert project.sets.add(made.id, [ids["b1"], ids["y1"]]) == 1
    assert project.last_changes.ids_of(Kind.SETS) == {made.id}
    assert project.sets.remove(made.id, [ids["a1"]]) == 1
    assert project.sets.members(made.id) == sorted([ids["b1"], ids["y1"]])
    project.undo()
    assert project.sets.members(made.id) == sorted([ids["a1"], ids["b1"], ids["y1"]])
    project.undo()
    assert project.sets.members(made.id) == sorted([ids["a1"], ids["b1"]])
    project.undo()
    with pytest.raises(NotFound):
        project.sets.get(made.id)
    project.redo()
    assert project.sets.by_name("deep DIVES").description == "the long interviews"


def test_names_are_checked(project: Project) -> None:
    """Set names are required and unique regardless of case; unknown documents are refused and
    nothing is written."""
    ids = _study(project)
    project.sets.create("Leeds")
    with pytest.raises(InvalidValue, match="already exists"):
        project.sets.create("leeds")
    with pytest.raises(InvalidValue, match="needs a name"):
        project.sets.create("  ")
    with pytest.raises(NotFound, match="9999"):
        project.sets.create("Bad", [ids["a1"], 9999])
    assert [s.name for s in project.sets.list()] == ["Leeds"]
    other = project.sets.create("Other")
    with pytest.raises(InvalidValue, match="already exists"):
        project.sets.rename(other.id, "LEEDS")
    project.sets.rename(other.id, "Renamed")
    assert project.sets.get(other.id).name == "Renamed"


def test_smart_set_follows_attribute_changes_and_new_documents(project: Project) -> None:
    """A smart set's members are the documents its query matches now: attribute values match
    whatever their case, kinds narrow, and members follow value changes and new documents."""
    ids = _study(project)
    query = SmartQuery({"site": ("LEEDS",), "Role": ("manager", "volunteer")}, ("transcript",))
    smart = project.sets.create_smart("Leeds transcripts", query)
    assert smart.query is not None and smart.query.describe() == (
        "Site=LEEDS; Role=manager,volunteer; kind=transcript"
    )
    assert project.sets.members(smart.id) == sorted([ids["a1"], ids["b1"]])
    site = project.attributes.by_name("Site")
    project.attributes.set_value(ids["York"], site.id, "Leeds")
    assert project.sets.members(smart.id) == sorted([ids["a1"], ids["b1"]])  # York is a nurse
    role = project.attributes.by_name("Role")
    project.attributes.set_value(ids["York"], role.id, "manager")
    assert project.sets.members(smart.id) == sorted([ids["a1"], ids["b1"], ids["y1"]])
    new = project.documents.add(
        NewDocument("a3", "more", kind="transcript", case_id=ids["Leeds A"])
    )
    assert new.id in project.sets.members(smart.id)
    project.documents.assign_case([new.id], None)
    assert new.id not in project.sets.members(smart.id)
    project.sets.edit_smart(smart.id, SmartQuery(kinds=("fieldnotes",)))
    assert project.sets.members(smart.id) == [ids["a2"]]
    project.undo()
    assert project.sets.get(smart.id).query == project.sets._checked(query)


def test_smart_sets_refuse_members_and_bad_queries(project: Project) -> None:
    """A smart set's members cannot be edited by hand; a query naming an unknown attribute or
    kind is refused; deleting an attribute makes its condition match nothing."""
    ids = _study(project)
    smart = project.sets.create_smart("York", SmartQuery({"Site": ("York",)}))
    with pytest.raises(InvalidValue, match="smart set"):
        project.sets.add(smart.id, [ids["a1"]])
    with pytest.raises(NotFound, match="Region"):
        project.sets.create_smart("x", SmartQuery({"Region": ("North",)}))
    with pytest.raises(InvalidValue, match="kind"):
        project.sets.create_smart("x", SmartQuery(kinds=("video",)))
    static = project.sets.create("static")
    with pytest.raises(InvalidValue, match="static set"):
        project.sets.edit_smart(static.id, SmartQuery())
    assert project.sets.members(smart.id) == [ids["y1"]]
    project.attributes.delete(project.attributes.by_name("Site").id)
    assert project.sets.members(smart.id) == []


def test_deleting_a_document_takes_it_out_of_sets_and_undo_puts_it_back(project: Project) -> None:
    """A deleted document leaves every static set; undoing the delete restores the membership;
    deleting a set leaves its documents in the project."""
    ids = _study(project)
    one = project.sets.create("one", [ids["a1"], ids["y1"]])
    two = project.sets.create("two", [ids["a1"]])
    project.documents.delete(ids["a1"])
    assert project.sets.members(one.id) == [ids["y1"]]
    assert project.sets.members(two.id) == []
    project.undo()
    assert project.sets.members(one.id) == sorted([ids["a1"], ids["y1"]])
    assert [s.name for s in project.sets.sets_of(ids["a1"])] == ["one", "two"]
    project.sets.delete(one.id)
    assert project.documents.get(ids["y1"]).name == "y1"
    assert project.sets.documents_in(["two"]) == {ids["a1"]}
    assert project.sets.all_members() == {"two": frozenset({ids["a1"]})}


def test_sets_in_document_metadata_become_sets_on_upgrade(tmp_path: Path) -> None:
    """A project from before sets kept imported REFI-QDA set names in document metadata; the
    0005_sets migration makes them static sets and takes the names out of the metadata."""
    path = tmp_path / "old.ccproj"
    with Project.create(path, coder="Ann") as project:
        ids = _study(project)
    config = Config()
    config.set_main_option("script_location", str(Path(storage.__file__).parent / "migrations"))
    engine = storage._sqlite_engine(path)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0003_team")
        for name, sets in [("a1", "Pilot\nLeeds"), ("y1", "Pilot")]:
            meta = json.dumps({"sets": sets, "site": "x"})
            conn.exec_driver_sql("UPDATE document SET meta = ? WHERE id = ?", (meta, ids[name]))
    engine.dispose()
    with Project.open(path, coder="Ann") as project:
        assert project.sets.all_members() == {
            "Pilot": frozenset({ids["a1"], ids["y1"]}),
            "Leeds": frozenset({ids["a1"]}),
        }
        assert project.documents.get(ids["a1"]).meta == {"site": "x"}
        project.sets.create("After")  # the ids the upgrade used leave room for new sets


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["create", "add", "remove", "delete", "doc"]),
                  st.integers(0, 3), st.sets(st.integers(0, 3))),
        min_size=1,
        max_size=8,
    )
)  # fmt: skip
def test_undoing_any_run_of_set_steps_restores_every_row(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, int, set[int]]]
) -> None:
    """Whatever mix of creating, filling, emptying and deleting sets and deleting documents,
    undoing every step gives back exactly the rows the project started with."""
    path = tmp_path_factory.mktemp("sets") / "p.ccproj"
    with Project.create(path, coder="Ann") as project:
        docs = [project.documents.add(NewDocument(f"d{n}", f"text {n}")).id for n in range(4)]
        project._stack.done.clear()
        before = snapshot(project)
        done = 0
        for verb, which, chosen in steps:
            sets = project.sets.list()
            alive = {d.id for d in project.documents.list()}
            members = [docs[i] for i in sorted(chosen) if docs[i] in alive]
            target = sets[which % len(sets)].id if sets else None
            if verb == "create":
                project.sets.create(f"set {done}", members)
            elif verb == "doc" and docs[which] in alive:
                project.documents.delete(docs[which])
            elif target is not None and verb == "add" and members:
                project.sets.add(target, members)
            elif target is not None and verb == "remove" and members:
                project.sets.remove(target, members)
            elif target is not None and verb == "delete":
                project.sets.delete(target)
            else:
                continue
            done += 1
        while project.undo_label is not None:
            project.undo()
        assert snapshot(project) == before
