"""Build rasid/data/gazetteer/gazetteer.pkl.gz from WOF, GeoNames, CLDR and the curated places.

Run from the repository root: python -m tools.build_gazetteer [--source ../shared/data/gazetteer] [--out PATH]
"""
from __future__ import annotations

import argparse
import gzip
import logging
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Iterable

# Run from the repository root as `python -m tools.NAME` or `python tools/NAME.py`: either way the
# rasid package imported is this checkout's.
REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from rasid.extract.gazetteer import admin as adm  # noqa: E402
from rasid.extract.gazetteer import sources as src  # noqa: E402
from rasid.extract.gazetteer.keys import key_of, loose_key  # noqa: E402
from rasid.extract.gazetteer.sources import Record  # noqa: E402

log = logging.getLogger(__name__)

PACKAGE_DATA = REPO / "rasid" / "data" / "gazetteer"
DEFAULT_OUT = PACKAGE_DATA / "gazetteer.pkl.gz"
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "gazetteer"  # ../shared
FORMAT_VERSION = 1
FIELDS = ("id", "name", "name_en", "feature", "precision", "lat", "lon", "country", "admin1",
          "admin2", "population", "rank", "capital")
DUPLICATE_KM = 3.0
UNDOF_ID = "85681385"  # the UN buffer zone polygon is not a governorate
# Countries every place of which (but regions and the country itself) must carry an admin1: the
# nearest places that have one give theirs to a place left without (docs/gazetteer.md).
ADMIN1_EVERYWHERE = ("SY", "IQ", "YE", "LY", "LB")
NEIGHBOURS = 5  # nearest places with an admin1 that vote for a place without one


class SyriaAdmin:
    """Governorate and district of a Syrian point, with the Arabic names of the curated file."""

    def __init__(self, source: Path, names: dict[tuple[int, str], str]):
        adm1 = src.read_geojson(source / "sy_adm1.geojson")
        adm2 = src.read_geojson(source / "sy_adm2.geojson")
        self.by_region = {f["properties"]["region"]: names.get((1, str(f["properties"]["wof_id"])), "")
                          for f in adm1}
        self.by_hasc = {f["properties"]["hasc"]: names.get((1, str(f["properties"]["wof_id"])), "")
                        for f in adm1}
        self.adm1 = [(names[(1, str(f["properties"]["wof_id"]))], adm.polygons_of(f["geometry"]))
                     for f in adm1 if str(f["properties"]["wof_id"]) != UNDOF_ID]
        self.adm2 = [((names[(2, str(f["properties"]["wof_id"]))], self._region_of(f["properties"])),
                      adm.polygons_of(f["geometry"])) for f in adm2]

    def _region_of(self, props: dict) -> str:
        by_region = self.by_region.get(props.get("region") or "")
        return by_region or self.by_hasc.get(".".join(props["hasc"].split(".")[:2]), "")

    def lookup(self, lat: float, lon: float) -> tuple[str, str]:
        """(admin1, admin2) Arabic names; ("", "") outside Syria."""
        hit = adm.find_unit(self.adm2, lat, lon)
        if hit:
            return hit[1], hit[0]
        return adm.find_unit(self.adm1, lat, lon) or "", ""

    def tables(self) -> dict:
        return {"adm1": self.adm1, "adm2": self.adm2}


def wof_records(source: Path, syria: SyriaAdmin, names: dict) -> list[Record]:
    """WOF places with Arabic admin names: polygons for Syria, WOF's own regions elsewhere."""
    rows = list(src.read_wof(source / "wof_levant_gazetteer.tsv"))
    regions = {(r.country, adm1): r.name for r, adm1, _ in rows if r.feature == "governorate"}
    counties = {(r.country, r.name_en): r.name for r, _, _ in rows if r.feature == "district"}
    out = []
    for record, adm1_en, adm2_en in rows:
        wof_id = record.id.split(":")[1]
        if record.country == "SY":
            _syrian_admin(record, syria, names, wof_id)
        else:
            record.admin1 = regions.get((record.country, adm1_en), "")
            record.admin2 = counties.get((record.country, adm2_en), "")
        out.append(record)
    return out


def _syrian_admin(record: Record, syria: SyriaAdmin, names: dict, wof_id: str) -> None:
    if record.feature == "country":
        return
    if (1, wof_id) in names:  # a governorate: "محافظة درعا", matched by "درعا"
        record.admin1 = record.name = names[(1, wof_id)]
        return
    record.admin1, record.admin2 = syria.lookup(record.lat, record.lon)
    if (2, wof_id) in names:
        record.admin2 = names[(2, wof_id)]


def add_geonames(records: list[Record], syria: SyriaAdmin) -> list[Record]:
    """Merge GeoNames names and populations into WOF places of the same id; add the others."""
    by_gn = {r.gn_id: r for r in records if r.gn_id}
    added = []
    for city in src.read_geonames(set(by_gn)):
        known = by_gn.get(city.gn_id)
        if known is not None:
            known.names += [n for n in city.names if n not in known.names]
            known.population = max(known.population, city.population)
            known.capital = known.capital or city.capital
            continue
        if city.country == "SY":
            city.admin1, city.admin2 = syria.lookup(city.lat, city.lon)
        added.append(city)
    return records + added


def add_curated(records: list[Record], curated: Iterable[Record], syria: SyriaAdmin) -> list[Record]:
    """Curated places first; curated country rows only add spellings to that country."""
    countries = {r.country: r for r in records if r.feature == "country"}
    places = []
    for row in curated:
        if row.feature == "country" and row.lat is None:
            target = countries.get(row.country)
            if target is not None:
                target.names += [n for n in row.names if n not in target.names]
            continue
        if row.country == "SY" and not row.admin1 and row.precision not in ("region", "country"):
            row.admin1, row.admin2 = syria.lookup(row.lat, row.lon)
        places.append(row)
    return places + records


def add_admin1(records: list[Record], units: list[Record]) -> list[Record]:
    """The first-level units of admin1_ar.tsv, and their names as admin1 of themselves and of the
    GeoNames places they hold, in the countries of ADMIN1_EVERYWHERE. Elsewhere (Saudi Arabia,
    Egypt) the units are added without an admin1, like the towns there: event mentions whose
    admin1 differ never merge (rasid/reconcile/match.py), and a unit that alone carried one would
    split the mentions of one happening told once by its governorate and once by a town."""
    by_code = {(u.country, u.extra["admin1code"]): u.extra["admin1"] for u in units}
    for r in records + units:
        if not r.admin1 and r.feature != "country" and r.country in ADMIN1_EVERYWHERE:
            r.admin1 = by_code.get((r.country, r.extra.get("admin1code", "")), "")
    return records + units


def fill_admin1(records: list[Record], countries: Iterable[str] = ADMIN1_EVERYWHERE) -> int:
    """Give each place of these countries that lacks an admin1 the one most of its NEIGHBOURS
    nearest places (of the same country, with an admin1) carry; ties go to the nearest. Regions
    and countries keep none. Returns how many were filled."""
    filled = 0
    for cc in countries:
        known = [r for r in records if r.country == cc and r.admin1 and r.lat is not None
                 and r.feature not in ("country", "governorate")]
        for r in records:
            if r.country != cc or r.admin1 or r.lat is None or r.precision in ("region", "country"):
                continue
            near = _nearest(r, known)
            if near:
                votes: dict[str, int] = {}
                for k in near:
                    votes[k.admin1] = votes.get(k.admin1, 0) + 1
                r.admin1 = max(near, key=lambda k: votes[k.admin1]).admin1
                filled += 1
    return filled


def _nearest(r: Record, known: list[Record]) -> list[Record]:
    """The NEIGHBOURS records of `known` nearest to r, looked for in a widening box of degrees."""
    for box in (0.25, 1.0, 4.0, 180.0):
        close = [k for k in known if abs(k.lat - r.lat) <= box and abs(k.lon - r.lon) <= box]
        if len(close) >= NEIGHBOURS or box == 180.0:
            return sorted(close, key=lambda k: (adm.km(r.lat, r.lon, k.lat, k.lon), k.id))[:NEIGHBOURS]
    return []


def merge_countries(records: list[Record]) -> list[Record]:
    """One record per country: WOF's Levant countries absorb the CLDR ones of the same code."""
    wof = {r.country: r for r in records if r.feature == "country" and r.rank == src.WOF}
    out = []
    for r in records:
        if r.feature == "country" and r.rank == src.CLDR and r.country in wof:
            target = wof[r.country]
            target.names += [n for n in r.names if n not in target.names]
            target.population = max(target.population, r.population)
            continue
        out.append(r)
    return out


def dedupe(records: list[Record]) -> list[Record]:
    """Merge records of one country sharing a name and lying within DUPLICATE_KM of each other.

    Two records merge when they have the same feature, or when the kept one is curated (the
    curated "مخيم اليرموك" camp absorbs WOF's locality of that name).
    """
    order = sorted(records, key=lambda r: (r.rank, r.feature != "locality", -r.population))
    buckets: dict[tuple[str, str], list[Record]] = {}
    out = []
    for r in order:
        keys = {(r.country, key_of(n)) for n in r.names}
        twin = next((b for k in keys for b in buckets.get(k, ()) if _twins(b, r)), None)
        if twin is None:
            for k in keys:
                buckets.setdefault(k, []).append(r)
            out.append(r)
            continue
        twin.names += [n for n in r.names if n not in twin.names]
        twin.population = max(twin.population, r.population)
        twin.capital = twin.capital or r.capital
    return out


def _twins(kept: Record, other: Record) -> bool:
    same_kind = kept.feature == other.feature or kept.rank == src.CURATED
    return same_kind and _close(kept, other)


def _close(a: Record, b: Record) -> bool:
    if a.lat is None or b.lat is None:
        return a.lat is b.lat
    return adm.km(a.lat, a.lon, b.lat, b.lon) <= DUPLICATE_KM


def index(records: list[Record]) -> tuple[dict, dict, frozenset]:
    """name key -> place indexes, loose key -> place indexes, and the token prefixes of long keys."""
    names: dict[str, list[int]] = {}
    loose: dict[str, list[int]] = {}
    prefixes: set[str] = set()
    for i, r in enumerate(records):
        for name in r.names:
            key = key_of(name)
            if len(key.replace(" ", "")) < 2 or key.replace(" ", "").isdigit():
                continue
            _add(names, key, i)
            _add(loose, loose_key(key), i)
            tokens = key.split(" ")
            for n in range(1, len(tokens)):
                prefixes.add(" ".join(tokens[:n]))
                prefixes.add(loose_key(" ".join(tokens[:n])))
    return _freeze(names), _freeze(loose), frozenset(prefixes)


def _add(table: dict[str, list[int]], key: str, i: int) -> None:
    ids = table.setdefault(key, [])
    if i not in ids:
        ids.append(i)


def _freeze(table: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
    return {k: tuple(v) for k, v in table.items()}


def as_row(r: Record, strings: dict[str, str]) -> tuple:
    """A record as a plain tuple (fast to unpickle), its strings interned so pickle stores each once."""
    def s(value: str) -> str:
        return strings.setdefault(value, value)

    lat = round(r.lat, 5) if r.lat is not None else None
    lon = round(r.lon, 5) if r.lon is not None else None
    return (r.id, s(r.name), r.name_en, s(r.feature), s(r.precision), lat, lon, s(r.country),
            s(r.admin1), s(r.admin2), r.population, r.rank, r.capital)


def build(source: Path = DEFAULT_SOURCE, out: Path = DEFAULT_OUT) -> dict:
    """Build the gazetteer file and return counts."""
    names = src.read_admin_names(PACKAGE_DATA / "sy_admin_ar.tsv")
    syria = SyriaAdmin(source, names)
    records = wof_records(source, syria, names)
    records = add_geonames(records, syria)
    records = add_admin1(records, src.read_admin1(PACKAGE_DATA / "admin1_ar.tsv"))
    records = merge_countries(records + list(src.read_countries()))
    records = add_curated(records, src.read_curated(PACKAGE_DATA / "places_curated.tsv"), syria)
    records = dedupe(records)
    filled = fill_admin1(records)
    name_index, loose_index, prefixes = index(records)
    strings: dict[str, str] = {}
    data = {
        "version": FORMAT_VERSION, "fields": FIELDS,
        "places": [as_row(r, strings) for r in records],
        "names": name_index, "loose": loose_index, "prefixes": prefixes, "admin": syria.tables(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wb", compresslevel=6) as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return {"places": len(records), "names": len(name_index), "bytes": os.path.getsize(out), "filled": filled}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help="folder with wof_levant_gazetteer.tsv and sy_adm{1,2}.geojson")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--list-admin1", metavar="CC",
                        help="print the GeoNames admin1 codes of a country with their largest cities "
                             "(to write rows of admin1_ar.tsv), and build nothing")
    args = parser.parse_args(argv)
    if args.list_admin1:
        for code, cities in src.admin1_codes(args.list_admin1.upper()):
            print(f"{code}\t{len(cities)}\t" + ", ".join(cities[:4]))
        return 0
    if not (args.source / "wof_levant_gazetteer.tsv").exists():
        print(f"no wof_levant_gazetteer.tsv in {args.source}; pass --source with the folder "
              "that holds the Who's On First extract", file=sys.stderr)
        return 2
    started = time.perf_counter()
    stats = build(args.source, args.out)
    print(f"wrote {args.out}: {stats['places']:,} places, {stats['names']:,} names, "
          f"{stats['bytes'] / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s "
          f"({stats['filled']:,} admin1 from the nearest places)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
