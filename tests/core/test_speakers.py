"""Speakers as first-class things: one person across documents, aliases, roles, attributes.

Turns keep their labels; the speaker list resolves them. Import and the 0004 migration create
speakers, every edit is one undo step, and role filters reach search and coding queries.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from collabcoder.core import storage
from collabcoder.core.changes import Kind
from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.errors import InvalidValue, NotFound
from collabcoder.core.project import Project
from collabcoder.core.speaker_map import guess_role
from collabcoder.core.team_security import LEAD_TABLES

TEXT = "Interviewer: How is the funding?\nMD: Funding is short.\nSam: We trust them."


def _turns(body: str) -> list[NewTurn]:
    turns, start = [], 0
    for line in body.split("\n"):
        label = line.split(":", 1)[0]
        turns.append(NewTurn(label, start, start + len(line)))
        start += len(line) + 1
    return turns


def _add(project: Project, name: str, body: str = TEXT, meta: dict[str, str] | None = None) -> int:
    new = NewDocument(name, body, kind="transcript", turns=_turns(body), meta=meta or {})
    return project.documents.add(new).id


def _names(project: Project) -> dict[str, str]:
    return {s.name: s.role for s in project.speakers.records()}


def test_import_gives_each_label_a_speaker_reusing_names_case_insensitively(
    project: Project,
) -> None:
    """Each distinct label of an imported document becomes a speaker; a later document's
    label of the same name (in another case) reuses it; turns keep their labels. Sam's words
    are those of his two turns (which here span their labels): 4 + 2."""
    first = _add(project, "one")
    second = _add(project, "two", "interviewer: Hello?\nsam: Hi.")
    assert _names(project) == {
        "Interviewer": "interviewer",
        "MD": "participant",
        "Sam": "participant",
    }
    assert [t.speaker for t in project.documents.turns(second)] == ["interviewer", "sam"]
    sam = project.speakers.by_name("Sam")
    assert project.speakers.resolve(first, "Sam") == sam
    assert project.speakers.resolve(second, "sam") == sam
    listing = {item.speaker.name: item for item in project.speakers.list()}
    assert (listing["Sam"].documents, listing["Sam"].turns, listing["Sam"].words) == (2, 2, 6)


def test_undoing_an_import_removes_the_speakers_it_created(project: Project) -> None:
    """The speakers an import creates belong to the import's own undo step."""
    _add(project, "one")
    project.undo()
    assert project.speakers.records() == [] and project.speakers.aliases() == []


def test_role_is_guessed_from_labels_and_metadata() -> None:
    """Role labels (Interviewer, INT, Q, Moderator 2) and the hosts a transcript's front matter
    names (also by first name) are interviewers or facilitators; everyone else participates."""
    assert guess_role("INT") == guess_role("Q") == guess_role("Interviewer:") == "interviewer"
    assert guess_role("Moderator 2") == "facilitator"
    hosts = {"hosts": "Michelle Drumm"}
    assert guess_role("Michelle", hosts) == guess_role("michelle drumm", hosts) == "interviewer"
    assert guess_role("Toby", hosts) == "participant"


def _old_project(location: str) -> None:
    """A project at schema 0003_team with two transcripts' turns written straight in SQL."""
    is_url = "://" in location
    engine = create_engine(location) if is_url else storage._sqlite_engine(Path(location))
    config = Config()
    config.set_main_option("script_location", str(Path(storage.__file__).parent / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003_team")
        conn.execute(text("INSERT INTO project_info (key, value) VALUES ('name', 'old')"))
        for n, (body, meta) in enumerate(
            [(TEXT, {}), ("INTERVIEWER: Why?\nTom: Because.", {"interviewer": "Tom"})]
        ):
            document = conn.execute(
                text(
                    "INSERT INTO document (guid, name, kind, text, meta, source_name, sha256, "
                    "word_count, created) VALUES (:guid, :name, 'transcript', :text, :meta, '', "
                    "'', 0, '') RETURNING id"
                ),
                {"guid": f"guid-{n}", "name": f"doc {n}", "text": body, "meta": json.dumps(meta)},
            ).scalar_one()
            for turn in _turns(body):
                conn.execute(
                    text(
                        'INSERT INTO turn (document_id, speaker, start, "end") '
                        "VALUES (:d, :s, :a, :b)"
                    ),
                    {"d": document, "s": turn.speaker, "a": turn.start, "b": turn.end},
                )
    engine.dispose()


def test_migration_creates_speakers_from_existing_turns(backend: str) -> None:
    """Upgrading a 0003 project gives each distinct label (case aside) one speaker with a
    project-wide alias and a guessed role; turns, their labels and offsets are untouched, and a
    speaker added afterwards gets a fresh id."""
    _old_project(backend)
    with Project.open(backend, coder="Ann") as project:
        before = [(t.speaker, t.start, t.end) for t in project.documents.turns()]
        assert _names(project) == {
            "Interviewer": "interviewer",
            "MD": "participant",
            "Sam": "participant",
            "Tom": "interviewer",  # the second document's metadata names its interviewer
        }
        docs = {d.name: d.id for d in project.documents.list()}
        assert project.speakers.resolve(docs["doc 1"], "INTERVIEWER") == (
            project.speakers.by_name("Interviewer")
        )
        _add(project, "three", "Ann: New here.")
        assert "Ann" in _names(project)
        assert [(t.speaker, t.start, t.end) for t in project.documents.turns()][: len(before)] == (
            before
        )


def test_a_documents_own_alias_wins_over_the_project_wide_one(project: Project) -> None:
    """'MD' means one speaker everywhere but, by an alias for one document, another there."""
    one, two = _add(project, "one"), _add(project, "two")
    michelle = project.speakers.by_name("MD")
    project.speakers.rename(michelle.id, "Michelle Drumm")
    project.speakers.alias("MD", project.speakers.by_name("Sam").id, two)
    assert project.speakers.resolve(one, "md") == project.speakers.get(michelle.id)
    assert project.speakers.resolve(two, "MD") == project.speakers.by_name("Sam")
    project.undo()
    assert project.speakers.resolve(two, "MD") == project.speakers.get(michelle.id)


def test_merge_moves_labels_attributes_and_memo_and_undoes_exactly(project: Project) -> None:
    """Merging 'Michelle' into 'Michelle Drumm' makes both documents' labels mean one speaker,
    moves attributes the target lacks and the memo; undo restores every row, redo again."""
    one = _add(project, "one", "Michelle Drumm: Hi.\nSam: Hello.")
    two = _add(project, "two", "Michelle: Welcome.\nToby: Thanks.")
    source, target = (
        project.speakers.by_name("Michelle"),
        project.speakers.by_name("Michelle Drumm"),
    )
    project.speakers.set_attribute(source.id, "organisation", "Iriss")
    project.speakers.set_attribute(source.id, "site", "Glasgow")
    project.speakers.set_attribute(target.id, "site", "Edinburgh")
    project.speakers.set_memo(source.id, "Hosts the podcast.")
    before = (project.speakers.records(), project.speakers.aliases(), project.speakers.attributes())
    project.speakers.merge(source.id, target.id)
    assert project.last_changes.touched(Kind.SPEAKERS)
    assert project.speakers.resolve(two, "Michelle") == project.speakers.get(target.id)
    assert project.speakers.resolve(one, "Michelle Drumm") == project.speakers.get(target.id)
    assert project.speakers.attributes()[target.id] == {
        "organisation": "Iriss",
        "site": "Edinburgh",
    }
    assert project.speakers.get(target.id).memo == "Hosts the podcast."
    merged = {i.speaker.name: i for i in project.speakers.list()}["Michelle Drumm"]
    assert (merged.documents, merged.turns) == (2, 2)
    with pytest.raises(NotFound):
        project.speakers.get(source.id)
    project.undo()
    assert (
        project.speakers.records(),
        project.speakers.aliases(),
        project.speakers.attributes(),
    ) == before
    project.redo()
    assert project.speakers.resolve(two, "Michelle") == project.speakers.get(target.id)


def test_edits_are_checked_and_each_is_one_undo_step(project: Project) -> None:
    """A taken name, an unknown role and merging into oneself are refused; rename, role and
    attribute changes are steps of their own."""
    _add(project, "one")
    sam, md = project.speakers.by_name("Sam"), project.speakers.by_name("MD")
    with pytest.raises(InvalidValue, match="merge"):
        project.speakers.rename(sam.id, "md")
    with pytest.raises(InvalidValue, match="role"):
        project.speakers.set_role([sam.id], "chair")
    with pytest.raises(InvalidValue):
        project.speakers.merge(sam.id, sam.id)
    project.speakers.rename(md.id, "Michelle Drumm")
    project.speakers.set_role([md.id], "facilitator")
    project.speakers.set_attribute(sam.id, "age", "30-39")
    assert project.undo_label == "Set age of speaker Sam"
    project.undo()
    project.undo()
    assert project.speakers.get(md.id).role == "participant"
    project.undo()
    assert project.speakers.get(md.id).name == "MD"
    assert project.speakers.attributes() == {}


def test_deleting_a_document_removes_its_own_aliases(project: Project) -> None:
    """An alias for one document goes with it (the speakers stay in the list)."""
    one = _add(project, "one")
    project.speakers.alias("Sam", project.speakers.by_name("MD").id, one)
    project.documents.delete(one)
    assert all(a.document_id is None for a in project.speakers.aliases())
    assert "Sam" in _names(project)


def test_speaker_tables_have_a_kind_and_lead_grants() -> None:
    """The new tables are known to the journal (a Kind) and written by leads on a team."""
    from collabcoder.core.changes import TABLE_KINDS

    for table in ("speaker", "speaker_alias", "speaker_attribute"):
        assert TABLE_KINDS[table] is Kind.SPEAKERS
        assert table in LEAD_TABLES


def test_role_filters_in_search_and_coding_queries(project: Project) -> None:
    """Excluding interviewer turns drops the interviewer's words from search and their coded
    passages from a coding query; a speaker named in scope also finds the labels meaning them."""
    one = _add(project, "one")
    md = project.speakers.by_name("MD")
    project.speakers.rename(md.id, "Michelle Drumm")
    project.speakers.set_role([md.id], "interviewer")
    search = project.search
    assert len(search.run("funding").hits) == 2
    interviewer_out = search.run("funding", scope=search.scope(exclude_roles=["interviewer"]))
    assert [h.speaker for h in interviewer_out.hits] == []
    only = search.run("funding", scope=search.scope(roles=["interviewer"]))
    assert sorted(h.speaker for h in only.hits) == ["Interviewer", "MD"]
    named = search.run("funding", scope=search.scope(speakers=["Michelle Drumm"]))
    assert [h.speaker for h in named.hits] == ["MD"]
    with pytest.raises(NotFound):
        search.scope(speakers=["Nobody"])
    with pytest.raises(InvalidValue):
        search.scope(exclude_roles=["chair"])
    code = project.codes.add("Money")
    for line in TEXT.split("\n"):
        start = TEXT.index(line)
        project.segments.add(one, code.id, start, start + len(line))
    passages = search.coding_query("Money", search.scope(exclude_roles=["interviewer"]))
    assert [p.speaker for p in passages] == ["Sam"]


PUBLIC_SECTOR = "Doing public service management differently"


def test_excluding_interviewer_turns_on_the_real_transcripts(
    project: Project, shared_data: Path
) -> None:
    """On the Iriss transcripts the hosts (Michelle Drumm; 'Michelle' and 'INT' in the other
    file) are guessed interviewers from the front matter. 'outcome' is said 25 times in turns:
    twice by the host, 23 times by guests (counted by hand with grep over the turn texts, as
    the oracle below does); merged into one speaker, the host's name finds both labels."""
    import re

    from collabcoder.io.batch import import_files

    import_files(project, sorted((shared_data / "transcripts").glob("*.md")))
    roles = _names(project)
    assert {n for n, r in roles.items() if r == "interviewer"} == {
        "Michelle Drumm",
        "Michelle",
        "INT",
    }
    texts = {d.id: project.documents.text(d.id) for d in project.documents.list()}
    word = re.compile(r"(?i)\boutcomes?\b")
    said: dict[bool, int] = {True: 0, False: 0}
    for turn in project.documents.turns():
        host = turn.speaker in {"Michelle Drumm", "Michelle", "INT"}
        said[host] += len(word.findall(texts[turn.document_id][turn.start : turn.end]))
    assert said == {True: 2, False: 23}
    search = project.search
    assert len(search.run("outcome").hits) == 25
    assert len(search.run("outcome", scope=search.scope(exclude_roles=["interviewer"])).hits) == 23
    assert len(search.run("outcome", scope=search.scope(roles=["interviewer"])).hits) == 2
    host = project.speakers.by_name("Michelle Drumm")
    for other in ("Michelle", "INT"):
        project.speakers.merge(project.speakers.by_name(other).id, host.id)
    by_name = search.run("outcome", scope=search.scope(speakers=["Michelle Drumm"])).hits
    assert len(by_name) == 2 and {h.document for h in by_name} == {PUBLIC_SECTOR}
    listing = {i.speaker.name: i for i in project.speakers.list()}
    assert (listing["Michelle Drumm"].documents, listing["Michelle Drumm"].turns) == (2, 36)


def test_merging_a_copy_back_gives_its_new_labels_speakers(
    project: Project, tmp_path: Path
) -> None:
    """A document imported into an offline copy merges back with its turns; their labels mean
    speakers in the target as they would on import (an existing name is reused)."""
    from collabcoder.core.transfer import copy_project, merge_project

    _add(project, "one")
    copy_project(project, tmp_path / "offline.ccproj")
    with Project.open(tmp_path / "offline.ccproj", coder="Ann") as offline:
        _add(offline, "two", "sam: Back again.\nZoe: New voice.")
        merge_project(offline, project)
    assert set(_names(project)) == {"Interviewer", "MD", "Sam", "Zoe"}
    two = project.documents.by_name("two").id
    assert project.speakers.resolve(two, "sam") == project.speakers.by_name("Sam")
