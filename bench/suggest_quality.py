"""Quality of the learned suggester against the standard text classifier, on real coded NHS
Friends-and-Family-Test comments.

Reads ``nhs-fft/v6framework_train.csv`` (text in ``FFT answer``; 0/1 code columns after
``Comment sentiment``), keeps the codes with at least ``--min-positives`` coded comments (44 with
the default 2) and runs K-fold cross-validation over the comments (default 5) for each seed.
Ours (:mod:`collabcoder.nlp.learned`, with the framework codebook ``framework3.qmd`` as prior
text unless ``--no-codebook``) and the baseline (:mod:`collabcoder.nlp.baseline`: scikit-learn
TF-IDF word + char n-grams, class-weighted one-vs-rest logistic regression, per-code thresholds
from out-of-fold predictions, regularisation chosen on inner folds) are trained and tested on
the very same folds; each fold's model (thresholds and calibration included) sees only that
fold's training comments.

Prints, per fold, micro- and macro-F1 of both; then per seed the pooled figures (every comment
predicted once, out of fold, then scored together) and the median of the folds; finally the
medians over every fold of every seed and the ratio ours / baseline. F1 is scikit-learn's
``f1_score(zero_division=0)`` (checked against it on the pooled predictions): a code with no
positives in a fold and never predicted there scores 0 in that fold's macro-F1.

Ours reads each comment with its ``--context`` columns (default ``FFT question``) as a table
import with those attribute columns would give them; the baseline reads the text only.

Every code has its name as prior text, as every code in the app has; the codes the framework
describes add their keywords, definition and example quotes.

Measured (default settings, 5 folds, seeds 0 1 2; pooled micro / macro F1):
  seed 0 ours 0.736/0.514, baseline 0.674/0.408
  seed 1 ours 0.735/0.507, baseline 0.675/0.414
  seed 2 ours 0.732/0.497, baseline 0.680/0.410
  median of the 15 folds: ours 0.731/0.485, baseline 0.673/0.405 (ratio 1.086 / 1.198).
  Before the codes the framework does not describe (Admission, Patient records, Safeguarding,
  ...) had their names as prior text: 0.735/0.503, 0.735/0.504, 0.733/0.489 (fold median
  0.732/0.478); the variants below were measured against those figures. Seeds 3 and 4:
  0.736/0.511, 0.737/0.496 (baseline 0.682/0.410, 0.691/0.402). Macro-F1 0.50 is reached on
  three seeds of five (mean 0.505).
  With the ratio over shares of all occurrences instead of shares of texts: 0.734/0.488,
  0.736/0.490, 0.734/0.479 (the variants below were tried with it). Without the scaling
  (``--set nb_smoothing=0 c_grid=10,30``): 0.720/0.484, 0.725/0.475, 0.720/0.465. Before
  sentence pooling and half-F cuts: 0.716/0.444, 0.720/0.460, 0.715/0.440.
  Tried on seed 0 (or more) without gain over the default: smoothing 0.25 or 3
  (0.733/0.487, 0.734/0.484), NBSVM's interpolation towards the mean weight (0.721/0.420),
  square-root scaling (0.734/0.490 and 0.735/0.487 on seeds 0 and 1, slower), 5 threshold folds
  (0.736/0.499, 0.736/0.485, 0.734/0.471: no better over three seeds), two repeats of the
  threshold folds, word trigrams, character 6-grams, min_df 1, codebook weight 2, softer class
  weights, Platt's smoothed targets, separate word and character models, the mean of the
  threshold folds' models as the model (0.737/0.484, 0.739/0.473: micro up, macro down),
  the mean of the NB-LR and a plain regression (C x 3: 0.735/0.498, 0.735/0.489, 0.734/0.481;
  +0.003 macro is within the seeds' spread, for half as much training time again),
  sentence share 0.25 / 0.75, threshold prior 0 or 2 (0 lifts seed 0 to 0.730/0.497, but the
  bundled sample project, a team starting out, then gets no learned suggestion at all).
  Tried with the ratio over shares of texts (seeds 0 and 2, pooled, against 0.503 and 0.489
  macro): 5 threshold folds (0.738/0.509, 0.737/0.495, but seed 1 0.739/0.495: mean 0.500 over
  three seeds, as with 3), threshold prior 3 (seed 2 0.732/0.489), smoothing 0.5 (0.734/0.491),
  each code's own C of the grid by held-out average precision (0.737/0.505, 0.733/0.489; a
  grid of 0.5-10 the same, twice as slow), more context columns (service, rating, trust:
  0.741/0.499, 0.738/0.501, 0.740/0.495; service alone 0.741/0.508, 0.738/0.493), a code with
  one coded example learned from its codebook text (unchanged: its fold models have no
  positive, so calibration never lets it through), each code's calibration pulled towards one
  shared across codes (0.739/0.499, 0.737/0.483), a code never coded beside another kept alone
  ("Not assigned": 0.738/0.501, 0.735/0.489) and a second stage reading every code's held-out
  probability (fold macro 0.41 against 0.48), 10 threshold folds (seeds 1 and 2: 0.739/0.503,
  0.737/0.494; the codes at F1 0 still rank their held-out comments in the hundreds) and 150
  latent semantic dimensions (SVD of the word TF-IDF) beside the n-grams (0.736/0.506,
  0.730/0.487, 2.5 times slower); on seed 2, C grids 0.3-1 and 3-10 (0.731/0.489, 0.734/0.486)
  and each code's cut at 0.4 or 0.6 of its best held-out F1 instead of half (0.726/0.487,
  0.735/0.486). The spread between seeds (about 0.015 macro) is larger than any of these.
  Also without gain: a text-length token among the context features
  (0.736/0.507, 0.735/0.504, 0.732/0.489), question-and-word pairs as features (0.742/0.502,
  0.737/0.498: micro up, macro not), codebook texts as negatives of every other code
  (0.735/0.508, 0.732/0.500), each sentence of a coded text as an extra training text with its
  text's codes (weight 0.3: 0.722/0.469; 1: 0.712/0.453), a linear SVM in place of the
  regression (0.734/0.427); with the names as prior text, codes with one coded example learned
  and codes with fewer than 4 held-out positives calibrated and cut as all codes together
  (0.735/0.518, 0.735/0.508, 0.732/0.496). On the pooled held-out probabilities of seed 0
  (before the names), the best cut of each code chosen on the test texts themselves would reach
  macro 0.556 and scaling every cut by 0.8 0.513 at micro 0.730: ranking, not the cuts, is what
  holds macro back. Also measured on seeds 0 and 2 (against 0.514 and 0.497), no gain: the
  rating (``FFT categorical answer``) as context beside the question (0.739/0.518,
  0.732/0.497), codebook weight 0.5 (0.736/0.513, 0.732/0.498), the final model's C scaled by
  2/3 so it is regularised as the threshold folds' models were (0.736/0.515, 0.732/0.498),
  character n-grams across word boundaries (0.735/0.511, 0.735/0.497); on seed 0's pooled
  held-out probabilities, a blend with a vote of the 25 nearest training comments by TF-IDF
  cosine (mean average precision 0.510 to 0.511) or with the same model trained without
  codebook text (a quarter of it: macro 0.519 to 0.509). Without codebook text
  (``--no-codebook``): 0.733/0.465, 0.725/0.441. Nor did leaving a code's codebook text out
  where, on the threshold folds, its held-out average precision is higher without it (3-6
  codes of 44 per fold: 0.736/0.515, 0.732/0.496, for twice the training time).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nhs_codebook import DEFAULT_QMD, Section, column_sections

from collabcoder.nlp.codebook import project_codebook
from collabcoder.nlp.evaluate import (
    CrossValidation,
    Trainer,
    cross_validate,
    scored_codes,
    train_baseline,
    train_ours,
)
from collabcoder.nlp.learned import LabelledText, TrainingSettings

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared/data/nhs-fft/v6framework_train.csv"


def load(path: Path, context: Sequence[str] = ()) -> tuple[list[LabelledText], list[str]]:
    """The coded comments (code ids are column indices) and the code names; each comment's
    ``context`` columns are read as a table import with them as attribute columns gives them
    to the suggester ("FFT question: What was good?")."""
    import pandas as pd

    frame = pd.read_csv(path)
    names = list(frame.columns[list(frame.columns).index("Comment sentiment") + 1 :])
    labels = frame[names].fillna(0).astype(int).to_numpy()
    texts = frame["FFT answer"].fillna("").astype(str).tolist()
    missing = [c for c in context if c not in frame.columns]
    if missing:
        print(f"{path.name} has no column {', '.join(missing)}: read without it", flush=True)
    context = [c for c in context if c in frame.columns]
    values = [frame[c].fillna("").astype(str).tolist() for c in context]
    examples = [
        LabelledText(
            text,
            frozenset(int(j) for j in row.nonzero()[0]),
            context=tuple(
                f"{c}: {' '.join(v[i].split())}"
                for c, v in zip(context, values, strict=True)
                if v[i].strip()
            ),
        )
        for i, (text, row) in enumerate(zip(texts, labels, strict=True))
    ]
    return examples, names


@dataclass(frozen=True, slots=True)
class FrameworkCode:
    """A CSV column's code as the app's codebook entry would hold it (what ``code_texts`` reads)."""

    id: int
    name: str
    keywords: tuple[str, ...] = ()
    definition: str = ""
    inclusion: str = ""
    example: str = ""


def codebook(names: list[str], path: Path = DEFAULT_QMD) -> list[LabelledText]:
    """Prior text as the app builds it from each code's entry: every code's name and, where the
    framework describes it, its keywords, definition and example quotes."""
    sections = column_sections(names, path)
    codes = []
    for index, name in enumerate(names):
        section = sections.get(index, Section(name, "", (), ()))
        example = "\n".join(section.examples)  # one quote a line, as an entry's example holds them
        codes.append(FrameworkCode(index, name, section.keywords, section.definition, "", example))
    return project_codebook(codes)


def sklearn_check(result: CrossValidation) -> tuple[float, float]:
    """Pooled micro/macro F1 from scikit-learn itself (must equal ours)."""
    from sklearn.metrics import f1_score

    codes = result.codes
    y_true = [[int(c in s) for c in codes] for s in result.truth]
    y_pred = [[int(c in s) for c in codes] for s in result.predicted]
    return (
        float(f1_score(y_true, y_pred, average="micro", zero_division=0)),
        float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
    )


def run(
    name: str,
    trainer: Trainer,
    examples: Sequence[LabelledText],
    args: argparse.Namespace,
    settings: TrainingSettings,
) -> CrossValidation:
    began = time.perf_counter()
    result = cross_validate(
        examples, args.folds, settings, trainer=trainer, only_folds=args.only_folds
    )
    micro, macro = sklearn_check(result)
    assert abs(micro - result.scores.micro.f1) < 1e-9 and abs(macro - result.scores.macro.f1) < 1e-9
    print(f"  {name}: {time.perf_counter() - began:.0f} s", flush=True)
    return result


def print_per_code(
    ours: CrossValidation, base: CrossValidation | None, names: Sequence[str]
) -> None:
    """Each code's pooled F1 (ours, then the baseline's) with its support, weakest first."""
    theirs = {m.code_id: m.f1 for m in base.scores.per_code} if base is not None else {}
    for metric in sorted(ours.scores.per_code, key=lambda m: m.f1):
        other = f" | baseline {theirs[metric.code_id]:.2f}" if metric.code_id in theirs else ""
        print(f"    {metric.f1:.2f}{other}  n={metric.support:<4} {names[metric.code_id]}")


def _value(default: object, text: str) -> object:
    """A ``--set`` value as the type of the setting's default."""
    if isinstance(default, bool):
        return text.strip().lower() in ("1", "true", "yes")
    if isinstance(default, tuple):
        return tuple(float(v) for v in text.split(","))
    return type(default)(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only-folds", type=int, nargs="+", help="run these folds only")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--no-codebook", action="store_true")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--context",
        nargs="*",
        default=["FFT question"],
        metavar="COLUMN",
        help="columns read as each comment's case attributes (none: text only)",
    )
    parser.add_argument("--min-positives", type=int, default=2)
    parser.add_argument(
        "--per-code", action="store_true", help="print each code's pooled F1, weakest first"
    )
    parser.add_argument(
        "--set", nargs="+", default=[], metavar="NAME=VALUE", help="training settings to change"
    )
    args = parser.parse_args()
    changes = dict(item.split("=", 1) for item in args.set)
    defaults = TrainingSettings()
    changed = {k: _value(getattr(defaults, k), v) for k, v in changes.items()}
    examples, names = load(args.csv, args.context)
    prior = [] if args.no_codebook else codebook(names)
    codes = scored_codes(examples, args.min_positives)
    print(
        f"{len(examples)} comments, {len(codes)} usable codes (>= {args.min_positives} "
        f"positives), {len(prior)} codebook texts, {args.folds}-fold CV, seeds {args.seeds}, "
        f"context {args.context or 'none'} (the baseline reads text only)"
    )
    ours_folds: list[tuple[float, float]] = []
    base_folds: list[tuple[float, float]] = []
    for seed in args.seeds:
        settings = replace(defaults, seed=seed, min_positives=args.min_positives, **changed)
        print(f"seed {seed}: {settings}")
        ours = run("ours", train_ours, [*examples, *prior], args, settings)
        base = (
            None if args.no_baseline else run("baseline", train_baseline, examples, args, settings)
        )
        folds = args.only_folds or range(args.folds)
        for n, fold in enumerate(folds):
            mine = ours.fold_scores[n]
            line = f"  fold {fold}: ours micro {mine.micro.f1:.3f} macro {mine.macro.f1:.3f}"
            ours_folds.append((mine.micro.f1, mine.macro.f1))
            if base is not None:
                theirs = base.fold_scores[n]
                base_folds.append((theirs.micro.f1, theirs.macro.f1))
                line += f" | baseline micro {theirs.micro.f1:.3f} macro {theirs.macro.f1:.3f}"
            print(line)
        line = f"  pooled: ours micro {ours.scores.micro.f1:.3f} macro {ours.scores.macro.f1:.3f}"
        if base is not None:
            line += f" | baseline micro {base.scores.micro.f1:.3f} macro {base.scores.macro.f1:.3f}"
        print(line, flush=True)
        if args.per_code:
            print_per_code(ours, base, names)
    summary = [("ours", ours_folds)] + ([("baseline", base_folds)] if base_folds else [])
    medians = {}
    for name, values in summary:
        medians[name] = (
            statistics.median(v[0] for v in values),
            statistics.median(v[1] for v in values),
        )
        print(
            f"median over {len(values)} folds: {name} micro-F1 {medians[name][0]:.3f} "
            f"macro-F1 {medians[name][1]:.3f}"
        )
    if "baseline" in medians:
        (om, oM), (bm, bM) = medians["ours"], medians["baseline"]
        print(f"ratio ours / baseline: micro {om / bm:.3f} macro {oM / bM:.3f}")


if __name__ == "__main__":
    main()
