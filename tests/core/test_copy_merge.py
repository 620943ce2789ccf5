"""An offline copy merged back carries what its researcher did beside the coding: speakers'
merges, roles and attributes, document headings, saved queries and autocode provenance."""

from __future__ import annotations

from pathlib import Path

from collabcoder.core.project import Project
from collabcoder.core.search_autocode import provenance_of
from collabcoder.core.search_headings import Heading, keep_headings, sections
from collabcoder.core.search_saved import save_query, saved_queries
from collabcoder.core.transfer import copy_project, merge_project
from tests.core.test_speakers import _add

NOTES = "Interviewer: Why trust?\nPat: Trust grew.\nMD: It did."


def test_speakers_queries_headings_and_provenance_come_back_with_a_copy(
    project: Project, tmp_path: Path
) -> None:
    """In the copy a researcher says MD is Michelle (an alias in one new document), gives Pat
    an attribute, saves a query, autocodes its hits and imports a document with a heading; the
    merge brings each of these into the project as one step, and merging again adds nothing."""
    project.codes.add("Trust")
    _add(project, "one")
    copy_project(project, tmp_path / "offline.ccproj")
    with Project.open(tmp_path / "offline.ccproj", coder="Ann") as offline:
        two = _add(offline, "two", NOTES)
        speakers = offline.speakers
        michelle = speakers.by_name("Interviewer")
        speakers.rename(michelle.id, "Michelle Drumm")
        speakers.alias("MD", michelle.id, document_id=two)
        pat = speakers.by_name("Pat")
        speakers.set_attribute(pat.id, "group", "Young Movers")
        speakers.set_role([pat.id], "facilitator")
        keep_headings(offline, offline.documents.get(two).guid, [Heading(1, 0, 23)])
        save_query(offline, "trust talk", "text", {"query": "trust"})
        result = offline.search.run("trust")
        spans = offline.search.preview_autocode(result.hits, "sentence")
        made = offline.search.autocode(spans, offline.codes.by_path("Trust").id, "trust")
        guids = [s.guid for s in made.segments]
        report = merge_project(offline, project)
        again = merge_project(offline, project)
    assert report.added.get("saved queries") == 1 and report.added.get("headings") == 1
    assert report.added.get("autocode provenance") == len(guids) > 0
    assert again.added.get("saved queries") is None and again.added.get("headings") is None
    two_here = project.documents.by_name("two").id
    pat_here = project.speakers.by_name("Pat")
    assert (pat_here.role, project.speakers.attributes()[pat_here.id]) == (
        "facilitator",
        {"group": "Young Movers"},
    )
    assert project.speakers.resolve(two_here, "MD").name == "Interviewer"  # renamed on one side
    assert "speaker Michelle Drumm: name differs; the project's kept" in report.conflicts
    assert [q.name for q in saved_queries(project)] == ["trust talk"]
    assert set(provenance_of(project, guids)) == set(guids)
    (section,) = sections(project, [two_here])
    assert (section.level, section.start) == (1, 0)


def test_a_label_meaning_another_speaker_on_each_side_is_reported_not_changed(
    project: Project, tmp_path: Path
) -> None:
    """Both sides say what "MD" means, differently: the project keeps its meaning and the
    merge report names the label."""
    _add(project, "one")
    copy_project(project, tmp_path / "offline.ccproj")
    with Project.open(tmp_path / "offline.ccproj", coder="Ann") as offline:
        sam = offline.speakers.by_name("Sam")
        offline.speakers.alias("Mark", sam.id)
        mark = project.speakers.by_name("MD")
        project.speakers.alias("Mark", mark.id)
        report = merge_project(offline, project)
    assert any("'Mark'" in line for line in report.conflicts)
    assert project.speakers.resolve(project.documents.by_name("one").id, "Mark").name == "MD"
