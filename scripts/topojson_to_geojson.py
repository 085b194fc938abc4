"""Convert one object of a TopoJSON file to a GeoJSON FeatureCollection (stdout), for the offline map.

    python scripts/topojson_to_geojson.py countries-110m.json countries > countries-110m.geojson

Implements the TopoJSON 1.0 spec's arc decoding (quantised, delta-encoded arcs; negative arc
indexes are reversed arcs) for the geometry types world-atlas uses; no third-party library.
"""
from __future__ import annotations

import json
import sys
from typing import Any


def decode_arcs(topology: dict[str, Any]) -> list[list[list[float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if not transform:
            arcs.append([list(p[:2]) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append([round(x * sx + tx, 6), round(y * sy + ty, 6)])
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    points: list[list[float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    if points and points[0] != points[-1]:
        points.append(points[0])
    return points


def geometry(geom: dict[str, Any], arcs: list[list[list[float]]]) -> dict[str, Any] | None:
    kind = geom.get("type")
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r, arcs) for r in geom["arcs"]]}
    if kind == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [[ring(r, arcs) for r in poly] for poly in geom["arcs"]]}
    if kind == "LineString":
        return {"type": "LineString", "coordinates": ring(geom["arcs"], arcs)[:-1]}
    return None  # null geometries (and types world-atlas does not use) are dropped


def convert(topology: dict[str, Any], name: str) -> dict[str, Any]:
    arcs = decode_arcs(topology)
    features = []
    for geom in topology["objects"][name]["geometries"]:
        shape = geometry(geom, arcs)
        if shape:
            properties = dict(geom.get("properties") or {}, id=geom.get("id"))
            features.append({"type": "Feature", "properties": properties, "geometry": shape})
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        data = json.load(handle)
    json.dump(convert(data, sys.argv[2]), sys.stdout, ensure_ascii=False, separators=(",", ":"))
