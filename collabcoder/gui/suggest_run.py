"""One "Suggest codes" run on the worker: say what it is doing, and why it found nothing.

The first run loads spaCy's language model and trains the learned model, which takes a while
with no step of its own to show; each stage is named in the progress dialog. When a run stores no
suggestion the reasons come from what the run used (the stored model's codes, the codes'
keywords, the rejected passages), with what the researcher can do about each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collabcoder.core.errors import Cancelled

from .ops import Work

if TYPE_CHECKING:
    from collabcoder.core.project import Project


@dataclass(frozen=True)
class SuggestOutcome:
    run: Any  # nlp.service.SuggestRun
    why_none: str  # empty unless the run stored no suggestion


def suggest_task(
    project: Project, method: str, document_id: int, exclude_roles: tuple[str, ...] = ()
) -> Callable[[Work], SuggestOutcome]:
    """The worker task suggesting codes for one document with ``method``; turns of speakers in
    ``exclude_roles`` are neither suggested on nor trained on."""

    def task(work: Work) -> SuggestOutcome:
        progress, cancel = work.progress, work.cancel
        from collabcoder.core.speaker_map import SpeakerFilter
        from collabcoder.nlp.pipeline import load_pipeline
        from collabcoder.nlp.service import suggest

        progress(0, 0, "Loading the language model (slow only the first time)…")
        load_pipeline()
        if cancel.is_set():
            raise Cancelled("suggesting codes was cancelled")
        if method != "lexical":
            progress(0, 0, "Reading your coding to learn from…")
        name = project.documents.get(document_id).name
        run = suggest(
            project,
            method,
            document_names=[name],
            progress=progress,
            cancel=cancel,
            roles=SpeakerFilter(exclude_roles=exclude_roles) if exclude_roles else None,
        )
        return SuggestOutcome(run, why_none(project, run, method) if not run.stored else "")

    return task


def why_none(project: Project, run: Any, method: str) -> str:
    """Why ``run`` (which stored nothing) found nothing, and what to do, in a few sentences."""
    from collabcoder.nlp.learned import TrainingSettings
    from collabcoder.nlp.service import stored_learned

    reasons: list[str] = []
    codes = project.codes.list()
    if method in ("lexical", "both"):
        from collabcoder.nlp.lexical import MIN_SCORE

        with_keywords = sum(1 for c in codes if c.keywords)
        reasons.append(
            "No passage here matched the codes' names, keywords or definitions strongly enough "
            f"(score {MIN_SCORE:.2f} or more)"
            + (
                f"; only {with_keywords} of {len(codes)} codes have keywords: add keywords to "
                "codes (Edit code in the Codebook)."
                if with_keywords < len(codes)
                else "."
            )
        )
    if method in ("learned", "both"):
        need = TrainingSettings().min_positives
        model = stored_learned(project) if run.model_version else None
        counts = project.codes.counts()
        if model is None:
            reasons.append(
                f"The model has nothing to learn from: no code has {need} or more coded "
                f"passages yet. Code at least {need} passages with each code you want suggested."
            )
        else:
            learned = set(model.codes)
            few = [c.name for c in codes if c.id not in learned and counts.get(c.id, (0, 0))[0]]
            lowest = min(model.record.thresholds.values(), default=0.5)
            reasons.append(
                f"The model learned {len(learned)} code(s), and no passage of this document "
                f"scored at or above its code's threshold (the lowest is {lowest:.2f}): code more "
                "passages like the ones you want suggested, then train again."
            )
            if few:
                shown = ", ".join(few[:3]) + (f" and {len(few) - 3} more" if len(few) > 3 else "")
                reasons.append(
                    f"{len(few)} code(s) have fewer than {need} coded passages and are not "
                    f"learned yet ({shown})."
                )
    rejected = len(project.suggestions.list(run.document_ids[0], status="rejected"))
    if rejected:
        reasons.append(f"{rejected} passage(s) you rejected here are never offered again.")
    return " ".join(reasons)
