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
            }
            for m in scores.per_code
        ],
        "micro": vars_of(scores.micro),
        "macro": vars_of(scores.macro),
        "baseline": None
        if result.baseline is None
        else {"micro": vars_of(result.baseline.micro), "macro": vars_of(result.baseline.macro)},
        "learning_curve": [
            {"documents": p.documents, "micro_f1": p.micro_f1, "macro_f1": p.macro_f1}
            for p in result.learning_curve
        ],
        "seconds": result.seconds,
    }
    if args.json:
        print_json(data)
        return 0
    print_table(
        ["code", "support", "precision", "recall", "F1"],
        [
            [
                c["code"],
                c["support"],
                f"{c['precision']:.3f}",
                f"{c['recall']:.3f}",
                f"{c['f1']:.3f}",
            ]
            for c in data["codes"]
        ],
    )
    for name in ("micro", "macro"):
        avg = data[name]
        print(
            f"{name}: precision {avg['precision']:.3f} recall {avg['recall']:.3f} "
            f"F1 {avg['f1']:.3f}"
        )
    if data["baseline"] is not None:
        for name in ("micro", "macro"):
            ours, theirs = data[name]["f1"], data["baseline"][name]["f1"]
            ratio = f" (ours / baseline {ours / theirs:.2f})" if theirs else ""
            print(f"baseline {name}: F1 {theirs:.3f}{ratio}")
        print("baseline: scikit-learn TF-IDF + logistic regression per code, on the same folds")
    for point in data["learning_curve"]:
        print(
            f"after {point['documents']} units: micro-F1 {point['micro_f1']:.3f} "
            f"macro-F1 {point['macro_f1']:.3f}"
        )
    return 0


def vars_of(average: Any) -> dict[str, float]:
    return {"precision": average.precision, "recall": average.recall, "f1": average.f1}
