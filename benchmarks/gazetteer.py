"""Gazetteer benchmark: load time, size, and find_places throughput; plus stoplist tools.

Corpus: the five seed reports (../shared/corpus/seeds) and, with --saudi N, the first N articles
of SaudiNewsNet (../shared/data/saudinewsnet, CC BY-NC-SA 4.0, Alshehri 2015).
Machine: whatever runs it; the numbers in docs/gazetteer.md came from a 2-core shared container.

    python benchmarks/gazetteer.py                  # load time, counts, seed throughput
    python benchmarks/gazetteer.py --saudi 3000     # and throughput on 3,000 news articles
    python benchmarks/gazetteer.py --top 60 --saudi 5000   # most frequent places found (stoplist review)
    python benchmarks/gazetteer.py --common-words   # regenerate rasid/data/lexicons/place_common_words.txt
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import lzma
import pickle
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasid.extract import place_context as ctx  # noqa: E402
from rasid.extract.gazetteer import GAZETTEER_FILE, Gazetteer, load_gazetteer  # noqa: E402
from rasid.extract.gazetteer.keys import TOKEN, token_key  # noqa: E402
from rasid.extract.gazetteer.sources import ARAB_WORLD  # noqa: E402
from rasid.extract.places import find_places  # noqa: E402

SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
SAUDI = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
COMMON_FILE = ROOT / "rasid" / "data" / "lexicons" / "place_common_words.txt"
COMMON_MIN_COUNT = 20  # occurrences in SaudiNewsNet's 9 million words
NEAR_EAST = ARAB_WORLD | {"TR", "IL"}


def load_times(runs: int = 5) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of loading the gazetteer file, once per run."""
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        with gzip.open(GAZETTEER_FILE, "rb") as handle:
            Gazetteer(pickle.load(handle))
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return wall, cpu


def saudi_texts(limit: int) -> list[str]:
    texts = []
    with lzma.open(SAUDI, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts.append(f"{row['title']}\n{row['content']}")
            if len(texts) >= limit:
                break
    return texts


def throughput(texts: list[str], repeat: int = 1) -> tuple[float, float, int]:
    """Articles per wall-clock second and per CPU second (the machine may be shared), places found."""
    for text in texts[:50]:
        find_places(text)  # warm the gazetteer and the per-word caches
    wall, cpu, found = time.perf_counter(), time.process_time(), 0
    for _ in range(repeat):
        for text in texts:
            found += len(find_places(text))
    n = len(texts) * repeat
    return n / (time.perf_counter() - wall), n / (time.process_time() - cpu), found


def top_places(texts: list[str], n: int) -> None:
    counts: collections.Counter[tuple[str, str, str]] = collections.Counter()
    for text in texts:
        for p in find_places(text):
            counts[(p.text, p.name, p.country)] += 1
    for (surface, name, cc), count in counts.most_common(n):
        print(f"{count:6d}  {surface:24} {name:24} {cc}")


def protected(place) -> bool:
    """Places important enough to keep their name even when it is also a frequent word."""
    if place.rank == 0 or place.feature in ("country", "governorate"):
        return True
    if place.feature != "locality":
        return False
    if place.country in ("SY", "LB", "JO", "IQ", "PS") and place.population >= 20_000:
        return True
    return (place.country in NEAR_EAST and place.population >= 100_000) or place.population >= 1_000_000


def common_words() -> None:
    """Place names of one to three words that occur at least COMMON_MIN_COUNT times in
    SaudiNewsNet and name no protected place: they need a cue ("قرية X") to count as places."""
    gaz = load_gazetteer()
    long_names = {k for k in gaz.names if 1 < k.count(" ") + 1 <= 3}
    counts: collections.Counter[str] = collections.Counter()
    with lzma.open(SAUDI, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            keys = [token_key(t) for t in TOKEN.findall(f"{row['title']}\n{row['content']}")]
            for i, key in enumerate(keys):
                for reading in set(ctx.readings(key)):
                    counts[reading] += 1
                    for n in (2, 3):
                        gram = " ".join([reading] + keys[i + 1:i + n])
                        if gram in long_names:
                            counts[gram] += 1
    words = sorted(k for k, ids in gaz.names.items() if counts[k] >= COMMON_MIN_COUNT
                   and not any(protected(gaz.places[i]) for i in ids))
    header = COMMON_FILE.read_text(encoding="utf-8").split("\n# ---\n")[0]
    COMMON_FILE.write_text(header + "\n# ---\n" + "\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} names to {COMMON_FILE}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saudi", type=int, default=0, help="also time N SaudiNewsNet articles")
    parser.add_argument("--top", type=int, default=0, help="print the N most frequent places found")
    parser.add_argument("--common-words", action="store_true", help="regenerate the common-word list")
    args = parser.parse_args()
    if args.common_words:
        common_words()
        return
    times, cpu_times = load_times()
    gaz = load_gazetteer()
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    print(f"gazetteer file     {GAZETTEER_FILE.name}  {GAZETTEER_FILE.stat().st_size / 1e6:.1f} MB")
    print(f"load time          median {statistics.median(times) * 1000:.0f} ms wall, "
          f"{statistics.median(cpu_times) * 1000:.0f} ms CPU over {len(times)} runs")
    print(f"places / names     {len(gaz.places):,} / {len(gaz.names):,}")
    rate, cpu_rate, found = throughput(seeds, repeat=40)
    print(f"seeds              {rate:,.0f} articles/s wall, {cpu_rate:,.0f} per CPU second "
          f"({found // 40} places per pass of 5 seeds)")
    if args.saudi:
        texts = saudi_texts(args.saudi)
        if args.top:
            top_places(texts, args.top)
        rate, cpu_rate, found = throughput(texts)
        chars = sum(len(t) for t in texts) / len(texts)
        print(f"SaudiNewsNet       {rate:,.0f} articles/s wall, {cpu_rate:,.0f} per CPU second on "
              f"{len(texts):,} articles ({chars:,.0f} chars each, {found / len(texts):.1f} places each)")
    print("rerun: python benchmarks/gazetteer.py --saudi 3000")


if __name__ == "__main__":
    main()
