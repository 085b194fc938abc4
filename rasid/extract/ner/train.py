"""Train the shipped ANERcorp CRF: `python -m rasid.extract.ner.train [--train FILE] [--out FILE]`.

The dev split is the LAST `--dev-fraction` of the sentences (contiguous, in file order), not every
n-th sentence: ANERcorp is a sequence of whole articles, and an interleaved split would put
sentences of the same article (the same names) on both sides and flatter the score. The shipped
model is trained on the rest only, so the dev score it reports is a score on text it never saw.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pycrfsuite

from rasid.evaluate.ner import Sentence, format_table, read_conll, score
from rasid.extract.ner.consistency import propagate
from rasid.extract.ner.features import sentence_features

HERE = Path(__file__).resolve().parent
DEFAULT_TRAIN = Path("/work/shared/data/anercorp/train.txt")
DEFAULT_OUT = HERE / "anercorp.crfsuite"
DEFAULT_DEV = HERE / "dev.txt"
# Chosen on the dev split with a small search (docs/ner.md lists the runs); L1 keeps the model
# small by zeroing most of the millions of candidate features.
DEFAULT_PARAMS = {"c1": 0.2, "c2": 0.01, "max_iterations": 300}


def split_dev(sents: list[Sentence], fraction: float) -> tuple[list[Sentence], list[Sentence]]:
    """(train, dev): dev is the last `fraction` of the sentences, so it is deterministic."""
    if not 0 < fraction < 1:
        raise ValueError(f"--dev-fraction must be between 0 and 1, not {fraction}")
    cut = len(sents) - max(1, round(len(sents) * fraction))
    return sents[:cut], sents[cut:]


def write_conll(sents: list[Sentence], path: Path) -> None:
    """Write sentences in the ANERcorp layout: `word TAG`, a blank line between sentences."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for sent in sents:
            out.writelines(f"{w} {t}\n" for w, t in sent)
            out.write("\n")


def train(sents: list[Sentence], out: Path, params: dict | None = None, verbose: bool = False) -> None:
    """Fit a linear-chain CRF with L-BFGS and write it to `out`."""
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=verbose)
    for sent in sents:
        words = [w for w, _ in sent]
        trainer.append(sentence_features(words), [t for _, t in sent])
    trainer.set_params({**DEFAULT_PARAMS, **(params or {}), "feature.possible_transitions": True})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def evaluate(model: Path, sents: list[Sentence], consistent: bool = True) -> dict:
    """Score a model file on sentences, tagged as `tag_sentences` tags them (CRF, then
    one-name-one-label unless `consistent` is False), before the model is shipped."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    words = [[w for w, _ in s] for s in sents]
    pred = [list(tagger.tag(sentence_features(w))) for w in words]
    tagger.close()
    return score(sents, propagate(words, pred) if consistent else pred)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN, help="ANERcorp-style file")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model file to write")
    parser.add_argument("--dev-out", type=Path, default=DEFAULT_DEV, help="where to write the dev split")
    parser.add_argument("--dev-fraction", type=float, default=0.1)
    parser.add_argument("--c1", type=float, default=DEFAULT_PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=DEFAULT_PARAMS["c2"])
    parser.add_argument("--max-iterations", type=int, default=DEFAULT_PARAMS["max_iterations"])
    args = parser.parse_args(argv)

    sents = read_conll(args.train)
    train_part, dev_part = split_dev(sents, args.dev_fraction)
    write_conll(dev_part, args.dev_out)
    print(f"{len(train_part)} training sentences, {len(dev_part)} dev sentences -> {args.dev_out}")
    params = {"c1": args.c1, "c2": args.c2, "max_iterations": args.max_iterations}
    began = time.perf_counter()
    train(train_part, args.out, params)
    size = args.out.stat().st_size / 1e6
    print(f"trained in {time.perf_counter() - began:.0f} s -> {args.out} ({size:.1f} MB)")
    print("dev, CRF alone:")
    print(format_table(evaluate(args.out, dev_part, consistent=False)))
    print("dev, CRF + one-name-one-label (what the package does):")
    print(format_table(evaluate(args.out, dev_part)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
