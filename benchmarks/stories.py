"""Dedupe and story clustering at scale, on SaudiNewsNet (31,030 real Arabic articles).

Corpus: ../shared/data/saudinewsnet/saudinewsnet.jsonl.xz (CC BY-NC-SA 4.0, Alshehri 2015).
Subsets are the first N articles ordered by the SHA-1 of their URL (a fixed, outlet-mixed sample);
"all" is every article. Each size runs in a fresh process, so its peak memory (ru_maxrss) is its
own. Timed: exact-copy hashes of every article, the near-copy index (MinHash LSH), and the
stories (features + clustering, one ``StoryClusterer.add`` of the whole set). Checked: every
group of articles with identical ``content`` (the raw data's exact copies: 560 groups, 43 across
outlets) must share one content hash; and how many groups sharing a title ended in one story.

Rerun:  python benchmarks/stories.py            (add --embeddings to embed title+leads too)
        python benchmarks/stories.py --sizes 5000,all
        python benchmarks/stories.py --live 10000,20000,30000   (what a live batch costs: live_stories.py)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
DATA = ROOT.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"


def load(path: Path, size: int | None) -> list[dict]:
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    rows.sort(key=lambda r: hashlib.sha1(r["url"].encode("utf-8")).hexdigest())
    return rows if size is None else rows[:size]


def articles(rows: list[dict]):
    from rasid.models import Article
    return [Article(id=f"snn-{i:05d}", text=r["content"], title=r["title"], outlet=r["source"],
                    url=r["url"], published=r["date_extracted"][:10], published_precision="day")
            for i, r in enumerate(rows)]


def _groups(keys: list[str]) -> list[list[int]]:
    by_key = defaultdict(list)
    for index, key in enumerate(keys):
        by_key[key].append(index)
    return [g for g in by_key.values() if len(g) > 1]


def _timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def exact_check(rows: list[dict], hashes: list[str]) -> dict:
    truth = _groups([r["content"].strip() for r in rows])
    found = sum(len({hashes[i] for i in group}) == 1 for group in truth)
    across = [g for g in truth if len({rows[i]["source"] for i in g}) > 1]
    return {"exact_groups": len(truth), "exact_found": found, "exact_across": len(across),
            "hash_groups": len(_groups(hashes))}


def near_copies(rows: list[dict]) -> int:
    from rasid.dedupe import NearDuplicateIndex
    index = NearDuplicateIndex()
    return sum(bool(index.add(f"snn-{i:05d}", r["content"])) for i, r in enumerate(rows))


def title_check(items, assignment: dict[str, str]) -> dict:
    groups = _groups([a.title.strip() or f"(untitled {a.id})" for a in items])
    together = sum(len({assignment[items[i].id] for i in g}) == 1 for g in groups)
    return {"title_groups": len(groups), "title_together": together}


def run_one(size: int | None, embeddings: bool) -> dict:
    from rasid.cluster import StoryClusterer
    from rasid.dedupe import content_hash
    rows = load(DATA, size)
    items = articles(rows)
    hashes, hash_wall, hash_cpu = _timed(lambda: [content_hash(r["content"]) for r in rows])
    near, near_wall, near_cpu = _timed(lambda: near_copies(rows))
    clusterer = StoryClusterer(use_embeddings=embeddings)
    assignment, story_wall, story_cpu = _timed(lambda: clusterer.add(items))
    sizes = sorted((len(s.article_ids) for s in clusterer.stories()), reverse=True)
    return {"articles": len(rows), "hash_s": hash_wall, "near_s": near_wall, "story_s": story_wall,
            "cpu_s": hash_cpu + near_cpu + story_cpu, "near_linked": near,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "stories": len(sizes), "largest": sizes[0], "singletons": sizes.count(1),
            **exact_check(rows, hashes), **title_check(items, assignment)}


ROW = ("{articles:>7,} {hash_s:>8.1f} {near_s:>8.1f} {story_s:>8.1f} {total:>8.1f} {cpu_s:>8.1f}"
       " {peak_mb:>8.0f} {stories:>8,} {largest:>7} {exact:>11} {titles:>13}")
HEAD = (f"{'articles':>7} {'hash s':>8} {'near s':>8} {'story s':>8} {'total s':>8} {'cpu s':>8}"
        f" {'peak MB':>8} {'stories':>8} {'largest':>7} {'exact found':>11} {'title→1 story':>13}")


def show(result: dict) -> str:
    total = result["hash_s"] + result["near_s"] + result["story_s"]
    exact = f"{result['exact_found']}/{result['exact_groups']}"
    titles = f"{result['title_together']}/{result['title_groups']}"
    return ROW.format(total=total, exact=exact, titles=titles, **result)


def run_live(size: int, drops: int) -> dict:
    from live_stories import measure
    from rasid.cluster.features import article_features

    return measure([article_features(a) for a in articles(load(DATA, size + drops))], drops)


def live(sizes: str, drops: int) -> None:
    from live_stories import HEAD, row

    print(f"SaudiNewsNet, {DATA.name}; python {sys.version.split()[0]}; each record size in a fresh process; "
          f"{drops} live batches of one report each")
    print(HEAD)
    for size in sizes.split(","):
        command = [sys.executable, __file__, "--live-one", size, "--drops", str(drops)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        print(row(json.loads(output.strip().splitlines()[-1])), flush=True)
    print(f"rerun: python benchmarks/stories.py --live {sizes} --drops {drops}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="5000,10000,20000,all")
    parser.add_argument("--embeddings", action="store_true", help="embed title+leads (slow)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--live", metavar="SIZES", help="record sizes for the live-batch table, e.g. 10000,30000")
    parser.add_argument("--drops", type=int, default=5, help="live batches (one report each) per size")
    parser.add_argument("--live-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.live_one:
        print(json.dumps(run_live(args.live_one, args.drops)))
        return
    if args.live:
        live(args.live, args.drops)
        return
    if args.one:
        size = None if args.one == "all" else int(args.one)
        print(json.dumps(run_one(size, args.embeddings)))
        return
    if not DATA.exists():
        sys.exit(f"{DATA} is missing: ../shared/data must sit beside the project")
    print(f"SaudiNewsNet, {DATA.name}; python {sys.version.split()[0]}; each size in a fresh process")
    print(HEAD)
    results = []
    for size in args.sizes.split(","):
        command = [sys.executable, __file__, "--one", size] + (["--embeddings"] if args.embeddings else [])
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
        print(show(results[-1]), flush=True)
    last = results[-1]
    print(f"exact-copy groups across outlets: {last['exact_across']}; content-hash groups "
          f"(copies after folding spacing, punctuation, letter forms): {last['hash_groups']}; "
          f"articles with a near copy before them: {last['near_linked']:,}; "
          f"singleton stories: {last['singletons']:,}")
    print("rerun: python benchmarks/stories.py" + (" --embeddings" if args.embeddings else ""))


if __name__ == "__main__":
    main()
