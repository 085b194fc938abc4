"""Speed and accuracy of the shipped NER models: tokens/second and dev-split P/R/F1.

Rerun with:  python benchmarks/ner.py [--repeat 3] [--model tuned|e5|crf|all] [--workers 2]

For each model: load time, resident memory added by loading it and tagging once, tokens/s in one
process (every core it likes) and in a pool of `--workers` processes with one thread each (how
the pipeline runs it), and the dev scores. Batched mode: the dev sentences as separate texts,
tagged one `find_entities` call each (how the extract stage tagged its sentences before) and all
in one `find_entities_batch` call (how it tags an article's new sentences now).

Corpus: the dev split shipped at rasid/data/models/ner/dev.txt (the last 10% of the ANERcorp CAMeL
train split, 396 sentences, 12,303 tokens) and the five seed reports in shared/corpus/seeds/.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasid.evaluate.ner import format_table, read_conll, score  # noqa: E402
from rasid.extract import ner  # noqa: E402

DEV = ROOT / "rasid" / "data" / "models" / "ner" / "dev.txt"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def best_of(repeat: int, fn) -> tuple[float, float]:
    """(wall, CPU) seconds of the fastest of `repeat` runs: the least disturbed by other work.

    The CPU time (all of this process's threads) says what the work costs even when other
    processes share the cores; on an idle machine with one thread it equals the wall time.
    """
    times = []
    for _ in range(repeat):
        began, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - began, time.process_time() - cpu))
    return min(times)


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def load(model: str) -> None:
    if model == "tuned":
        from rasid.extract.ner.tuned import get_tagger

        get_tagger()
        return
    ner._load(model)
    if model == "e5":
        from rasid.extract.ner.encoder import get_encoder
        from rasid.extract.ner.probe import LAYER

        get_encoder(LAYER)


def _pool_init() -> None:
    from rasid.executor import one_blas_thread

    one_blas_thread()


def _tag_doc(job) -> tuple[int, float]:
    model, doc = job
    cpu = time.process_time()
    ner.tag_sentences(doc, model=model)
    return sum(map(len, doc)), time.process_time() - cpu


def pool_rate(model: str, sents, workers: int) -> tuple[float, float]:
    """(tokens per wall second, tokens per CPU-second of the workers) tagging the dev split
    as 20-sentence documents in a pool of `workers` single-threaded processes."""
    docs = [sents[i:i + 20] for i in range(0, len(sents), 20)]
    with multiprocessing.get_context("spawn").Pool(workers, _pool_init) as pool:
        pool.map(_tag_doc, [(model, docs[0])] * workers)  # load the model in every worker
        began = time.perf_counter()
        done = pool.map(_tag_doc, [(model, d) for d in docs], chunksize=1)
        wall = time.perf_counter() - began
    n = sum(k for k, _ in done)
    return n / wall, n / sum(c for _, c in done)


def run(model: str, repeat: int, gold, sents, texts, workers: int) -> None:
    before = rss_mb()
    began = time.perf_counter()
    load(model)
    load_s = time.perf_counter() - began
    n_dev = sum(map(len, sents))
    t_doc = best_of(repeat, lambda: ner.tag_sentences(sents, model=model))
    n_seed = sum(len(ner.tokenize(t)) for t in texts)
    t_find = best_of(repeat, lambda: [ner.find_entities(t, model=model) for t in texts])
    lines = [" ".join(s) for s in sents]
    n_lines = sum(len(ner.tokenize(t)) for t in lines)
    t_one = best_of(repeat, lambda: [ner.find_entities(t, model=model) for t in lines])
    t_batch = best_of(repeat, lambda: ner.find_entities_batch(lines, model=model))
    memory = rss_mb() - before
    rate, rate_cpu = pool_rate(model, sents, workers)
    print(f"\n== model {model} (load {load_s:.2f} s, +{memory:.0f} MB resident after loading "
          f"and tagging)")
    rows = [
        ("tag_sentences(), dev", n_dev, t_doc),
        ("find_entities(), 5 seeds", n_seed, t_find),
        ("find_entities() per dev sent.", n_lines, t_one),
        ("find_entities_batch(), dev", n_lines, t_batch),
    ]
    print(f"{'what':28} {'tokens':>7} {'seconds':>8} {'tokens/s':>9} {'tokens/CPU-s':>12}")
    for name, n, (secs, cpu) in rows:
        print(f"{name:28} {n:7d} {secs:8.3f} {n / secs:9.0f} {n / cpu:12.0f}")
    print(f"{f'tag_sentences(), pool of {workers}':28} {n_dev:7d} {n_dev / rate:8.3f} {rate:9.0f} "
          f"{rate_cpu:12.0f}")
    print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"dev scores ({DEV.relative_to(ROOT)}):")
    print(format_table(score(gold, ner.tag_sentences(sents, model=model))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", choices=["tuned", "e5", "crf", "all"], default="all")
    parser.add_argument("--workers", type=int, default=2, help="pool size for the pool figure")
    args = parser.parse_args()

    gold = read_conll(DEV)
    sents = [[w for w, _ in s] for s in gold]
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for model in (["crf", "tuned", "e5"] if args.model == "all" else [args.model]):
        run(model, args.repeat, gold, sents, texts, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
