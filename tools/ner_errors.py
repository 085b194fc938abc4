"""Sort a NER model's errors on a CoNLL file into kinds, and list them.

    python tools/ner_errors.py FILE [--model tuned] [--list]

Each gold entity the model did not get exactly, and each predicted entity that is not a gold one,
falls into one kind:

- type: the same words, another type (one error, counted once);
- boundary: the same type, overlapping words but not the same span (one error, counted once);
- boundary and type: overlapping, with another type and span;
- missed: a gold entity no prediction overlaps;
- spurious: a prediction no gold entity overlaps.

The table counts them by the gold entity's type (by the predicted type for spurious ones);
`--list` prints every error with three words of context either side. The model tags FILE exactly
as `rasid eval ner` does (`tag_sentences`: the model, then one-name-one-label).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasid.errors import InputError  # noqa: E402
from rasid.evaluate.ner import read_conll, spans  # noqa: E402

KINDS = ("type", "boundary", "boundary and type", "missed", "spurious")


def classify(gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]]):
    """(kind, type, gold span or None, predicted span or None) for every error in one sentence."""
    gold_set, pred_set = set(gold), set(pred)
    out, used = [], set()
    for g in gold:
        if g in pred_set:
            continue
        over = [p for p in pred if p not in gold_set and p[0] < g[1] and g[0] < p[1]]
        if not over:
            out.append(("missed", g[2], g, None))
            continue
        p = next((p for p in over if p[2] == g[2]), over[0])
        used.add(p)
        if (p[0], p[1]) == (g[0], g[1]):
            out.append(("type", g[2], g, p))
        else:
            out.append(("boundary" if p[2] == g[2] else "boundary and type", g[2], g, p))
    for p in pred:
        if p in gold_set or p in used:
            continue
        if not any(g[0] < p[1] and p[0] < g[1] for g in gold):
            out.append(("spurious", p[2], None, p))
    return out


def errors(path: Path, model: str):
    from rasid.extract.ner import tag_sentences

    gold = read_conll(path)
    words = [[w for w, _ in s] for s in gold]
    pred = tag_sentences(words, model=model)
    for ws, g, p in zip(words, gold, pred):
        for err in classify(spans([t for _, t in g]), spans(p)):
            yield ws, err


def show(ws: list[str], span) -> str:
    if span is None:
        return "-"
    i, j, t = span
    return f"{' '.join(ws[max(0, i - 3):i])} [{' '.join(ws[i:j])}]/{t} {' '.join(ws[j:j + 3])}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--model", default="tuned", choices=["auto", "tuned", "e5", "crf"])
    parser.add_argument("--list", action="store_true", help="print every error")
    args = parser.parse_args(argv)
    counts: Counter = Counter()
    try:
        for ws, (kind, label, g, p) in errors(args.file, args.model):
            counts[kind, label] += 1
            if args.list:
                print(f"{kind:18} gold {show(ws, g)}  |  predicted {show(ws, p)}")
    except InputError as err:
        sys.exit(str(err))
    types = sorted({t for _, t in counts})
    print("| kind | " + " | ".join(types) + " | all |")
    print("|---|" + "---:|" * (len(types) + 1))
    for kind in KINDS:
        row = [counts[kind, t] for t in types]
        print(f"| {kind} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
