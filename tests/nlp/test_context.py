"""A text is read with its context (its document's categorical case attributes): the same words
mean different things after different survey questions."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from collabcoder.core.codebook_spec import CodeSpec
from collabcoder.core.documents import NewDocument
from collabcoder.core.project import Project
from collabcoder.nlp.learned import LabelledText, LearnedSuggester, TrainingSettings
from collabcoder.nlp.linear import LinearModel, context_tokens
from collabcoder.nlp.service import document_contexts, suggest, training_examples
from collabcoder.nlp.training import inputs_of

PRAISE, COMPLAINT = 1, 2
GOOD = "Question: What was good?"
IMPROVE = "Question: What could we improve?"
SETTINGS = TrainingSettings(threshold_folds=2)
PRAISE_WORDS = ["the nurses were lovely", "great care from everyone", "kind and quick staff"]
COMPLAINT_WORDS = ["the wait was too long", "rude staff at night", "food was always cold"]


def _survey(n: int = 160, seed: int = 0) -> list[LabelledText]:
    """Answers to two questions; "Nothing." praises after 'what could we improve?' and
    complains after 'what was good?'."""
    rng = random.Random(seed)
    examples = []
    for i in range(n):
        question = GOOD if i % 2 else IMPROVE
        if i % 4 < 2:
            code = COMPLAINT if question == GOOD else PRAISE
            examples.append(LabelledText("Nothing.", frozenset({code}), context=(question,)))
        else:
            code = rng.choice([PRAISE, COMPLAINT])
            words = PRAISE_WORDS if code == PRAISE else COMPLAINT_WORDS
            examples.append(LabelledText(rng.choice(words), frozenset({code}), context=(question,)))
    return examples


def test_the_same_words_are_read_after_their_question() -> None:
    """'Nothing.' is predicted a complaint after 'what was good?' and praise after 'what could
    we improve?'; without context the model cannot tell them apart."""
    model = LearnedSuggester.train(_survey(), SETTINGS)
    after_good, after_improve = model.predict(["Nothing.", "Nothing."], [(GOOD,), (IMPROVE,)])
    assert after_good == {COMPLAINT} and after_improve == {PRAISE}
    blind = LearnedSuggester.train(_survey(), replace(SETTINGS, context=False))
    first, second = blind.predict(["Nothing.", "Nothing."], [(GOOD,), (IMPROVE,)])
    assert first == second


def test_context_tokens_are_one_feature_per_attribute() -> None:
    """Names and values become one token each, whatever their spaces, case, punctuation or
    control characters; an attribute without a value still names itself."""
    assert context_tokens(["FFT question: What was good?"]) == "fft_question=what_was_good"
    assert context_tokens(["Site:\tYork\x00 West", "Role:"]) == "site=york_west role="
    assert context_tokens([]) == ""
    assert len(context_tokens(["Note: " + "word " * 100_000]).split()) == 1


def test_models_stored_before_context_read_without_it() -> None:
    """A stored model without the context flag (trained before context was read) loads as a
    words-only model and scores as it did, context given or not."""
    model = LearnedSuggester.train(_survey(60), replace(SETTINGS, context=False))._model
    data = model.to_data()
    del data["context"]
    loaded = LinearModel.from_data(data)
    assert loaded.vectoriser.settings.context is False
    inputs = inputs_of(["Nothing.", "the wait was too long"], [(GOOD,), ()])
    assert (loaded.probabilities(inputs) == model.probabilities(inputs)).all()


def _project(tmp_path: Path) -> Project:
    """Survey answers imported one document per answer, each case holding its question (text)
    and the respondent's age (a number)."""
    specs = [CodeSpec("Praise"), CodeSpec("Complaint")]
    project = Project.create(tmp_path / "survey.ccproj", coder="Ann", codebook=specs)
    ids = {c.name: c.id for c in project.codes.list()}
    question = project.attributes.add("Question", "text")
    age = project.attributes.add("Age", "number")
    for n, example in enumerate(_survey(80)):
        case = project.cases.add(f"respondent {n}")
        project.attributes.set_value(case.id, question.id, example.context[0].split(": ")[1])
        project.attributes.set_value(case.id, age.id, str(20 + n))
        doc = project.documents.add(NewDocument(f"answer {n}", example.text, case_id=case.id))
        (code,) = example.positives
        project.segments.add(
            doc.id, ids["Praise" if code == PRAISE else "Complaint"], 0, len(example.text)
        )
    return project


def test_a_projects_examples_carry_their_cases_categorical_attributes(tmp_path: Path) -> None:
    """Each coded unit is read with its case's question; the age (a number) is not context."""
    project = _project(tmp_path)
    examples = [e for e in training_examples(project) if not e.prior]
    assert {e.context for e in examples} == {(GOOD,), (IMPROVE,)}
    loose = project.documents.add(NewDocument("loose", "Nothing."))
    assert loose.id not in document_contexts(project)


def test_suggestions_follow_the_question_of_the_document(tmp_path: Path) -> None:
    """An uncoded 'Nothing.' answering 'what was good?' is suggested as a complaint, and the
    suggestion's reason names the question."""
    project = _project(tmp_path)
    case = project.cases.add("new respondent")
    project.attributes.set_value(
        case.id, project.attributes.by_name("Question").id, "What was good?"
    )
    doc = project.documents.add(NewDocument("new answer", "Nothing.", case_id=case.id))
    suggest(project, "learned", settings=SETTINGS)
    ids = {c.id: c.name for c in project.codes.list()}
    (found,) = project.suggestions.list(doc.id)
    assert ids[found.code_id] == "Complaint"
    assert "Question: What was good?" in found.reason
