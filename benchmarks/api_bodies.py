"""Answers of the API and the story pages, byte for byte: before a change and after it.

    python benchmarks/api_bodies.py --db postgresql://…/rasid_pgapi --save /tmp/before.jsonl
    python benchmarks/api_bodies.py --db postgresql://…/rasid_pgapi --against /tmp/before.jsonl

The URLs are the benchmark's plan (benchmarks/api.py: list pages, stories, searches), each list's
first page with filters, article and event details, places, actors, a 404, and the HTML story
pages; each is requested once in this process (fastapi.testclient, the response cache off) and its
status and a hash of its body are kept. --against prints every URL whose answer differs and exits 1
if any does. Volatile bytes (the page's version stamp in HTML) are none today: a difference is real.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import plan  # noqa: E402  (benchmarks/api.py: the benchmark's own URL mix)


def urls(store, total: int) -> list[str]:
    stories = [s.id for s in store.list_stories(limit=500)]
    articles = [a.id for a in store.list_articles(limit=40, offset=100)]
    events = [r.id for r in store.list_events(limit=60, offset=200)]
    out = list(dict.fromkeys(path for _, path in plan(total, stories or ["none"])))
    out += [f"/api/articles/{quote(a)}" for a in articles]
    out += [f"/api/events/{quote(e, safe=':')}" for e in events]
    out += [f"/stories/{quote(s)}" for s in stories[:40]]
    out += ["/api/places?limit=50", "/api/actors?limit=50", "/api/stories/nope", "/api/events?type=assault&limit=20",
            "/api/events?level=mention&limit=50", "/api/articles?language=ar&limit=20", "/api/search?q=%D8%AF%D8%B1%D8%B9%D8%A7"]
    return out


def answers(db: str, total: int) -> dict[str, list]:
    from fastapi.testclient import TestClient

    from rasid.app import ServeSettings, create_app
    from rasid.store import open_store

    out: dict[str, list] = {}
    with open_store(db) as store:
        paths = urls(store, total)
        with TestClient(create_app(ServeSettings(cache_entries=0), store)) as client:
            for path in paths:
                response = client.get(path)
                out[path] = [response.status_code, hashlib.sha256(response.content).hexdigest()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--requests", type=int, default=2000, help="the size of the benchmark plan the URLs come from")
    parser.add_argument("--save", help="write the answers' hashes to this JSON lines file")
    parser.add_argument("--against", help="compare with a file --save wrote")
    args = parser.parse_args()
    got = answers(args.db, args.requests)
    if args.save:
        Path(args.save).write_text("".join(json.dumps([u, *v], ensure_ascii=False) + "\n" for u, v in got.items()))
        print(f"{len(got):,} answers saved to {args.save}")
    if args.against:
        before = {row[0]: row[1:] for row in map(json.loads, Path(args.against).read_text().splitlines())}
        differ = [u for u in before if got.get(u) != before[u]]
        for url in differ:
            print(f"differs: {url} {before[url]} -> {got.get(url)}")
        print(f"{len(before) - len(differ):,} of {len(before):,} answers the same byte for byte")
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
