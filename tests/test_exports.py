"""Exports: each format read back and checked against its own rules (CSV, ACLED, JSON, GeoJSON, HXL)."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from rasid.errors import InputError
from rasid.export import FORMATS, export, iter_export
from rasid.export.tables import ACLED_COLUMNS, CSV_COLUMNS, HXL_COLUMNS, acled_map
from rasid.store.base import EventFilter
from web_fixtures import BIDI_SOURCE, add_hostile, fresh_store

# ACLED's event types and their sub-event types (ACLED Codebook 2023/2024).
ACLED_TAXONOMY = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
DISORDER_TYPES = {"Political violence", "Demonstrations", "Strategic developments", "Political violence; Demonstrations"}
HXL_TAG = re.compile(r"^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$")


@pytest.fixture(scope="module")
def store():
    store, _ = fresh_store()
    yield store
    store.close()


def text_of(store, fmt: str, flt: EventFilter = EventFilter(), level: str = "event") -> str:
    out = io.StringIO()
    export(store, fmt, out, flt, level)
    return out.getvalue()


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# -- Rasid's CSV
def test_csv_reads_back(store):
    text = text_of(store, "csv")
    reader = csv.reader(io.StringIO(text))
    assert next(reader) == CSV_COLUMNS
    rows = rows_of(text)
    assert len(rows) == store.count_events() == 3
    daraa = next(r for r in rows if r["event_id"] == "st-daraa-2021:e1")
    assert (daraa["displaced_min"], daraa["displaced_max"]) == ("45", "53")
    assert daraa["disputed"] == "true" and daraa["admin1"] == "درعا"
    assert daraa["origin"] == "درعا البلد" and daraa["destination"] == "الشمال السوري"
    assert "53 people displaced (exact) per المرصد السوري لحقوق الإنسان" in daraa["figures"]
    assert "https://example.org/daraa-000" in daraa["urls"]
    assert json.loads(daraa["contradictions"])[0]["conservative"] == 45
    assert "53 شخصاً" in daraa["evidence"]


def test_csv_mentions_level(store):
    rows = rows_of(text_of(store, "csv", level="mention"))
    assert {r["kind"] for r in rows} == {"mention"} and len(rows) == 3
    homs = next(r for r in rows if r["admin1"] == "حمص")
    assert homs["displaced_min"] == "2500" and homs["outlets"] == "العربية"


# -- ACLED
def test_acled_columns_in_order(store):
    header = next(csv.reader(io.StringIO(text_of(store, "acled"))))
    assert header[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    asked = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
             "sub_event_type", "actor1", "assoc_actor_1", "actor2", "admin1", "admin2", "location", "latitude",
             "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities"]
    positions = [header.index(c) for c in asked]
    assert positions == sorted(positions)
    assert {"rasid_figures", "rasid_claims", "rasid_contradiction", "rasid_evidence"} <= set(header)


def test_acled_rows(store):
    rows = {r["rasid_event_id"]: r for r in rows_of(text_of(store, "acled"))}
    row = rows["st-daraa-2021:e1"]
    assert row["event_id_cnty"].startswith("SYR") and len(row["event_id_cnty"]) == 11
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2021-08-26", "2021", "1")
    assert (row["disorder_type"], row["event_type"], row["sub_event_type"]) == (
        "Strategic developments", "Strategic developments", "Other")
    assert row["actor1"] == "Syrian government forces" and row["actor2"] == "Syrian opposition fighters"
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("1", "2", "12")
    assert (row["country"], row["iso"], row["location"]) == ("Syria", "760", "Daraa al-Balad")
    assert row["geo_precision"] == "1" and row["fatalities"] == "0"
    assert row["rasid_contradiction"] == "true" and row["tags"] == "disputed figures"
    assert row["rasid_displaced"] == "45", "the most conservative figure"
    for source in ("المرصد السوري لحقوق الإنسان", "سانا", "شهود عيان"):
        assert source in row["rasid_claims"]
    assert "Sources disagree" in row["notes"]
    assert rows["st-homs-2017:e1"]["geo_precision"] == "1"


def test_acled_map_uses_acled_taxonomy():
    table = acled_map()
    assert "_source" in table and "ACLED" in table["_source"]
    for key, (disorder, event_type, sub_event) in table["map"].items():
        assert disorder in DISORDER_TYPES, key
        assert sub_event in ACLED_TAXONOMY[event_type], key
    assert set(table["time_precision"]) == {"day", "week", "month", "year", "unknown"}
    assert set(table["time_precision"].values()) == {1, 2, 3}
    assert set(table["geo_precision"].values()) == {1, 2, 3}


def test_fatalities_take_the_lowest_killed_figure(store):
    from rasid.views.records import KILLED_TERMS, conservative

    record = {"figures": {"killed": {"min": 4, "max": 250}, "displaced": {"min": 1000, "max": 1000}}}
    assert conservative(record, KILLED_TERMS) == 4


# -- JSON
def test_json_export(store):
    data = json.loads(text_of(store, "json"))
    assert data["format"] == "rasid.events" and len(data["events"]) == 3
    event = next(e for e in data["events"] if e["id"] == "st-daraa-2021:e1")
    assert event["figures"]["displaced"]["min"] == 53 and event["figures"]["evacuated"]["min"] == 45
    assert all(c["evidence"]["text"] for c in event["claims"])
    filtered = json.loads(text_of(store, "json", EventFilter(admin1="حمص")))
    assert [e["id"] for e in filtered["events"]] == ["st-homs-2017:e1"] and filtered["filters"] == {"admin1": "حمص"}


# -- GeoJSON, checked against RFC 7946
def check_position(position) -> None:
    assert isinstance(position, list) and len(position) in (2, 3), position
    lon, lat = position[:2]
    assert all(isinstance(x, (int, float)) for x in position)
    assert -180 <= lon <= 180 and -90 <= lat <= 90, position


def check_geometry(geometry: dict) -> None:
    kind = geometry["type"]
    assert set(geometry) == {"type", "coordinates"}
    if kind == "Point":
        check_position(geometry["coordinates"])
    elif kind == "LineString":
        assert len(geometry["coordinates"]) >= 2
        for position in geometry["coordinates"]:
            check_position(position)
    else:
        raise AssertionError(f"unexpected geometry {kind}")


def check_feature_collection(data: dict) -> None:
    assert data["type"] == "FeatureCollection" and isinstance(data["features"], list)
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        assert isinstance(feature.get("id", ""), (str, int))
        check_geometry(feature["geometry"])


def test_geojson_is_valid_rfc7946(store):
    data = json.loads(text_of(store, "geojson"))
    check_feature_collection(data)
    kinds = [f["geometry"]["type"] for f in data["features"]]
    assert kinds.count("Point") == 3 and kinds.count("LineString") == 2
    daraa = next(f for f in data["features"] if f["id"] == "st-daraa-2021:e1")
    assert daraa["geometry"]["coordinates"] == [36.1033, 32.6125], "longitude first"
    assert daraa["properties"]["figure"] == 45 and daraa["properties"]["disputed"] is True
    line = next(f for f in data["features"] if f["id"] == "st-daraa-2021:e1#movement")
    assert line["geometry"]["coordinates"] == [[36.1033, 32.6125], [37.1, 36.2]]
    assert line["properties"]["origin"] == "درعا البلد" and line["properties"]["kind"] == "movement"


def test_the_checker_rejects_swapped_coordinates():
    with pytest.raises(AssertionError):
        check_geometry({"type": "Point", "coordinates": [36.1, 132.6]})


# -- HXL
def test_hxl_hashtag_row(store):
    rows = list(csv.reader(io.StringIO(text_of(store, "hxl"))))
    header, tags, data = rows[0], rows[1], rows[2:]
    assert header == [name for name, _ in HXL_COLUMNS]
    assert all(tag.startswith("#") and HXL_TAG.match(tag) for tag in tags), tags
    for wanted in ("#date", "#adm1+name", "#adm2+name", "#loc+name", "#geo+lat", "#geo+lon", "#event+type",
                   "#affected+displaced", "#affected+killed", "#org+name", "#meta+url"):
        assert wanted in tags
    assert len(data) == 3
    by_tag = [dict(zip(tags, row)) for row in data]
    homs = next(r for r in by_tag if r["#adm1+name"] == "حمص")
    assert homs["#affected+displaced"] == "2500" and homs["#geo+lat"] == "34.7395"


# -- the function and the command
def test_unknown_format_is_refused(store):
    with pytest.raises(InputError, match="unknown export format"):
        iter_export(store, "xlsx")
    assert set(FORMATS) == {"csv", "acled", "json", "geojson", "hxl"}


def test_export_to_a_path(store, tmp_path):
    out = tmp_path / "events.geojson"
    size = export(store, "geojson", out)
    assert size == len(out.read_text(encoding="utf-8")) and json.loads(out.read_text(encoding="utf-8"))["features"]


def test_cli_export(tmp_path):
    from rasid.cli import main

    db = tmp_path / "rasid.db"
    store, _ = fresh_store(str(db))
    store.close()
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(db), "export", "--format", "hxl", "--admin1", "درعا"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].startswith("#event+id") and len(lines) == 4
    out = tmp_path / "acled.csv"
    result = runner.invoke(main, ["--db", str(db), "export", "--format", "acled", "--out", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("event_id_cnty,")


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def test_bidi_controls_are_neutralised_in_every_format():
    store, _ = fresh_store()
    try:
        add_hostile(store)
        flt = EventFilter(story_id="st-bidi")
        for fmt in ("csv", "acled", "hxl"):
            text = "".join(iter_export(store, fmt, flt))
            assert not BIDI.search(text), fmt  # a cell cannot isolate: the controls are dropped
            rows = list(csv.reader(io.StringIO(text)))
            assert any("مصدر خاص" in cell for row in rows for cell in row), fmt
            assert any("evil.example" in cell for row in rows for cell in row), fmt
        for fmt in ("json", "geojson"):
            text = "".join(iter_export(store, fmt, flt))
            assert not BIDI.search(text), fmt  # written as \\u escapes...
            data = json.loads(text)  # ...so the data reads back unchanged
            found = json.dumps(data, ensure_ascii=False)
            assert BIDI_SOURCE in found and "حي \u202eالوعر" in found, fmt
    finally:
        store.close()
