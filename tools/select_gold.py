"""Choose the conflict and displacement reports of the figure gold set from SaudiNewsNet.

Seeded and deterministic: the same corpus file and seed give the same reports. Steps:

1. Read every article of ``saudinewsnet.jsonl.xz``; drop exact copies (same normalised body,
   the first in file order is kept) and the two sports outlets (arreyadi, arriyadiyah).
2. Keep the reports whose title and body hold conflict or displacement vocabulary: at least one
   word of harm or movement (قتل، جرحى، نازح، لاجئ، اختطاف، حصار…) and at least one word of
   violence (غارة، قصف، اشتباك، هجوم، تفجير، مسلح، داعش…), which leaves out road accidents
   and hospital news that only say إصابة.
3. Keep short-to-medium reports (body of 300 to 1,600 characters), so that every report can be
   read and annotated by hand in about a minute; long features are left out on purpose, which
   the gold's README states as a limit.
4. Split the pool of each outlet into reports with a digit in the body and reports without
   one (condemnations, opinion, statements: the reports that should give few or no figures).
5. With ``random.Random(SEED)``, draw per outlet ``--per-outlet`` reports with a digit and
   ``--no-digit`` without, outlets in sorted order; an outlet with too few digit-free reports
   gives the shortfall from its reports with a digit (so 12 outlets x 5 = 60 reports).

Usage:
    python tools/select_gold.py [--corpus PATH] [--out tests/gold/reports.jsonl] [--seed 11]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet.jsonl.xz"
OUT = ROOT / "tests" / "gold" / "reports.jsonl"
SEED = 11
SPORTS = {"arreyadi", "arriyadiyah"}
MIN_CHARS, MAX_CHARS = 300, 1600

# Stems matched on normalised text (alef forms, ى, ة unified; tashkeel removed).
HARM = ("قتل", "قتيل", "مقتل", "جرحي", "جريح", "اصابه", "اصيب", "مصاب", "نازح", "نزوح", "لاجي",
        "لاجئ", "مهجر", "تهجير", "فروا", "فرار", "اجلاء", "اختطاف", "مختطف", "اسري", "اسر ",
        "معتقل", "اعتقال", "حصار", "محاصر", "مفقود", "ضحايا", "شهيد", "استشهد")
VIOLENCE = ("غاره", "غارات", "قصف", "اشتباك", "معارك", "هجوم", "انفجار", "تفجير", "مسلح",
            "الحوثي", "داعش", "انتحاري", "قذائف", "عبوه")
TASHKEEL = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")


def normalise(text: str) -> str:
    text = TASHKEEL.sub("", text)
    text = re.sub("[إأآٱ]", "ا", text)
    return text.replace("ى", "ي").replace("ة", "ه").replace("ؤ", "و").replace("ئ", "ي")


def report_id(url: str) -> str:
    return "sn-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]


def is_conflict(title: str, body: str) -> bool:
    text = normalise(title + " " + body)
    harm = {w for w in HARM if normalise(w) in text}
    violence = {w for w in VIOLENCE if normalise(w) in text}
    return bool(harm) and bool(violence)


def read_corpus(path: Path):
    if not path.is_file():
        sys.exit(f"{path}: no such corpus file; pass --corpus PATH to saudinewsnet.jsonl.xz")
    seen = set()
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            key = hashlib.sha256(normalise(row["content"]).encode("utf-8")).hexdigest()
            if key in seen or row["source"] in SPORTS:
                continue
            seen.add(key)
            yield row


def pools(path: Path) -> dict[tuple[str, bool], list[dict]]:
    out: dict[tuple[str, bool], list[dict]] = {}
    for row in read_corpus(path):
        body = row["content"].strip()
        if not MIN_CHARS <= len(body) <= MAX_CHARS or not is_conflict(row["title"], body):
            continue
        has_digit = bool(re.search(r"[0-9\u0660-\u0669]", body))
        out.setdefault((row["source"], has_digit), []).append(row)
    return out


def select(path: Path, seed: int, per_outlet: int, no_digit: int) -> list[dict]:
    rng = random.Random(seed)
    by_pool = pools(path)
    chosen = []
    for outlet in sorted({o for o, _ in by_pool}):
        none = by_pool.get((outlet, False), [])
        # An outlet short of digit-free reports gives the shortfall from its other pool.
        n_none = min(no_digit, len(none))
        digit = by_pool.get((outlet, True), [])
        chosen += rng.sample(digit, min(per_outlet + no_digit - n_none, len(digit)))
        chosen += rng.sample(none, n_none)
    return chosen


def as_record(row: dict) -> dict:
    return {"id": report_id(row["url"]), "outlet": row["source"], "url": row["url"],
            "date": row["date_extracted"][:10], "title": row["title"].strip(),
            "text": row["content"].strip()}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--per-outlet", type=int, default=4, help="reports with a digit per outlet")
    ap.add_argument("--no-digit", type=int, default=1, help="reports without a digit per outlet")
    ap.add_argument("--stats", action="store_true", help="print the pool sizes and exit")
    args = ap.parse_args(argv)
    if args.stats:
        for (outlet, has_digit), pool in sorted(pools(args.corpus).items()):
            print(f"{outlet:<14}{'digit' if has_digit else 'none':<7}{len(pool):>6}")
        return
    rows = select(args.corpus, args.seed, args.per_outlet, args.no_digit)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(as_record(row), ensure_ascii=False) + "\n")
    print(f"{len(rows)} reports from {len({r['source'] for r in rows})} outlets -> {args.out}")


if __name__ == "__main__":
    main()
