"""Suggestions for a project: learn from its coding, suggest for its documents, store the lot.

Coded documents are the training data: each unit of a coded document is an example whose codes
are the segments covering most of it (or most of which it covers); rejected suggestions are
negative examples; the codebook's entries are prior text for their codes. A unit is read with its
document's categorical case attributes (the question a survey answer replies to, the service),
which the learned model weighs beside its words. The trained model is
stored in the project with what it was trained on, and suggestions replace the open ones of the
documents suggested for; rejected spans never return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from collabcoder.core.errors import InvalidValue, NotFound
from collabcoder.core.heap import no_collector_passes
from collabcoder.core.progress import CancelToken, Progress
from collabcoder.core.speaker_map import SpeakerFilter
from collabcoder.nlp.codebook import project_codebook
from collabcoder.nlp.evaluate import Evaluation, evaluate
from collabcoder.nlp.learned import LabelledText, LearnedSuggester, TrainingSettings, fingerprint
from collabcoder.nlp.lexical import measured, terms_from_records
from collabcoder.nlp.pipeline import load_pipeline
from collabcoder.nlp.suggestion import DocumentText, RejectedSpans, Suggestion
from collabcoder.nlp.units import split_units

if TYPE_CHECKING:
    from collabcoder.core.project import Project
    from collabcoder.core.records import SegmentRecord

METHODS = ("lexical", "learned", "both")


@dataclass(frozen=True)
class SuggestRun:
    """What one suggestion run did."""

    suggestions: tuple[Suggestion, ...]
    stored: int
    document_ids: tuple[int, ...]
    model_version: str | None  # of the learned model, when one was trained


def _covers(segment: SegmentRecord, start: int, end: int) -> bool:
    overlap = min(segment.end, end) - max(segment.start, start)
    return overlap > 0 and 2 * overlap >= min(end - start, segment.end - segment.start)


# Attribute kinds read as context: categories, not quantities (one feature per age or date
# would be noise).
CONTEXT_KINDS = frozenset({"text", "choice", "boolean"})


def document_contexts(project: Project) -> dict[int, tuple[str, ...]]:
    """Each document's categorical case attributes as "name: value", in attribute order."""
    attributes = [a for a in project.attributes.list() if a.kind in CONTEXT_KINDS]
    values = project.attributes.values()
    contexts: dict[int, tuple[str, ...]] = {}
    for document in project.documents.list():
        if document.case_id is not None:
            found = ((a.name, values.get((document.case_id, a.id))) for a in attributes)
            contexts[document.id] = tuple(f"{name}: {value}" for name, value in found if value)
    return contexts


def document_texts(
    project: Project,
    document_ids: Sequence[int],
    texts: Mapping[int, str] | None = None,
    roles: SpeakerFilter | None = None,
    contexts: Mapping[int, tuple[str, ...]] | None = None,
) -> list[DocumentText]:
    """Project documents as the suggesters read them (one query for texts, one for turns;
    ``texts`` and ``contexts`` may hold what was already read). Turns the ``roles`` filter
    leaves out (an interviewer's) are marked skipped: never suggested on, never trained on."""
    texts = project.documents.texts(document_ids) if texts is None else texts
    contexts = document_contexts(project) if contexts is None else contexts
    speakers = project.speakers.map() if roles is not None and roles.active else None
    turns: dict[int, list[tuple[int, int]]] = {}
    skipped: dict[int, set[int]] = {}
    for turn in project.documents.turns(document_ids=document_ids):
        spans = turns.setdefault(turn.document_id, [])
        if roles is not None and not roles.allows(turn.document_id, turn.speaker, speakers):
            skipped.setdefault(turn.document_id, set()).add(len(spans))
        spans.append((turn.start, turn.end))
    return [
        DocumentText(
            i, texts[i], tuple(turns.get(i, ())), frozenset(skipped.get(i, ())), contexts.get(i, ())
        )
        for i in document_ids
    ]


def training_examples(
    project: Project,
    roles: SpeakerFilter | None = None,
    contexts: Mapping[int, tuple[str, ...]] | None = None,
) -> list[LabelledText]:
    """Units of every coded document with their codes, every rejected suggestion, then the
    codebook's texts of each code; units in turns the ``roles`` filter leaves out are not.
    ``contexts`` may hold :func:`document_contexts` already read."""
    by_document: dict[int, list[SegmentRecord]] = {}
    for segment in project.segments.list():
        by_document.setdefault(segment.document_id, []).append(segment)
    nlp = load_pipeline()
    texts = project.documents.texts()
    contexts = document_contexts(project) if contexts is None else contexts
    examples = []
    for document in document_texts(project, list(by_document), texts, roles, contexts):
        segments = by_document[document.document_id]
        for unit in split_units(nlp, document.text, document.turns, skipped=document.skipped):
            codes = frozenset(s.code_id for s in segments if _covers(s, unit.start, unit.end))
            text = document.text[unit.start : unit.end]
            examples.append(LabelledText(text, codes, context=document.context))
    for rejected in project.suggestions.list(status="rejected"):
        text = texts[rejected.document_id][rejected.start : rejected.end]
        examples.append(
            LabelledText(
                text,
                negatives=frozenset({rejected.code_id}),
                complete=False,
                context=contexts.get(rejected.document_id, ()),
            )
        )
    return examples + project_codebook(project.codes.list())


def _targets(project: Project, names: Sequence[str] | None, sets: Sequence[str] = ()) -> list[int]:
    """The named documents, plus the uncoded documents of ``sets``; with neither, every uncoded
    document."""
    named = [project.documents.by_name(name).id for name in names or ()]
    if named and not sets:
        return named
    coded = {s.document_id for s in project.segments.list()}
    pool = project.sets.documents_in(sets) if sets else None
    uncoded = [
        d.id
        for d in project.documents.list()
        if d.id not in coded and (pool is None or d.id in pool)
    ]
    return list(dict.fromkeys([*named, *uncoded]))


def _requested(settings: TrainingSettings | None) -> TrainingSettings:
    return settings or TrainingSettings()


# Training and suggesting hold one example per unit of every coded document until they end:
# collector passes over them held the GIL long enough to freeze the window.
@no_collector_passes()
def train_learned(
    project: Project,
    settings: TrainingSettings | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    examples: Sequence[LabelledText] | None = None,
) -> LearnedSuggester:
    """Train on the project's coding and store the model (replacing the previous one).

    Beside the model's own record, the stored ``trained_on`` keeps the fingerprint of what was
    asked for (the project's coding and the requested settings), so :func:`current_learned` can
    tell whether the stored model is still up to date.
    """
    examples = training_examples(project) if examples is None else examples
    model = LearnedSuggester.train(examples, settings, progress, cancel)
    trained_on = {**model.record.as_json(), "request": fingerprint(examples, _requested(settings))}
    project.models.save(LearnedSuggester.method, model.version, trained_on, model.to_bytes())
    return model


def current_learned(
    project: Project,
    settings: TrainingSettings | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    examples: Sequence[LabelledText] | None = None,
) -> LearnedSuggester:
    """The stored model if it was trained on exactly the project's current coding; otherwise a
    model retrained now (so the model follows the coding, and unchanged coding costs nothing).
    ``examples`` may hold :func:`training_examples` already read."""
    examples = training_examples(project) if examples is None else examples
    stored = project.models.latest(LearnedSuggester.method)
    if stored is not None and stored.trained_on.get("request") == fingerprint(
        examples, _requested(settings)
    ):
        return LearnedSuggester.from_bytes(stored.data)
    return train_learned(project, settings, progress, cancel, examples)


def stored_learned(project: Project) -> LearnedSuggester | None:
    """The project's last trained model, if any."""
    stored = project.models.latest(LearnedSuggester.method)
    return LearnedSuggester.from_bytes(stored.data) if stored else None


@no_collector_passes()
def suggest(
    project: Project,
    method: str = "both",
    document_names: Sequence[str] | None = None,
    settings: TrainingSettings | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    sets: Sequence[str] = (),
    roles: SpeakerFilter | None = None,
) -> SuggestRun:
    """Suggest codes for the named documents (default: every uncoded one) and store them.

    ``sets``: also (or, without names, only) the uncoded documents of these document sets.

    The learned model is retrained first when the coding changed since it was trained; the
    lexical suggester's weights are measured on the coding as it is now. Turns the ``roles``
    filter leaves out (say, the interviewer's) are neither suggested on nor trained on.
    """
    if method not in METHODS:
        raise InvalidValue(f"unknown suggestion method {method!r}; use one of {', '.join(METHODS)}")
    targets = _targets(project, document_names, sets)
    contexts = document_contexts(project)
    documents = document_texts(project, targets, roles=roles, contexts=contexts)
    rejected = RejectedSpans(project.suggestions.rejected_spans())
    found: list[Suggestion] = []
    version = None
    examples = training_examples(project, roles, contexts)
    if method in ("lexical", "both"):
        coded = [e for e in examples if e.complete and not e.prior]
        lexical = measured(
            terms_from_records(project.codes.list()),
            [e.text for e in coded],
            [e.positives for e in coded],
        )
        found += lexical.suggest(documents, rejected=rejected)
    if method in ("learned", "both"):
        try:
            model = current_learned(project, settings, progress, cancel, examples)
        except InvalidValue:
            if method == "learned":
                raise
        else:
            version = model.version
            found += model.suggest(documents, rejected=rejected)
    from collabcoder.core.suggestions import NewSuggestion

    stored = project.suggestions.replace_open(
        [
            NewSuggestion(
                s.document_id,
                s.code_id,
                s.start,
                s.end,
                s.score,
                s.method,
                s.reason,
                s.model_version,
            )
            for s in found
        ],
        targets,
    )
    return SuggestRun(tuple(found), stored, tuple(targets), version)


def evaluate_project(
    project: Project,
    folds: int = 5,
    settings: TrainingSettings | None = None,
    with_curve: bool = True,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    with_baseline: bool = True,
) -> Evaluation:
    """Cross-validated quality of the learned suggester on the project's own coding, with the
    standard classifier's on the same folds (``with_baseline``)."""
    examples = training_examples(project)
    if not any(e.positives for e in examples if not e.prior):
        raise NotFound("nothing is coded yet, so there is nothing to evaluate suggestions against")
    return evaluate(examples, folds, settings, with_curve, progress, cancel, with_baseline)
