"""Quality of the learned suggester on real coded NHS Friends-and-Family-Test comments.

Reads ``nhs-fft/v6framework_train.csv`` (text in ``FFT answer``; 0/1 code columns after
``Comment sentiment``), keeps the codes with at least ``--min-positives`` coded comments (44 with
the default 2), holds out a share of comments (80/20 like the published reference), trains on the
rest with per-code thresholds chosen on held-out folds, and prints micro/macro F1 on the held-out
comments. ``--folds K`` runs K-fold cross-validation instead (slower) and prints both the pooled
figures (every comment predicted once, out of fold, then scored together) and the average of
the per-fold figures.

Macro-F1 is the mean of the per-code F1 over the usable codes, computed as scikit-learn's
``f1_score(average="macro", zero_division=0)``: a code with no positives among the tested
comments and no predictions scores 0. The ``zero_division=1`` figure (such a code scores 1) is
printed beside it. Reference (the data's authors, larger six-trust set, one 80/20 split, 44
labels, threshold 0.5): micro-F1 0.70-0.72, macro-F1 0.58.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from collabcoder.nlp.evaluate import cross_validate, scored_codes
from collabcoder.nlp.learned import LabelledText, LearnedSuggester, TrainingSettings
from collabcoder.nlp.metrics import Scores, score

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared/data/nhs-fft/v6framework_train.csv"


def load(path: Path) -> tuple[list[LabelledText], list[str]]:
    import pandas as pd

    frame = pd.read_csv(path)
    names = list(frame.columns[list(frame.columns).index("Comment sentiment") + 1 :])
    labels = frame[names].fillna(0).astype(int).to_numpy()
    texts = frame["FFT answer"].fillna("").astype(str).tolist()
    examples = [
        LabelledText(text, frozenset(int(j) for j in row.nonzero()[0]))
        for text, row in zip(texts, labels, strict=True)
    ]
    return examples, names


def report(title: str, scores: Scores, names: list[str], per_code: bool) -> None:
    print(
        f"{title}: micro P/R/F1 {scores.micro.precision:.3f}/{scores.micro.recall:.3f}/"
        f"{scores.micro.f1:.3f}  macro P/R/F1 {scores.macro.precision:.3f}/"
        f"{scores.macro.recall:.3f}/{scores.macro.f1:.3f}"
    )
    if per_code:
        for m in sorted(scores.per_code, key=lambda m: -m.support):
            print(
                f"  {names[m.code_id][:48]:48} n={m.support:4d} P={m.precision:.2f} "
                f"R={m.recall:.2f} F1={m.f1:.2f}"
            )


def sklearn_f1(
    truth: Sequence[frozenset[int]], predicted: Sequence[frozenset[int]], codes: Sequence[int]
) -> str:
    """Micro and macro F1 from scikit-learn itself, with both zero-division conventions."""
    from sklearn.metrics import f1_score

    y_true = [[int(c in s) for c in codes] for s in truth]
    y_pred = [[int(c in s) for c in codes] for s in predicted]
    micro = f1_score(y_true, y_pred, average="micro", zero_division=0)
    macro0 = f1_score(y_true, y_pred, average="macro", zero_division=0)
    macro1 = f1_score(y_true, y_pred, average="macro", zero_division=1)
    absent = sum(1 for j in range(len(codes)) if not any(row[j] for row in y_true))
    return (
        f"sklearn: micro {micro:.3f} macro {macro0:.3f} (zero_division=1: {macro1:.3f}); "
        f"{absent} of {len(codes)} codes have no positives among the tested comments"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--held-out", type=float, default=0.2)
    parser.add_argument("--folds", type=int, default=0, help="K-fold CV instead of one split")
    parser.add_argument("--per-code", action="store_true")
    defaults = TrainingSettings()
    for f in fields(TrainingSettings):
        value = getattr(defaults, f.name)
        parser.add_argument(
            "--" + f.name.replace("_", "-"),
            # bool("False") is True, so booleans are read as words
            type=(lambda text: text.lower() in ("1", "true", "yes"))
            if isinstance(value, bool)
            else type(value),
            default=value,
        )
    args = parser.parse_args()
    settings = TrainingSettings(**{f.name: getattr(args, f.name) for f in fields(TrainingSettings)})
    examples, names = load(args.csv)
    codes = scored_codes(examples, settings.min_positives)
    print(
        f"{len(examples)} comments, {len(codes)} usable codes "
        f"(>= {settings.min_positives} positives), settings {settings}"
    )
    began = time.perf_counter()
    if args.folds:
        result = cross_validate(examples, args.folds, settings)
        report(f"{args.folds}-fold CV, pooled", result.scores, names, args.per_code)
        print(sklearn_f1(result.truth, result.predicted, codes))
        print(
            f"{args.folds}-fold CV, average of folds: micro F1 {result.fold_micro_f1:.3f} "
            f"macro F1 {result.fold_macro_f1:.3f}  (per fold: "
            + ", ".join(f"{s.micro.f1:.3f}/{s.macro.f1:.3f}" for s in result.fold_scores)
            + ")"
        )
    else:
        import random

        rows = list(range(len(examples)))
        random.Random(settings.seed).shuffle(rows)
        cut = round(len(rows) * args.held_out)
        test, train = rows[:cut], rows[cut:]
        t0 = time.perf_counter()
        model = LearnedSuggester.train([examples[i] for i in train], settings)
        print(f"trained on {len(train)} comments in {time.perf_counter() - t0:.1f} s")
        predicted = model.predict([examples[i].text for i in test])
        truth = [examples[i].positives for i in test]
        scores = score(truth, predicted, codes)
        report(f"held-out {len(test)} comments", scores, names, args.per_code)
        print(sklearn_f1(truth, predicted, codes))
        thresholds = sorted(model.record.thresholds.values())
        print(
            f"thresholds: min {thresholds[0]:.2f} median {thresholds[len(thresholds) // 2]:.2f}"
            f" max {thresholds[-1]:.2f}"
        )
    print(f"total {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
