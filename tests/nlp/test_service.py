"""Suggestions wired to a real project: train, store, suggest, accept/reject/undo, evaluate."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import NewDocument, NewTurn
from collabcoder.core.project import Project
from collabcoder.nlp.learned import LearnedSuggester, TrainingSettings
from collabcoder.nlp.service import evaluate_project, stored_learned, suggest, training_examples
from tests.nlp.test_learned import PHRASES, _corpus

SETTINGS = TrainingSettings(threshold_folds=2)
NAMES = {1: "Parking", 2: "Staff", 3: "Food"}


@pytest.fixture()
def project(tmp_path: Path) -> Project:
    """A project with 3 codes, 60 coded comments and one uncoded transcript."""
    specs = [
        CodeSpec(name, keywords=[PHRASES[code][0].split()[-1]]) for code, name in NAMES.items()
    ]
    p = Project.create(tmp_path / "p.ccproj", coder="Ann", codebook=specs)
    ids = {c.name: c.id for c in p.codes.list()}
    for n, example in enumerate(_corpus(60)):
        doc = p.documents.add(NewDocument(f"comment {n}", example.text))
        for code in example.positives:
            p.segments.add(doc.id, ids[NAMES[code]], 0, len(example.text))
    text = "Staff were rude to me.\nThe car park was full."
    p.documents.add(
        NewDocument(
            "call", text, "transcript", turns=[NewTurn("A", 0, 22), NewTurn("B", 23, len(text))]
        )
    )
    return p


def test_suggests_for_uncoded_documents_and_stores_the_model(project: Project) -> None:
    """The uncoded transcript gets learned and lexical suggestions; the model is kept."""
    run = suggest(project, "both", settings=SETTINGS)
    call = project.documents.by_name("call")
    assert run.document_ids == (call.id,)
    stored = project.suggestions.list(call.id)
    assert len(stored) == run.stored > 0
    ids = {c.name: c.id for c in project.codes.list()}
    spans = {(s.start, s.end, s.code_id, s.method) for s in stored}
    assert (0, 22, ids["Staff"], "learned") in spans
    assert (23, 45, ids["Parking"], "learned") in spans
    model = stored_learned(project)
    assert isinstance(model, LearnedSuggester)
    assert model.version == run.model_version
    assert project.models.latest("learned").trained_on["examples"] == 60


def test_model_is_reused_until_the_coding_changes(project: Project) -> None:
    """Suggesting again with unchanged coding reuses the stored model; new coding retrains it."""
    first = suggest(project, "learned", settings=SETTINGS)
    stored = project.models.latest("learned")
    assert stored is not None
    again = suggest(project, "learned", settings=SETTINGS)
    assert again.model_version == first.model_version
    assert project.models.latest("learned") == stored  # not trained or stored anew
    call = project.documents.by_name("call")
    comment = project.documents.by_name("comment 0")
    project.segments.add(comment.id, project.codes.by_path("Food").id, 0, 5)
    retrained = suggest(project, "learned", settings=SETTINGS, document_names=[call.name])
    assert retrained.model_version != first.model_version
    assert project.models.latest("learned").version == retrained.model_version


def test_accept_reject_undo_and_no_resuggestion(project: Project) -> None:
    """Accepting codes the span (undoable); a rejected span is learned from and not re-suggested."""
    suggest(project, "learned", settings=SETTINGS)
    call = project.documents.by_name("call")
    first, second = sorted(project.suggestions.list(call.id), key=lambda s: s.start)[:2]
    segment = project.suggestions.accept(first.id)
    assert (segment.start, segment.end, segment.origin) == (first.start, first.end, "suggestion")
    project.undo()
    assert all(s.document_id != call.id for s in project.segments.list())
    project.suggestions.reject(second.id)
    assert any(not e.complete for e in training_examples(project))
    suggest(project, "learned", ["call"], settings=SETTINGS)
    again = {(s.start, s.end, s.code_id) for s in project.suggestions.list(call.id)}
    assert (second.start, second.end, second.code_id) not in again


def test_evaluate_project(project: Project) -> None:
    """Cross-validation over the project's coded units scores each learned code."""
    result = evaluate_project(project, folds=3, settings=SETTINGS, with_curve=False)
    assert result.documents == 60
    assert len(result.scores.per_code) == 3
    assert result.scores.micro.f1 > 0.8


def test_cli_suggest_json(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """`collabcoder suggest PROJECT --method lexical --json` prints code paths and reasons."""
    from collabcoder.cli import main

    location = project.location
    project.close()
    assert main(["suggest", location, "--method", "lexical", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["code"] for r in rows} == {"Parking", "Staff"}
    assert rows[0]["document"] == "call" and rows[0]["reason"].startswith("matched:")


def test_cli_evaluate_prints_the_baseline_beside_ours(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """`collabcoder suggest evaluate` reports ours and the scikit-learn baseline, on the same
    folds, as JSON and as text."""
    from collabcoder.cli import main

    location = project.location
    project.close()
    assert main(["suggest", "evaluate", location, "--folds", "2", "--no-curve", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["baseline"]) == {"micro", "macro"}
    assert 0 <= data["baseline"]["micro"]["f1"] <= 1
    assert main(["suggest", "evaluate", location, "--folds", "2", "--no-curve"]) == 0
    out = capsys.readouterr().out
    assert "| baseline precision" in out and "ours / baseline F1" in out


def test_turns_of_an_excluded_role_are_neither_suggested_on_nor_trained_on(
    project: Project,
) -> None:
    """With speaker A an interviewer, "exclude interviewer turns" suggests nothing inside A's
    turn (where lexical suggests Staff without the filter), and a coded interviewer turn gives
    no training example; the other speaker's turn is suggested on as before."""
    from collabcoder.core.speaker_map import SpeakerFilter

    speakers = project.speakers
    speakers.set_role([speakers.by_name("A").id], "interviewer")
    inside_a = [s for s in suggest(project, "lexical", ["call"]).suggestions if s.end <= 22]
    assert inside_a
    without = SpeakerFilter(exclude_roles=("interviewer",))
    run = suggest(project, "lexical", ["call"], roles=without)
    assert run.suggestions and all(s.start >= 23 for s in run.suggestions)
    call = project.documents.by_name("call")
    project.segments.add(call.id, project.codes.by_path("Staff").id, 0, 22)
    every, kept = training_examples(project), training_examples(project, without)
    # The call's units are its two turns; only A's (coded Staff) is left out.
    assert len(every) - len(kept) == 1
    left_out = Counter(e.text for e in every) - Counter(e.text for e in kept)
    assert list(left_out.elements()) == ["Staff were rude to me."]


def test_cli_evaluate_prints_per_code_and_curves_of_both(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """`suggest evaluate` gives each code's precision, recall and F1 for ours and the baseline,
    and a learning curve for each, on the same training subsets."""
    from collabcoder.cli import main

    location = project.location
    project.close()
    assert main(["suggest", "evaluate", location, "--folds", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {c["code"] for c in data["codes"]} == set(NAMES.values())
    for code in data["codes"]:
        assert set(code["baseline"]) == {"precision", "recall", "f1"}
    ours = [p["documents"] for p in data["learning_curve"]]
    assert ours and ours == [p["documents"] for p in data["baseline_learning_curve"]]
    assert main(["suggest", "evaluate", location, "--folds", "2"]) == 0
    out = capsys.readouterr().out
    assert "baseline F1" in out.splitlines()[0]
    assert f"after {ours[-1]} units: micro-F1" in out and "| baseline" in out.splitlines()[-1]


def test_the_sample_project_gets_a_learned_suggestion(tmp_path: Path) -> None:
    """A project starting out (the bundled sample: a few coded interviews) still gets learned
    suggestions: with one or two held-out positives per code, the codes' cuts lean on the cut
    they share rather than on their own tiny evidence."""
    from collabcoder.io.sample_project import build_sample_project, default_sample_folder

    location = build_sample_project(default_sample_folder(), tmp_path / "sample.ccproj")
    project = Project.open(location, "tester")
    run = suggest(project, "learned")
    assert run.suggestions and all(s.method == "learned" for s in run.suggestions)
    project.close()
