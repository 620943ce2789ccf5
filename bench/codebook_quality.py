"""Does the codebook help the learned suggester? Measured on the NHS FFT comments.

Same data and split as ``suggest_quality.py`` (80/20, seed 0, 44 usable codes, sklearn F1 with
zero_division=0; ``--folds 5`` pools 5-fold out-of-fold predictions instead), with the
framework codebook (``framework3.qmd``, parsed by ``nhs_codebook.py``) used in one of these ways:

- ``base``: no codebook;
- ``inject``: each text gets one pseudo-word per code whose codebook terms the lexical matcher
  finds in it (at ``--min-score`` or more), so the model learns how far to trust each code's terms;
- ``augment``: the codebook's example quotes join the training data as positives of their code
  (their other codes unknown);
- ``inject+augment``: both.

``--union-below N`` then adds, for each code with fewer than N training positives, the codes
the lexical suggester finds at ``--union-min-score`` or more (what the app's "both" method shows,
limited to the rare codes).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nhs_codebook import Section, column_sections
from suggest_quality import DEFAULT_CSV, load, sklearn_f1

from collabcoder.nlp.evaluate import scored_codes
from collabcoder.nlp.learned import LabelledText, LearnedSuggester, TrainingSettings
from collabcoder.nlp.lexical import LexicalSuggester
from collabcoder.nlp.suggestion import CodeTerms, DocumentText

VARIANTS = ("base", "inject", "augment", "inject+augment")


def code_terms(names: list[str], sections: dict[int, Section]) -> list[CodeTerms]:
    """Each CSV column as the lexical suggester sees a code: its name and its codebook text."""
    terms = []
    for index, name in enumerate(names):
        section = sections.get(index)
        if section is None:
            terms.append(CodeTerms(index, name))
        else:
            terms.append(CodeTerms(index, name, section.keywords, section.definition))
    return terms


def lexical_codes(
    texts: Sequence[str], lexical: LexicalSuggester, min_score: float
) -> list[set[int]]:
    """The codes the lexical suggester finds in each whole text."""
    documents = [DocumentText(i, text) for i, text in enumerate(texts)]
    found: list[set[int]] = [set() for _ in texts]
    for s in lexical.suggest(documents, min_score=min_score, short_words=10**9):
        found[s.document_id].add(s.code_id)
    return found


def injected(texts: Sequence[str], lexical: LexicalSuggester, min_score: float) -> list[str]:
    """``texts`` with one pseudo-word per code whose terms they contain."""
    found = lexical_codes(texts, lexical, min_score)
    return [
        text + "".join(f" cbkcode{code}" for code in sorted(codes))
        for text, codes in zip(texts, found, strict=True)
    ]


def predict(
    args: argparse.Namespace,
    examples: list[LabelledText],
    train: Sequence[int],
    test: Sequence[int],
    sections: dict[int, Section],
    lexical: LexicalSuggester,
) -> list[frozenset[int]]:
    """Train on ``train`` as the variant says and predict the codes of ``test``."""
    settings = TrainingSettings(seed=args.seed, architecture=args.architecture)
    train_set = [examples[i] for i in train]
    test_texts = [examples[i].text for i in test]
    if "augment" in args.variant:
        for index, section in sections.items():
            train_set += [
                LabelledText(q, frozenset({index}), complete=False) for q in section.examples
            ]
    if "inject" in args.variant:
        texts = injected([e.text for e in train_set], lexical, args.min_score)
        train_set = [replace(e, text=t) for e, t in zip(train_set, texts, strict=True)]
    t0 = time.perf_counter()
    model = LearnedSuggester.train(train_set, settings)
    print(f"trained on {len(train_set)} texts in {time.perf_counter() - t0:.1f} s", flush=True)
    predicted = model.predict(
        injected(test_texts, lexical, args.min_score) if "inject" in args.variant else test_texts
    )
    if not args.union_below:
        return predicted
    counts: dict[int, int] = {}
    for example in train_set:
        for code in example.positives:
            counts[code] = counts.get(code, 0) + 1
    found = lexical_codes(test_texts, lexical, args.union_min_score)
    return [
        p | frozenset(c for c in f if counts.get(c, 0) < args.union_below)
        for p, f in zip(predicted, found, strict=True)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", choices=VARIANTS, default="augment")
    parser.add_argument("--min-score", type=float, default=0.0)
    parser.add_argument("--union-below", type=int, default=0)
    parser.add_argument("--union-min-score", type=float, default=0.5)
    parser.add_argument("--held-out", type=float, default=0.2)
    parser.add_argument("--folds", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    # The pseudo-words add tokens: "auto" could then pick another architecture than for "base".
    parser.add_argument("--architecture", default="ensemble")
    args = parser.parse_args()
    examples, names = load(DEFAULT_CSV)
    sections = column_sections(names)
    lexical = LexicalSuggester(code_terms(names, sections))
    codes = scored_codes(examples, 2)
    rows = list(range(len(examples)))
    random.Random(args.seed).shuffle(rows)
    if args.folds:
        parts = [rows[fold :: args.folds] for fold in range(args.folds)]
    else:
        parts = [rows[: round(len(rows) * args.held_out)]]
    truth: list[frozenset[int]] = []
    predicted: list[frozenset[int]] = []
    for test in parts:
        held = set(test)
        train = [i for i in rows if i not in held]
        predicted += predict(args, examples, train, test, sections, lexical)
        truth += [examples[i].positives for i in test]
    print(vars(args))
    print(sklearn_f1(truth, predicted, codes))


if __name__ == "__main__":
    main()
