"""Build rasid/data/lexicons/search_terms.tsv.gz: the index terms of the words Arabic news uses most.

Ingest stems every word it has not seen before in the process (``rasid.arabic.search``); each
worker of a pool starts with an empty cache, so the common words were stemmed once per worker and
per run. This table gives them from the start. It is a cache, never a source of truth: each line
is ``word<TAB>terms`` exactly as ``index_terms(word)`` computes them, and the loader checks a sample
against the stemmer it runs with (and ``tests/test_search_terms.py`` checks every line).

Source: the words of text whose licence lets the table ship inside an Apache-2.0 project:
ANERcorp's train split (../shared/data/anercorp, CC BY-SA 4.0, Benajiba et al. 2007; the table is
therefore CC BY-SA 4.0 like the NER models trained on it) and the Wojood sample (MIT, Jarrar et al.
2022), every word they hold (--min-count raises the bar). SaudiNewsNet is not used: it is CC BY-NC-SA, and a
table derived from it could not ship; it stays the benchmarks' corpus, so they measure text the
table was not built from.

Rerun after changing the stemmer or the index terms:
    python tools/build_search_terms.py [--min-count 1]
"""
from __future__ import annotations

import argparse
import collections
import gzip
import sys
from pathlib import Path

# Run from the repository root as `python -m tools.NAME` or `python tools/NAME.py`: either way the
# rasid package imported is this checkout's.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rasid.arabic.search import SEARCH_TERMS_FILE, index_terms  # noqa: E402
from rasid.arabic.tokens import SEARCH_WORD  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SOURCES = (DATA / "anercorp" / "train.txt", DATA / "wojood-sample" / "train.txt", DATA / "wojood-sample" / "val.txt")


def frequent_words(sources: tuple[Path, ...], min_count: int) -> list[str]:
    """Words of the token-per-line files (the token is the first field), as ingest splits them."""
    counts: collections.Counter = collections.Counter()
    for source in sources:
        with open(source, encoding="utf-8") as lines:
            for line in lines:
                counts.update(SEARCH_WORD.findall(line.split(" ", 1)[0]))
    return sorted(word for word, count in counts.items() if count >= min_count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-count", type=int, default=1, help="keep words found at least this often (1)")
    args = parser.parse_args()
    missing = [str(p) for p in SOURCES if not p.is_file()]
    if missing:
        parser.error(f"missing: {', '.join(missing)}; put the shared folder beside the project (../shared)")
    words = frequent_words(SOURCES, args.min_count)
    out = ROOT / "rasid" / "data" / SEARCH_TERMS_FILE
    header = (f"# The index terms of {len(words):,} words found at least {args.min_count} times in ANERcorp's train "
              f"split (CC BY-SA 4.0) and the Wojood sample (MIT); built by tools/build_search_terms.py\n")
    body = "".join(f"{word}\t{index_terms(word)}\n" for word in words)
    with gzip.GzipFile(out, "wb", mtime=0) as f:  # mtime 0: the same words give the same bytes
        f.write((header + body).encode("utf-8"))
    print(f"{out.relative_to(ROOT)}: {len(words):,} words, {out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
