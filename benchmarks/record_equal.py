"""The record before and after a change: the whole pipeline on N SaudiNewsNet reports, its record
saved to a JSON file, or compared with one saved earlier (by another tree, say before a speed-up).

`--save FILE` runs `rasid ingest` on the first N reports into a fresh SQLite file and writes every
part of the record (articles, extractions, event mentions, merged events, stories, members,
duplicate links; times left out: the parts of benchmarks/dask_equivalence.py). `--compare FILE`
runs the same and prints, per part, how many rows each has and how many differ, and the first
differing keys; exit status 1 when anything differs. `--ner off` runs without NER.

Corpus: the first N lines of ../shared/data/saudinewsnet/saudinewsnet.jsonl.xz (CC BY-NC-SA 4.0,
Alshehri 2015).

Rerun: PYTHONPATH=OLD_TREE python benchmarks/record_equal.py --save /tmp/before.json
       python benchmarks/record_equal.py --compare /tmp/before.json
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dask_equivalence import CORPUS, record, run  # noqa: E402  (one definition of "the record")
from pipeline import sample  # noqa: E402


def current(limit: int, workers: int, ner: str) -> tuple[dict, float]:
    env = {"RASID_EXECUTOR_KIND": "local", "RASID_INGEST_WORKERS": str(workers)}
    if ner == "off":
        env["RASID_ANALYSIS_NER"] = "false"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = sample(CORPUS, limit, folder)
        db = str(folder / "r.db")
        seconds = run(db, source, env)
        return record(db), seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="the first N SaudiNewsNet reports (2000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ner", choices=["on", "off"], default="on",
                        help="on: the settings' default (analysis.ner = auto); off: analysis.ner = false")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="write the record to this JSON file")
    group.add_argument("--compare", type=Path, help="compare the record with this JSON file")
    args = parser.parse_args()
    if args.compare and not args.compare.is_file():
        parser.error(f"{args.compare} does not exist; write it first with --save")
    mine, seconds = current(args.limit, args.workers, args.ner)
    print(f"first {args.limit:,} reports, NER {args.ner}: {seconds:.1f} s; load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.save:
        args.save.write_text(json.dumps(mine, ensure_ascii=False), encoding="utf-8")
        print(f"saved {sum(map(len, mine.values())):,} rows to {args.save}")
        return 0
    theirs = json.loads(args.compare.read_text(encoding="utf-8"))
    same = True
    print(f"{'part of the record':<30}{'saved':>8}{'now':>8}{'differ':>8}")
    for part in theirs:
        old, new = theirs[part], mine.get(part, {})
        differ = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        same = same and not differ
        print(f"{part:<30}{len(old):>8,}{len(new):>8,}{len(differ):>8,}  {' '.join(differ[:3])}")
    print("identical" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
