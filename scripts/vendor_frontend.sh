#!/usr/bin/env bash
# Re-vendor the web UI's front-end files from npm into the package (the result is committed).
#
#   bash scripts/vendor_frontend.sh [LEAFLET_VERSION] [WORLD_ATLAS_VERSION]
#
# Leaflet (BSD-2-Clause) -> rasid/web/static/vendor/leaflet-<version>/
# world-atlas (ISC)      -> rasid/web/static/vendor/world-atlas-<version>/ (TopoJSON + GeoJSON)
# Syria's admin areas (CC0, Who's On First) -> rasid/web/static/geo/
# No JS build step: the dist files are copied as published; the TopoJSON is converted to GeoJSON
# by scripts/topojson_to_geojson.py so the browser needs no topojson library.
set -euo pipefail

LEAFLET_VERSION="${1:-1.9.4}"
ATLAS_VERSION="${2:-2.0.2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATIC="$ROOT/rasid/web/static"
SHARED_GEO="${RASID_SHARED_GEO:-$ROOT/../shared/data/gazetteer}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "leaflet@$LEAFLET_VERSION" "world-atlas@$ATLAS_VERSION" >/dev/null
mkdir leaflet atlas
tar -xzf "leaflet-$LEAFLET_VERSION.tgz" -C leaflet
tar -xzf "world-atlas-$ATLAS_VERSION.tgz" -C atlas

LEAFLET_OUT="$STATIC/vendor/leaflet-$LEAFLET_VERSION"
rm -rf "$LEAFLET_OUT" && mkdir -p "$LEAFLET_OUT"
cp leaflet/package/dist/leaflet.js leaflet/package/dist/leaflet.css "$LEAFLET_OUT/"
cp -r leaflet/package/dist/images "$LEAFLET_OUT/images"
cp leaflet/package/LICENSE "$LEAFLET_OUT/LICENSE"

ATLAS_OUT="$STATIC/vendor/world-atlas-$ATLAS_VERSION"
rm -rf "$ATLAS_OUT" && mkdir -p "$ATLAS_OUT"
cp atlas/package/countries-110m.json "$ATLAS_OUT/"
cp atlas/package/LICENSE "$ATLAS_OUT/LICENSE"
python3 "$ROOT/scripts/topojson_to_geojson.py" "$ATLAS_OUT/countries-110m.json" countries \
    > "$ATLAS_OUT/countries-110m.geojson"

mkdir -p "$STATIC/geo"
install -m 0644 "$SHARED_GEO/sy_adm1.geojson" "$SHARED_GEO/sy_adm2.geojson" "$STATIC/geo/"

echo "vendored leaflet $LEAFLET_VERSION and world-atlas $ATLAS_VERSION into $STATIC"
echo "update the versions in rasid/web/assets.py if they changed"
