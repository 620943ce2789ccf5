"""Suggestion commands: ``suggest PROJECT`` and ``suggest evaluate PROJECT``."""

from __future__ import annotations

import argparse
from typing import Any

from .common import (
    ProgressBar,
    add_role_options,
    add_set_option,
    coder_name,
    open_location,
    print_json,
    print_table,
    roles_of,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    parser = sub.add_parser(
        "suggest",
        help="suggest codes for uncoded documents, or `suggest evaluate PROJECT` for quality",
        usage=(
            "collabcoder suggest [--method {lexical,learned,both}] [--documents NAME ...] "
            "[--role ROLE] [--exclude-role ROLE] [--json] PROJECT\n"
            "       collabcoder suggest evaluate [--folds N] [--no-curve] [--no-baseline] "
            "[--json] PROJECT"
        ),
        description=(
            "suggest PROJECT: train on the coded documents and store suggestions for the uncoded "
            "ones. suggest evaluate PROJECT: precision, recall and F1 per code by "
            "cross-validation over the coded documents, beside the standard scikit-learn "
            "classifier on the same folds, with a learning curve."
        ),
    )
    parser.add_argument("target", nargs="+", metavar="[evaluate] PROJECT")
    parser.add_argument("--method", choices=("lexical", "learned", "both"), default="both")
    parser.add_argument("--documents", nargs="+", metavar="NAME", help="suggest for these only")
    add_set_option(parser, "suggest for the uncoded documents of this set (repeatable)")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (evaluate)")
    parser.add_argument("--no-curve", action="store_true", help="skip the learning curve")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the baseline classifier (evaluate)"
    )
    add_role_options(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    target = list(args.target)
    if len(target) == 2 and target[0] == "evaluate":
        return run_evaluate(args, target[1])
    if len(target) != 1:
        from collabcoder.core.errors import InvalidValue

        raise InvalidValue("usage: collabcoder suggest [evaluate] PROJECT")
    return run_suggest(args, target[0])


def run_suggest(args: argparse.Namespace, location: str) -> int:
    from collabcoder.core.speaker_map import SpeakerFilter
    from collabcoder.nlp.service import suggest

    with open_location(location, coder_name(args)) as project:
        result = suggest(
            project,
            args.method,
            args.documents,
            progress=ProgressBar("Training"),
            sets=tuple(args.sets),
            roles=SpeakerFilter(roles=roles_of(args)[0], exclude_roles=roles_of(args)[1]),
        )
        names = {d.id: d.name for d in project.documents.list()}
        paths = project.codes.paths()
        rows = [
            {
                "document": names[s.document_id],
                "start": s.start,
                "end": s.end,
                "code": paths[s.code_id],
                "score": s.score,
                "method": s.method,
                "reason": s.reason,
                "model_version": s.model_version,
            }
            for s in sorted(result.suggestions, key=lambda s: (s.document_id, s.start, -s.score))
        ]
    if args.json:
        print_json(rows)
    else:
        print_table(
            ["document", "start", "end", "code", "score", "method", "reason"],
            [
                [
                    r["document"],
                    r["start"],
                    r["end"],
                    r["code"],
                    r["score"],
                    r["method"],
                    r["reason"],
                ]
                for r in rows
            ],
        )
        print(f"{result.stored} suggestions stored for {len(result.document_ids)} documents")
    return 0


def run_evaluate(args: argparse.Namespace, location: str) -> int:
    from collabcoder.nlp.service import evaluate_project

    with open_location(location, coder_name(args)) as project:
        result = evaluate_project(
            project,
            args.folds,
            with_curve=not args.no_curve,
            progress=ProgressBar("Evaluating"),
            with_baseline=not args.no_baseline,
        )
        paths = project.codes.paths()
    scores = result.scores
    theirs = {} if result.baseline is None else {m.code_id: m for m in result.baseline.per_code}
    data: dict[str, Any] = {
        "documents": result.documents,
        "folds": result.folds,
        "codes": [
            {
                "code": paths.get(m.code_id, str(m.code_id)),
                "support": m.support,
                "precision": m.precision,
                "recall": m.recall,
                "f1": m.f1,
                "baseline": None if m.code_id not in theirs else code_vars(theirs[m.code_id]),
            }
            for m in scores.per_code
        ],
        "micro": vars_of(scores.micro),
        "macro": vars_of(scores.macro),
        "baseline": None
        if result.baseline is None
        else {"micro": vars_of(result.baseline.micro), "macro": vars_of(result.baseline.macro)},
        "learning_curve": curve_of(result.learning_curve),
        "baseline_learning_curve": curve_of(result.baseline_curve),
        "seconds": result.seconds,
    }
    if args.json:
        print_json(data)
    else:
        print_evaluation(data)
    return 0


def print_evaluation(data: dict[str, Any]) -> None:
    """Per-code table (ours, and the baseline's beside it), averages, then the learning curves."""
    baseline = data["baseline"]
    head = ["code", "support", "precision", "recall", "F1"]
    print_table(
        head + (["baseline P", "baseline R", "baseline F1"] if baseline else []),
        [
            [c["code"], c["support"]]
            + [f"{c[k]:.3f}" for k in ("precision", "recall", "f1")]
            + (
                [f"{c['baseline'][k]:.3f}" for k in ("precision", "recall", "f1")]
                if baseline and c["baseline"]
                else ["-"] * 3
                if baseline
                else []
            )
            for c in data["codes"]
        ],
    )
    for name in ("micro", "macro"):
        line = f"{name}: " + averages(data[name])
        if baseline:
            ours, base = data[name]["f1"], baseline[name]["f1"]
            ratio = f" (ours / baseline F1 {ours / base:.2f})" if base else ""
            line += f" | baseline {averages(baseline[name])}{ratio}"
        print(line)
    if baseline:
        print("baseline: scikit-learn TF-IDF + logistic regression per code, on the same folds")
    theirs = {p["documents"]: p for p in data["baseline_learning_curve"]}
    if data["learning_curve"]:
        print("learning curve (F1 on one held-out fifth after training on the first N units):")
    for point in data["learning_curve"]:
        line = (
            f"after {point['documents']} units: micro-F1 {point['micro_f1']:.3f} "
            f"macro-F1 {point['macro_f1']:.3f}"
        )
        other = theirs.get(point["documents"])
        if other is not None:
            line += f" | baseline {other['micro_f1']:.3f} {other['macro_f1']:.3f}"
        print(line)


def averages(average: dict[str, float]) -> str:
    p, r, f1 = average["precision"], average["recall"], average["f1"]
    return f"precision {p:.3f} recall {r:.3f} F1 {f1:.3f}"


def curve_of(points: Any) -> list[dict[str, float]]:
    return [
        {"documents": p.documents, "micro_f1": p.micro_f1, "macro_f1": p.macro_f1} for p in points
    ]


def code_vars(metrics: Any) -> dict[str, float]:
    return {"precision": metrics.precision, "recall": metrics.recall, "f1": metrics.f1}


def vars_of(average: Any) -> dict[str, float]:
    return {"precision": average.precision, "recall": average.recall, "f1": average.f1}
