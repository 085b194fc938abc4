"""Dump the extract stage's output on SaudiNewsNet articles and the seeds, to prove that a speed
change leaves every figure, date, place, actor, source and event exactly as it was.

    python tools/extract_dump.py --out /tmp/before.jsonl            # before the change
    python tools/extract_dump.py --check /tmp/before.jsonl          # after it: identical or not

One JSON line per article (the seeds first, then the first --limit SaudiNewsNet records), keys
sorted, Arabic kept readable. --check writes the new dump next to the old one (``.new``) and
names the first article and field that differ; it exits 1 on any difference.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import multiprocessing
import sys
from pathlib import Path
from typing import Iterator, Optional

from rasid.clean import clean
from rasid.extract.run import ExtractOptions, extract_article
from rasid.ingest.fields import record_from_mapping
from rasid.ingest.published import parse_published
from rasid.models import Article, Rejection

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
SEEDS = SHARED / "corpus" / "seeds"
_OPTIONS = ExtractOptions()


def seed_articles(folder: Path) -> Iterator[Article]:
    """The seed reports: title on the first line, no date (as `rasid ingest` reads them)."""
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        yield Article(id=f"seed:{path.name}", text=text, title=text.split("\n", 1)[0].strip())


def corpus_articles(path: Path, limit: int) -> Iterator[Article]:
    """The first ``limit`` SaudiNewsNet records that ingest accepts, with their dates."""
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number >= limit:
                return
            record = record_from_mapping(json.loads(line), f"{path}:{number + 1}")
            if isinstance(record, Rejection):
                continue
            published, precision = parse_published(record.published)
            yield Article(id=str(number), text=record.text, title=record.title, published=published,
                          published_precision=precision)


def dump_line(article: Article) -> str:
    extraction = extract_article(article, clean(article.text, article.title).sentences, _OPTIONS)
    return json.dumps(extraction.to_dict(), ensure_ascii=False, sort_keys=True)


def _init(ner: bool, model: str) -> None:
    global _OPTIONS
    _OPTIONS = ExtractOptions(ner=ner, ner_model=model)


def dump(out: Path, limit: int, workers: int, ner: bool, model: str) -> str:
    items = list(seed_articles(SEEDS)) + list(corpus_articles(CORPUS, limit))
    _init(ner, model)
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers, _init, (ner, model)) as pool:
            lines = list(pool.imap(dump_line, items, chunksize=8))
    else:
        lines = [dump_line(a) for a in items]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    out.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def first_difference(old: Path, new: Path) -> Optional[str]:
    """The first article (and its first differing field) whose dump line changed."""
    a = old.read_text(encoding="utf-8").splitlines()
    b = new.read_text(encoding="utf-8").splitlines()
    if len(a) != len(b):
        return f"{len(a)} articles before, {len(b)} now"
    for x, y in zip(a, b):
        if x != y:
            dx, dy = json.loads(x), json.loads(y)
            field = next(k for k in dx if dx[k] != dy.get(k))
            return f"article {dx['article_id']}: {field} differs\n  before: {dx[field]}\n  now:    {dy[field]}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="SaudiNewsNet records read (default 2000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ner", choices=["off", "crf", "e5", "tuned"], default="off")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", help="write the dump here")
    group.add_argument("--check", help="compare with this earlier dump (same --limit and --ner)")
    args = parser.parse_args()
    if args.check and not Path(args.check).is_file():
        parser.error(f"--check {args.check}: no such dump; write one first with --out {args.check}")
    target = Path(args.out) if args.out else Path(args.check + ".new")
    digest = dump(target, args.limit, args.workers, args.ner != "off", args.ner if args.ner != "off" else "auto")
    print(f"{target}: sha256 {digest}")
    if not args.check:
        return 0
    difference = first_difference(Path(args.check), target)
    print("identical" if difference is None else f"DIFFERENT: {difference}")
    return 0 if difference is None else 1


if __name__ == "__main__":
    sys.exit(main())
