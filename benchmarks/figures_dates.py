"""Throughput of figure and date extraction on SaudiNewsNet (31,030 Arabic articles, 2015).

Measures find_figures + find_dates per article (the text view is built once and shared, as in
the pipeline) over the first N articles, after a warm-up on the first 50, and prints a table.
Per-article times are CPU time of this process, so other load on a shared machine does not
count; the wall-clock rate is printed alongside.

Rerun: python benchmarks/figures_dates.py [--n 2000] [--data PATH]
"""
from __future__ import annotations

import argparse
import json
import lzma
import platform
import statistics
import time
from pathlib import Path

from rasid.extract.dates import find_dates
from rasid.extract.figures import find_figures

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"


def load(path: Path, n: int) -> list[tuple[str, str]]:
    out = []
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out.append((row.get("content") or "", (row.get("date_extracted") or "")[:10]))
            if len(out) >= n:
                break
    return out


def run(articles: list[tuple[str, str]]) -> dict:
    for text, pub in articles[:50]:  # warm the lexicon and word caches
        find_figures(text), find_dates(text, pub)
    times, figures, dates, chars = [], 0, 0, 0
    start, cpu = time.perf_counter(), time.process_time()
    for text, pub in articles:
        t0 = time.process_time()
        figures += len(find_figures(text))
        dates += len(find_dates(text, pub))
        times.append(time.process_time() - t0)
        chars += len(text)
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"articles": len(articles), "seconds": total, "per_second": len(articles) / total,
            "per_cpu_second": len(articles) / cpu,
            "median_ms": statistics.median(times) * 1000, "p95_ms": sorted(times)[int(len(times) * 0.95)] * 1000,
            "chars": chars, "figures": figures, "dates": dates}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="articles to process (default 2000)")
    ap.add_argument("--data", type=Path, default=DEFAULT, help="SaudiNewsNet .jsonl.xz")
    args = ap.parse_args()
    r = run(load(args.data, args.n))
    print(f"corpus   SaudiNewsNet, first {r['articles']} articles ({r['chars'] / r['articles']:.0f} chars each)")
    print(f"machine  {platform.processor() or platform.machine()}, Python {platform.python_version()}, one process")
    print("times are CPU time of this process (robust to other load); wall-clock rate alongside")
    print(f"{'articles/s':>12} {'wall art/s':>11} {'median ms':>10} {'p95 ms':>8} {'figures':>8} {'dates':>7}")
    print(f"{r['per_cpu_second']:>12.0f} {r['per_second']:>11.0f} {r['median_ms']:>10.2f} {r['p95_ms']:>8.2f}"
          f" {r['figures']:>8} {r['dates']:>7}")
    print(f"rerun: python benchmarks/figures_dates.py --n {args.n}")


if __name__ == "__main__":
    main()
