"""REFI-QDA ``<Sets>``: document sets written and read, smart sets through their Description,
sets from other tools (codes, unknown GUIDs), and merging by GUID."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.core.sets import SmartQuery
from collabcoder.io.refi.conventions import SMART_SET_LABEL
from collabcoder.io.refi.project_export import export_qdpx
from collabcoder.io.refi.project_import import import_qdpx

NS = {"q": "urn:QDA-XML:project:1.0"}
ONE, TWO = "6f1e9a52-3c1d-4f7e-9b0a-2f4c8d1e5a77", "7a2e9a52-3c1d-4f7e-9b0a-2f4c8d1e5a78"
CODE = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
NOWHERE = "99999999-3c1d-4f7e-9b0a-2f4c8d1e5a79"
SET_A, SET_B = "11111111-aaaa-4bbb-8ccc-000000000001", "11111111-aaaa-4bbb-8ccc-000000000002"
SET_C = "11111111-aaaa-4bbb-8ccc-000000000003"


def _qde(sets: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="tiny" origin="MAXQDA 2022">
  <CodeBook><Codes><Code guid="{CODE}" name="Trust" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{ONE}" name="one" plainTextPath="internal://{ONE}.txt"/>
    <TextSource guid="{TWO}" name="two" plainTextPath="internal://{TWO}.txt"/>
  </Sources>
  <Sets>{sets}</Sets>
</Project>"""


def _file(path: Path, sets: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", _qde(sets))
        archive.writestr(f"sources/{ONE}.txt", "We trust each other.")
        archive.writestr(f"sources/{TWO}.txt", "Funding was short.")
    return path


def _sets(project: Project) -> dict[str, tuple[str, bool, list[str]]]:
    names = {d.id: d.name for d in project.documents.list()}
    return {
        s.name: (s.description, s.smart, sorted(names[i] for i in project.sets.members(s.id)))
        for s in project.sets.list()
    }


def test_sets_from_another_tool_with_unknown_members_and_codes(tmp_path: Path) -> None:
    """A set naming a source that does not exist keeps its known members and warns; a set of
    codes and sources becomes a document set plus a project memo listing the codes; nothing
    else is written for the unknown GUIDs."""
    sets = f"""
    <Set guid="{SET_A}" name="Wave 1"><Description>first round</Description>
      <MemberSource targetGUID="{ONE}"/><MemberSource targetGUID="{NOWHERE}"/></Set>
    <Set guid="{SET_B}" name="Mixed">
      <MemberCode targetGUID="{CODE}"/><MemberSource targetGUID="{TWO}"/></Set>
    <Set guid="{SET_C}" name="wave 1"/>"""
    report = import_qdpx(_file(tmp_path / "a.qdpx", sets), tmp_path / "a.ccproj", coder="Ann")
    assert any("Wave 1" in w and "1 source(s)" in w for w in report.warnings), report.lines()
    assert report.carried["sets"] == 3
    with Project.open(tmp_path / "a.ccproj", coder="Ann") as project:
        assert _sets(project) == {
            "Wave 1": ("first round", False, ["one"]),
            "Mixed": ("", False, ["two"]),
            "wave 1 (2)": ("", False, []),
        }
        memos = {m.title: m.text for m in project.memos.list()}
        assert memos["Set: Mixed"] == "Codes: Trust"
        assert project.counts().documents == 2


def test_smart_set_description_that_cannot_be_read_stays_text(tmp_path: Path) -> None:
    """A Description with our label but no valid query, or a query naming an attribute the
    project lacks, leaves a static set of the members written (warned where it was a query)."""
    sets = f"""
    <Set guid="{SET_A}" name="Broken"><Description>{SMART_SET_LABEL} {{not json</Description>
      <MemberSource targetGUID="{ONE}"/></Set>
    <Set guid="{SET_B}" name="Elsewhere">
      <Description>{SMART_SET_LABEL} {{"where": {{"Region": ["North"]}}, "kinds": []}}</Description>
      <MemberSource targetGUID="{TWO}"/></Set>"""
    report = import_qdpx(_file(tmp_path / "b.qdpx", sets), tmp_path / "b.ccproj", coder="Ann")
    assert any("Region" in w for w in report.warnings), report.lines()
    with Project.open(tmp_path / "b.ccproj", coder="Ann") as project:
        shown = _sets(project)
        assert shown["Broken"] == (f"{SMART_SET_LABEL} {{not json", False, ["one"])
        assert shown["Elsewhere"] == ("", False, ["two"])


def test_merge_matches_sets_by_guid_and_adds_new_members(tmp_path: Path) -> None:
    """Importing the same sets again into the project adds no set; a member the file adds
    joins the project's set of that GUID."""
    first = f'<Set guid="{SET_A}" name="Wave 1"><MemberSource targetGUID="{ONE}"/></Set>'
    import_qdpx(_file(tmp_path / "1.qdpx", first), tmp_path / "m.ccproj", coder="Ann")
    later = (
        f'<Set guid="{SET_A.upper()}" name="Renamed there">'
        f'<MemberSource targetGUID="{ONE}"/><MemberSource targetGUID="{TWO}"/></Set>'
    )
    with Project.open(tmp_path / "m.ccproj", coder="Ann") as project:
        import_qdpx(_file(tmp_path / "2.qdpx", later), project, merge=True)
        assert _sets(project) == {"Wave 1": ("", False, ["one", "two"])}
        project.undo()
        assert _sets(project) == {"Wave 1": ("", False, ["one"])}


def test_smart_set_is_written_as_members_and_read_back_as_a_query(
    tmp_path: Path, shared_data: Path
) -> None:
    """Export writes a smart set's current members and its query in the Description (valid
    against Project.xsd, and said in the fidelity report); importing restores the smart set,
    whose members then follow the attributes again; a partial export writes only the members
    exported."""
    with Project.create(tmp_path / "s.ccproj", coder="Ann") as project:
        site = project.attributes.add("Site")
        leeds, york = project.cases.add("Leeds"), project.cases.add("York")
        project.attributes.set_value(leeds.id, site.id, "Leeds")
        project.attributes.set_value(york.id, site.id, "York")
        a = project.documents.add(NewDocument("a", "text a", case_id=leeds.id))
        b = project.documents.add(NewDocument("b", "text b", case_id=york.id))
        project.sets.create_smart("Leeds", SmartQuery({"Site": ("leeds",)}), "north")
        project.sets.create("Both", [a.id, b.id])
        report = export_qdpx(project, tmp_path / "s.qdpx")
        partial = export_qdpx(project, tmp_path / "part.qdpx", document_ids=[b.id])
    assert any("smart sets (Leeds)" in w for w in report.warnings)
    schema = etree.XMLSchema(etree.parse(str(shared_data / "refi" / "Project.xsd")))
    with zipfile.ZipFile(tmp_path / "s.qdpx") as archive:
        root = etree.fromstring(archive.read("project.qde"))
    schema.assertValid(root)
    (smart,) = root.findall("q:Sets/q:Set[@name='Leeds']", NS)
    assert smart.findtext("q:Description", namespaces=NS).startswith("north\n\n" + SMART_SET_LABEL)
    assert [m.get("targetGUID") for m in smart.findall("q:MemberSource", NS)] == [a.guid]
    with zipfile.ZipFile(tmp_path / "part.qdpx") as archive:
        part = etree.fromstring(archive.read("project.qde"))
    schema.assertValid(part)
    (both,) = part.findall("q:Sets/q:Set[@name='Both']", NS)
    assert [m.get("targetGUID") for m in both.findall("q:MemberSource", NS)] == [b.guid]
    assert partial.carried["sets"] == 2

    import_qdpx(tmp_path / "s.qdpx", tmp_path / "back.ccproj", coder="Ann")
    with Project.open(tmp_path / "back.ccproj", coder="Ann") as back:
        record = back.sets.by_name("Leeds")
        assert record.description == "north"
        assert record.query == SmartQuery({"Site": ("leeds",)})
        york_back = back.cases.by_name("York")
        back.attributes.set_value(york_back.id, back.attributes.by_name("Site").id, "Leeds")
        assert len(back.sets.members(record.id)) == 2
