"""Speed of code suggestions on generated material; prints the figures.

1. Lexical suggestions over generated interview transcripts (default 1,000 x 5,000 words):
   tokens per second (target: at least 200,000 on a 2-core laptop).
2. Training the learned model on 4,000 coded documents (target: under 60 s).
3. Learned suggestions for one document of 10,000 words (target: under 1 s).
4. Peak memory of the whole run (target: under 1 GB).

Measured (2 cores, idle machine, ``--transcripts 50``, three runs): training 7.8 / 8.0 / 9.3 s,
one 10,000-word document 0.09 / 0.09 / 0.10 s, peak memory 420-422 MiB; the real NHS comments
(4,034 plus the codebook) train in 13.7 s. Since the regularisation strength is chosen from two
on out-of-fold predictions (7 fits instead of 4), at load ~3 (lexical at 307,000 tokens/s):
training 19.8 s, one 10,000-word document 0.29 s, peak memory 405 MiB (under heavy load,
lexical at 51,000 tokens/s: training 59.8 s, the document 0.42 s). With sentence pooling and
case attributes as context (quiet machine, three runs): training 14.1 / 12.8 / 12.3 s, the
document 0.10 / 0.11 / 0.11 s, peak memory 447-449 MiB. With the naive-Bayes scaling of each
code's features (quiet machine, three runs): training 16.5 / 17.6 / 16.6 s, the document
0.17 / 0.16 / 0.16 s, peak memory 475 MiB.
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from collabcoder.nlp.learned import LabelledText, LearnedSuggester
from collabcoder.nlp.lexical import LexicalSuggester
from collabcoder.nlp.pipeline import load_pipeline
from collabcoder.nlp.suggestion import CodeTerms, DocumentText

THEMES = {
    1: ("Trusting relationships", ("trust", "rapport"), "Partners rely on one another."),
    2: ("Funding", ("grant", "money", "budget"), "Financial resources and commissioning."),
    3: ("Measurement and accountability", ("outcome", "measure"), "Evidence of impact."),
    4: ("Shared data", ("data sharing", "information"), "Sharing records between partners."),
    5: ("Volunteers", ("volunteer",), "Unpaid help from residents."),
}
THEME_WORDS = {
    1: ["trusted", "relied", "honest", "open", "rapport", "relationship", "partners"],
    2: ["grant", "money", "budget", "funded", "commissioned", "contract", "cuts"],
    3: ["outcomes", "measured", "targets", "impact", "evidence", "report"],
    4: ["data", "shared", "records", "information", "system", "privacy"],
    5: ["volunteers", "residents", "helped", "community", "unpaid", "time"],
}
FILLER = (
    "the a we they it was were had have think really just council sector local people "
    "worked together meeting week month project team because so and but then about our "
    "service services families young staff manager area work year years time good"
)
COMMON = FILLER.split()


def sentence(rng: random.Random, theme: int | None) -> str:
    words = rng.choices(COMMON, k=rng.randint(6, 18))
    if theme is not None:
        for _ in range(rng.randint(1, 3)):
            words.insert(rng.randrange(len(words)), rng.choice(THEME_WORDS[theme]))
    return " ".join(words).capitalize() + rng.choice([".", ".", "?", "!"])


def transcript(rng: random.Random, words: int) -> DocumentText:
    parts: list[str] = []
    turns: list[tuple[int, int]] = []
    position = count = 0
    while count < words:
        speaker = "Interviewer: " if len(turns) % 2 == 0 else "Participant: "
        body = " ".join(
            sentence(rng, rng.choice([None, None, *THEMES])) for _ in range(rng.randint(1, 6))
        )
        turn = speaker + body
        turns.append((position, position + len(turn)))
        parts.append(turn)
        position += len(turn) + 1
        count += len(turn.split())
    return DocumentText(0, "\n".join(parts), tuple(turns))


def coded_document(rng: random.Random) -> LabelledText:
    themes = rng.sample(sorted(THEMES), rng.choice([0, 1, 1, 2]))
    text = " ".join(
        sentence(rng, rng.choice([None, *themes]) if themes else None)
        for _ in range(rng.randint(2, 8))
    )
    return LabelledText(text, frozenset(themes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--train-documents", type=int, default=4000)
    parser.add_argument("--suggest-words", type=int, default=10000)
    args = parser.parse_args()
    rng = random.Random(0)
    nlp = load_pipeline()
    codes = [CodeTerms(i, name, kw, d) for i, (name, kw, d) in THEMES.items()]
    lexical = LexicalSuggester(codes, nlp)

    # Generate in chunks so a 5-million-word run does not hold every document at once.
    tokens = found = 0
    elapsed = 0.0
    for first in range(0, args.transcripts, 50):
        chunk = [transcript(rng, args.words) for _ in range(min(50, args.transcripts - first))]
        chunk = [DocumentText(first + i, d.text, d.turns) for i, d in enumerate(chunk)]
        tokens += sum(len(doc) for doc in nlp.tokenizer.pipe(d.text for d in chunk))
        began = time.perf_counter()
        found += len(lexical.suggest(chunk))
        elapsed += time.perf_counter() - began
    print(
        f"lexical: {args.transcripts} transcripts x {args.words} words, {tokens:,} tokens, "
        f"{found:,} suggestions in {elapsed:.1f} s = {tokens / elapsed:,.0f} tokens/s "
        "(target >= 200,000)"
    )

    data = [coded_document(rng) for _ in range(args.train_documents)]
    began = time.perf_counter()
    model = LearnedSuggester.train(data)
    print(
        f"learned: trained on {len(data):,} coded documents "
        f"({sum(len(d.text.split()) for d in data):,} words) in "
        f"{time.perf_counter() - began:.1f} s (target < 60 s); settings {model.record.settings}"
    )

    document = transcript(rng, args.suggest_words)
    began = time.perf_counter()
    suggestions = model.suggest([document])
    print(
        f"learned: {len(suggestions):,} suggestions for one {args.suggest_words:,}-word "
        f"document in {time.perf_counter() - began:.2f} s (target < 1 s)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak memory {peak:,.0f} MiB (target < 1,024 MiB)")


if __name__ == "__main__":
    main()
