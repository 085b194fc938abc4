"""Point-in-polygon lookup of Syria's governorate (admin1) and district (admin2) for a point."""
from __future__ import annotations

import math
from typing import Iterable, Optional

# A polygon is (bbox, rings) with bbox = (min_lon, min_lat, max_lon, max_lat) and rings a tuple of
# rings of (lon, lat) pairs: the first ring is the outer boundary, the others are holes.
Polygon = tuple[tuple[float, float, float, float], tuple[tuple[tuple[float, float], ...], ...]]

# The simplified polygons leave border villages a few hundred metres outside; accept the nearest
# district when the point lies this close to it.
NEAREST_KM = 12.0


def polygons_of(geometry: dict) -> list[Polygon]:
    """The polygons of a GeoJSON Polygon or MultiPolygon geometry."""
    coords = geometry["coordinates"]
    parts = [coords] if geometry["type"] == "Polygon" else coords
    return [_polygon(part) for part in parts]


def _polygon(rings: list) -> Polygon:
    tupled = tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for ring in rings)
    xs = [x for x, _ in tupled[0]]
    ys = [y for _, y in tupled[0]]
    return (min(xs), min(ys), max(xs), max(ys)), tupled


def _in_ring(lon: float, lat: float, ring: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    x0, y0 = ring[-1]
    for x1, y1 in ring:
        if (y1 > lat) != (y0 > lat) and lon < (x0 - x1) * (lat - y1) / (y0 - y1) + x1:
            inside = not inside
        x0, y0 = x1, y1
    return inside


def contains(polygon: Polygon, lat: float, lon: float) -> bool:
    (x0, y0, x1, y1), rings = polygon
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        return False
    if not _in_ring(lon, lat, rings[0]):
        return False
    return not any(_in_ring(lon, lat, hole) for hole in rings[1:])


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _edge_km(polygon: Polygon, lat: float, lon: float) -> float:
    """Distance from the point to the nearest vertex of the outer ring (good enough at 12 km)."""
    return min(km(lat, lon, y, x) for x, y in polygon[1][0])


def find_unit(units: Iterable[tuple[object, list[Polygon]]], lat: float, lon: float) -> Optional[object]:
    """The first unit whose polygons contain the point, else the nearest one within NEAREST_KM."""
    units = list(units)
    for unit, polys in units:
        if any(contains(p, lat, lon) for p in polys):
            return unit
    best, best_km = None, NEAREST_KM
    for unit, polys in units:
        for p in polys:
            x0, y0, x1, y1 = p[0]
            if not (x0 - 0.2 <= lon <= x1 + 0.2 and y0 - 0.2 <= lat <= y1 + 0.2):
                continue
            d = _edge_km(p, lat, lon)
            if d < best_km:
                best, best_km = unit, d
    return best
