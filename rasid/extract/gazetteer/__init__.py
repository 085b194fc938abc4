"""The place gazetteer: Arabic names -> candidate places, loaded from the file built by build.py."""
from __future__ import annotations

import gzip
import pickle
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Optional

from rasid.arabic import lexicons
from rasid.errors import ConfigError
from rasid.extract.gazetteer import admin as _admin
from rasid.extract.gazetteer.keys import key_of, loose_key, variants

GAZETTEER_FILE = lexicons.location("gazetteer/gazetteer.pkl.gz")

__all__ = ["Place", "Gazetteer", "load_gazetteer", "lookup", "admin_for_point", "GAZETTEER_FILE"]


class Place(NamedTuple):
    """One candidate place; admin names are Arabic ("محافظة درعا", "منطقة درعا")."""

    id: str
    name: str
    name_en: str
    feature: str  # locality, quarter, governorate, district, country, camp, region, valley...
    precision: str  # exact, locality, district, governorate, region, country
    lat: Optional[float]
    lon: Optional[float]
    country: str  # ISO 3166-1 alpha-2
    admin1: str
    admin2: str
    population: int
    rank: int  # source: 0 curated, 1 Who's On First, 2 GeoNames, 3 CLDR
    capital: bool


class Gazetteer:
    """Name keys to place indexes; `places[i]` is a Place."""

    def __init__(self, data: dict):
        self.places: list[Place] = [Place._make(row) for row in data["places"]]
        self.names: dict[str, tuple[int, ...]] = data["names"]
        self.loose: dict[str, tuple[int, ...]] = data["loose"]
        self.prefixes: frozenset[str] = data["prefixes"]
        self.admin: dict = data["admin"]
        self.countries = {p.country: p for p in self.places if p.feature == "country"}
        self.governorates = {p.admin1: p for p in self.places if p.feature == "governorate"}
        self._opens: dict[str, tuple[bool, bool]] = {}
        self._opens_any: dict[str, bool] = {}

    def opens_any(self, token: str) -> bool:
        """Whether any clitic reading of a text token may start a name (cached)."""
        found = self._opens_any.get(token)
        if found is None:
            found = any(any(self.opens(stem)) for stem, _ in variants(token))
            if len(self._opens_any) < 500_000:
                self._opens_any[token] = found
        return found

    def opens(self, key: str) -> tuple[bool, bool]:
        """Whether a name, or a longer name, starts with this token key: (exactly, loosely)."""
        found = self._opens.get(key)
        if found is None:
            lk = loose_key(key)
            found = (key in self.names or key in self.prefixes, lk in self.loose or lk in self.prefixes)
            if len(self._opens) < 500_000:
                self._opens[key] = found
        return found

    def candidates(self, key: str, loose: bool = False) -> list[Place]:
        ids = (self.loose if loose else self.names).get(key, ())
        return [self.places[i] for i in ids]

    def lookup(self, name: str) -> list[Place]:
        """Candidates for a name, by its match key, else by its loose key."""
        key = key_of(name)
        return self.candidates(key) or self.candidates(loose_key(key), loose=True)

    def admin_for_point(self, lat: float, lon: float) -> tuple[str, str]:
        """(governorate, district) of a Syrian point in Arabic, ("", "") elsewhere."""
        hit = _admin.find_unit(self.admin["adm2"], lat, lon)
        if hit:
            return hit[1], hit[0]
        return _admin.find_unit(self.admin["adm1"], lat, lon) or "", ""


@lru_cache(maxsize=4)
def load_gazetteer(path: Optional[Path] = None) -> Gazetteer:
    """The gazetteer shipped in the package (cached: the first call takes about 0.2 s)."""
    path = Path(path or GAZETTEER_FILE)
    if not path.exists():
        raise ConfigError(f"the gazetteer file {path} is missing; build it with: "
                          "python -m tools.build_gazetteer")
    with gzip.open(path, "rb") as handle:
        return Gazetteer(pickle.load(handle))


def lookup(name: str) -> list[Place]:
    return load_gazetteer().lookup(name)


def admin_for_point(lat: float, lon: float) -> tuple[str, str]:
    return load_gazetteer().admin_for_point(lat, lon)
