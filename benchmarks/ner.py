"""Speed and accuracy of the shipped NER models: tokens/second and dev-split P/R/F1.

Rerun with:  python benchmarks/ner.py [--repeat 3] [--model e5|crf|both]

Corpus: the dev split shipped at rasid/data/models/ner/dev.txt (the last 10% of the ANERcorp CAMeL
train split, 396 sentences, 12,303 tokens) and the five seed reports in shared/corpus/seeds/.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasid.evaluate.ner import format_table, read_conll, score  # noqa: E402
from rasid.extract import ner  # noqa: E402

DEV = ROOT / "rasid" / "extract" / "ner" / "dev.txt"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def best_of(repeat: int, fn) -> float:
    """Fastest of `repeat` runs in seconds: the least disturbed by other work on the machine."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return min(times)


def run(model: str, repeat: int, gold, sents, texts) -> None:
    began = time.perf_counter()
    ner._load(model)
    if model == "e5":
        from rasid.extract.ner.encoder import get_encoder
        from rasid.extract.ner.probe import LAYER

        get_encoder(LAYER)
    load = time.perf_counter() - began
    n_dev = sum(map(len, sents))
    t_doc = best_of(repeat, lambda: ner.tag_sentences(sents, model=model))
    n_seed = sum(len(ner.tokenize(t)) for t in texts)
    t_find = best_of(repeat, lambda: [ner.find_entities(t, model=model) for t in texts])
    print(f"\n== model {model} (load {load:.2f} s)")
    rows = [
        ("tag_sentences(), dev", n_dev, t_doc),
        ("find_entities(), 5 seeds", n_seed, t_find),
    ]
    print(f"{'what':28} {'tokens':>7} {'seconds':>8} {'tokens/s':>9}")
    for name, n, secs in rows:
        print(f"{name:28} {n:7d} {secs:8.3f} {n / secs:9.0f}")
    print(f"dev scores ({DEV.relative_to(ROOT)}):")
    print(format_table(score(gold, ner.tag_sentences(sents, model=model))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", choices=["e5", "crf", "both"], default="both")
    args = parser.parse_args()

    gold = read_conll(DEV)
    sents = [[w for w, _ in s] for s in gold]
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for model in (["crf", "e5"] if args.model == "both" else [args.model]):
        run(model, args.repeat, gold, sents, texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
