"""The JSON API: every endpoint, its filters and pages, the one envelope, tokens, CORS, OpenAPI."""
from __future__ import annotations

import json
import logging
import re

import pytest
from fastapi.testclient import TestClient

from rasid.app import ServeSettings, create_app
from rasid.store import open_store
from web_fixtures import fresh_store, live_server, raw_request

ENVELOPE_KEYS = {"ok", "data", "meta", "error"}


@pytest.fixture(scope="module")
def world():
    store, info = fresh_store()
    yield store, info
    store.close()


@pytest.fixture(scope="module")
def client(world):
    return TestClient(create_app(ServeSettings(), world[0]), raise_server_exceptions=False)


def make_client(store, **settings) -> TestClient:
    ingest = settings.pop("ingest", None)
    return TestClient(create_app(ServeSettings(**settings), store, ingest=ingest), raise_server_exceptions=False)


def assert_envelope(response, ok: bool) -> dict:
    body = response.json()
    assert set(body) == ENVELOPE_KEYS, body
    assert body["ok"] is ok
    if ok:
        assert body["error"] is None
        assert response.status_code < 400
    else:
        assert body["data"] is None
        assert {"code", "message", "status"} <= set(body["error"])
        assert body["error"]["status"] == response.status_code
        assert body["error"]["message"] and "Traceback" not in body["error"]["message"]
    return body


def ids_of(world) -> dict[str, str]:
    info = world[1]
    return {"article_id": info["articles"]["000"].id, "story_id": "st-daraa-2021",
            "event_id": "st-daraa-2021:e1", "place_id": "rasid:daraa-al-balad", "actor_id": "Q1138364"}


def api_get_routes(app) -> list[str]:
    """Every GET endpoint the schema declares, so a new endpoint is covered without editing this test."""
    return sorted(path for path, ops in app.openapi()["paths"].items() if path.startswith("/api/") and "get" in ops)


# -- one test over every endpoint: the envelope on success and on each error kind
def test_every_endpoint_speaks_the_envelope(world, client):
    ids = ids_of(world)
    routes = api_get_routes(client.app)
    assert len(routes) == 13, routes
    for route in routes:
        if route == "/api/export":
            assert_envelope(client.get(route, params={"format": "xlsx"}), ok=False)
            continue
        url = re.sub(r"\{(\w+)(:path)?\}", lambda m: ids[m.group(1)], route)
        params = {"q": "درعا"} if route == "/api/search" else {}
        body = assert_envelope(client.get(url, params=params), ok=True)
        assert body["data"] is not None, route
        if isinstance(body["data"], list):
            assert set(body["meta"]) == {"total", "limit", "offset", "next"}, route
            assert_envelope(client.get(url, params={**params, "limit": 0}), ok=False)  # 422
            assert_envelope(client.get(url, params={**params, "offset": -1}), ok=False)
        if "{" in route:
            missing = re.sub(r"\{(\w+)(:path)?\}", "no-such-id", route)
            body = assert_envelope(client.get(missing), ok=False)
            assert body["error"]["code"] == "not_found", route


@pytest.mark.parametrize("method,url,status,code", [
    ("get", "/api/no-such-endpoint", 404, "not_found"),
    ("get", "/api/articles/ffffffffffff", 404, "not_found"),
    ("delete", "/api/stories", 405, "method_not_allowed"),
    ("put", "/api/articles", 405, "method_not_allowed"),
    ("get", "/api/articles?limit=501", 422, "invalid_request"),
    ("get", "/api/events?since=2021-13-45", 422, "invalid_request"),
    ("get", "/api/events?since=yesterday", 422, "invalid_request"),
    ("get", "/api/search", 422, "invalid_request"),
    ("get", "/api/export?format=pdf", 422, "invalid_request"),
    ("post", "/api/articles", 403, "forbidden"),
])
def test_error_kinds(client, method, url, status, code):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert assert_envelope(response, ok=False)["error"]["code"] == code


def test_forced_500_shows_no_stack_trace(world, caplog):
    store = world[0]

    class Broken:
        def __getattr__(self, name):
            return getattr(store, name)

        def stats(self):
            raise RuntimeError("secret internal detail")

    client = TestClient(create_app(ServeSettings(), Broken()), raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="rasid.api"):
        response = client.get("/api/stats")
    assert response.status_code == 500
    body = assert_envelope(response, ok=False)
    assert body["error"]["code"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text and "RuntimeError" not in response.text
    assert any("secret internal detail" in (r.exc_text or "") + str(r.exc_info) for r in caplog.records)


# -- content
def test_article_detail_has_extraction_duplicates_and_story(world, client):
    a1 = world[1]["articles"]["001"]
    data = assert_envelope(client.get(f"/api/articles/{a1.id}"), ok=True)["data"]
    assert data["text"] == a1.text
    assert data["story_id"] == "st-daraa-2021"
    figure = data["extraction"]["figures"][0]
    assert a1.text[figure["start"]:figure["end"]] == figure["text"] == "50 من مقاتلي المعارضة"
    assert data["duplicates"][0]["kind"] == "rewrite"
    assert data["duplicates"][0]["other_id"] == world[1]["articles"]["003"].id


def test_article_prefix_and_story_lookup_from_catalog(world, client):
    a3 = world[1]["articles"]["003"]  # in the story, but with no extraction of its own
    data = assert_envelope(client.get(f"/api/articles/{a3.id[:8]}"), ok=True)["data"]
    assert data["id"] == a3.id and data["story_id"] == "st-daraa-2021" and data["extraction"] is None


def test_story_detail_marks_disputed_claims(client):
    data = assert_envelope(client.get("/api/stories/st-daraa-2021"), ok=True)["data"]
    assert data["n_articles"] == 3 and data["n_contradictions"] == 2
    event = next(e for e in data["events"] if e["id"] == "st-daraa-2021:e1")
    said = {c["source"]: c["figure"]["value"] for c in event["claims"]}
    assert said == {"المرصد السوري لحقوق الإنسان": 53, "سانا": 45, "شهود عيان": 50}
    assert all(c["disputed"] == ["figure"] for c in event["claims"])
    assert event["disputed"] is True
    second = next(e for e in data["events"] if e["id"] == "st-daraa-2021:e2")
    assert all(c["disputed"] == ["date"] for c in second["claims"])
    assert [a["id"] for a in data["articles"]] == data["article_ids"]


def test_stories_latest_first(client):
    data = assert_envelope(client.get("/api/stories"), ok=True)["data"]
    assert [s["id"] for s in data] == ["st-daraa-2021", "st-homs-2017"]


@pytest.mark.parametrize("params,expected", [
    ({}, {"st-daraa-2021:e1", "st-daraa-2021:e2", "st-homs-2017:e1"}),
    ({"type": "displacement"}, {"st-daraa-2021:e1", "st-daraa-2021:e2", "st-homs-2017:e1"}),
    ({"type": "siege"}, set()),
    ({"admin1": "حمص"}, {"st-homs-2017:e1"}),
    ({"admin1": "درعا"}, {"st-daraa-2021:e1", "st-daraa-2021:e2"}),
    ({"place": "rasid:al-waer"}, {"st-homs-2017:e1"}),
    ({"place": "جرابلس"}, {"st-homs-2017:e1"}),
    ({"actor": "rasid:syrian-government-forces"}, {"st-daraa-2021:e1"}),
    ({"source": "سانا"}, {"st-daraa-2021:e1"}),
    ({"source": "Q1138364"}, {"st-daraa-2021:e1"}),
    ({"outlet": "أورينت نت"}, {"st-daraa-2021:e1", "st-daraa-2021:e2"}),
    ({"story": "st-homs-2017"}, {"st-homs-2017:e1"}),
    ({"since": "2021-08-25"}, {"st-daraa-2021:e1"}),
    ({"until": "2021-01-01"}, {"st-homs-2017:e1"}),
    ({"since": "2021-08-01", "until": "2021-08-24"}, {"st-daraa-2021:e2"}),
    ({"since": ""}, {"st-daraa-2021:e1", "st-daraa-2021:e2", "st-homs-2017:e1"}),  # empty form field = any
])
def test_event_filters(client, params, expected):
    body = assert_envelope(client.get("/api/events", params=params), ok=True)
    assert {e["id"] for e in body["data"]} == expected
    assert body["meta"]["total"] == len(expected)


def test_article_filter_lists_mentions(world, client):
    a0 = world[1]["articles"]["000"]
    data = assert_envelope(client.get("/api/events", params={"article": a0.id}), ok=True)["data"]
    assert [e["kind"] for e in data] == ["mention"]
    mention = data[0]
    assert {c["source"] for c in mention["claims"]} == {"المرصد السوري لحقوق الإنسان", "سانا"}
    assert mention["claims"][0]["outlet"] == "فرانس 24"
    assert mention["places"][0]["lat"] == pytest.approx(32.6125)
    one = assert_envelope(client.get(f"/api/events/{mention['id']}"), ok=True)["data"]
    assert one["id"] == mention["id"]


@pytest.mark.parametrize("params,expected", [
    ({"outlet": "رويترز"}, {"003"}),
    ({"since": "2021-01-01"}, {"000", "001", "003"}),
    ({"until": "2017-12-31"}, {"002"}),
    ({"language": "ar"}, {"000", "001", "002", "003", "004", "evil"}),
    ({"language": "en"}, set()),
    ({"story": "st-daraa-2021"}, {"000", "001", "003"}),
])
def test_article_filters(world, client, params, expected):
    names = {a.id: n for n, a in world[1]["articles"].items()}
    data = assert_envelope(client.get("/api/articles", params=params), ok=True)["data"]
    assert {names[a["id"]] for a in data} == expected


@pytest.mark.parametrize("path,size", [("/api/articles", 2), ("/api/stories", 1), ("/api/events", 1),
                                       ("/api/places", 1), ("/api/actors", 2), ("/api/search?q=درعا", 1)])
def test_pages_do_not_overlap_and_cover_everything(client, path, size):
    sep = "&" if "?" in path else "?"
    everything = assert_envelope(client.get(f"{path}{sep}limit=500"), ok=True)
    all_ids = [_key(x) for x in everything["data"]]
    seen, url, pages = [], f"{path}{sep}limit={size}", 0
    while url:
        body = assert_envelope(client.get(url), ok=True)
        assert len(body["data"]) <= size
        seen += [_key(x) for x in body["data"]]
        url, pages = body["meta"]["next"], pages + 1
        assert pages < 100
    assert len(seen) == len(set(seen)), "pages overlap"
    assert seen == all_ids, "pages do not cover the whole set in the same order"
    assert len(all_ids) >= 2
    again = assert_envelope(client.get(f"{path}{sep}limit=500"), ok=True)
    assert [_key(x) for x in again["data"]] == all_ids, "the order is not deterministic"


def _key(item: dict) -> str:
    return item.get("id") or item["article"]["id"]


def test_places_and_actors(client):
    places = assert_envelope(client.get("/api/places"), ok=True)["data"]
    daraa = next(p for p in places if p["id"] == "rasid:daraa-al-balad")
    assert (daraa["lat"], daraa["lon"], daraa["admin1"]) == (32.6125, 36.1033, "درعا")
    assert daraa["counts"] == {"mentions": 2, "articles": 2, "events": 2, "stories": 1, "claims": None}
    assert [p["id"] for p in assert_envelope(client.get("/api/places?admin1=حمص"), ok=True)["data"]] == ["rasid:al-waer"]
    detail = assert_envelope(client.get("/api/places/rasid:daraa-al-balad"), ok=True)["data"]
    assert detail["events_total"] == 2 and len(detail["events"]) == 2
    actor = assert_envelope(client.get("/api/actors/Q1138364"), ok=True)["data"]
    assert actor["name"] == "المرصد السوري لحقوق الإنسان" and actor["counts"]["claims"] == 1
    assert actor["events_total"] == 1
    found = assert_envelope(client.get("/api/actors", params={"q": "sana"}), ok=True)["data"]
    assert [a["id"] for a in found] == ["Q1140224"]


def test_search_and_stats(client):
    body = assert_envelope(client.get("/api/search", params={"q": "الوعر"}), ok=True)
    assert len(body["data"]) == 1 and "الوعر" in body["data"][0]["snippet"]
    assert body["meta"]["total"] is None and body["meta"]["next"] is None
    stats = assert_envelope(client.get("/api/stats"), ok=True)["data"]
    assert stats["articles"] == 6 and stats["stories"] == 2 and "database" not in stats


def test_arabic_is_not_escaped(client):
    response = client.get("/api/stories")
    assert "درعا".encode("utf-8") in response.content and b"\\u0" not in response.content
    assert response.headers["content-type"].startswith("application/json")


def test_export_endpoint_streams_a_file(client):
    response = client.get("/api/export", params={"format": "geojson", "admin1": "حمص"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    assert "attachment" in response.headers["content-disposition"]
    assert response.json()["type"] == "FeatureCollection"


# -- writing
def test_writing_disabled_without_a_write_token(world):
    response = make_client(world[0]).post("/api/articles", json={"text": "نص"})
    body = assert_envelope(response, ok=False)
    assert response.status_code == 403 and "--write-token" in body["error"]["message"]


def test_write_token_required(world):
    calls = []

    def ingest(store, records):
        calls.append(records)
        return {"counts": {"new": len(records)}, "article_ids": ["x"]}

    client = make_client(world[0], write_token="s3cret", ingest=ingest)
    article = {"title": "عنوان", "text": "نزح 40 ألف شخص من درعا البلد.", "outlet": "سانا",
               "url": "https://example.org/1", "published": "2021-08-26"}
    missing = client.post("/api/articles", json=article)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert assert_envelope(missing, ok=False)["error"]["code"] == "unauthorized"
    wrong = client.post("/api/articles", json=article, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and assert_envelope(wrong, ok=False)["error"]["code"] == "forbidden"
    basic = client.post("/api/articles", json=article, headers={"Authorization": "Basic czNjcmV0"})
    assert basic.status_code == 401
    assert not calls
    good = client.post("/api/articles", json=[article, article], headers={"Authorization": "Bearer s3cret"})
    body = assert_envelope(good, ok=True)
    assert good.status_code == 201 and body["data"]["received"] == 2 and body["data"]["counts"] == {"new": 2}
    assert calls[0][0]["text"] == article["text"] and calls[0][0]["outlet"] == "سانا"
    bad = client.post("/api/articles", json={"title": "بلا نص"}, headers={"Authorization": "Bearer s3cret"})
    assert bad.status_code == 422 and assert_envelope(bad, ok=False)["error"]["details"]
    unauth_bad = client.post("/api/articles", json={"title": "بلا نص"})
    assert unauth_bad.status_code == 401, "the token is checked before the body"


def test_write_through_the_real_pipeline():
    from rasid.cli.serve import records_ingest
    from rasid.settings import load_settings
    from rasid.store import open_store

    with open_store(":memory:") as store:
        client = make_client(store, write_token="s3cret", ingest=records_ingest(load_settings(None)))
        article = {"title": "نزوح من درعا", "text": "نزح 40 ألف شخص من درعا البلد.", "outlet": "سانا",
                   "published": "2021-08-26"}
        body = assert_envelope(client.post("/api/articles", json=article,
                                           headers={"Authorization": "Bearer s3cret"}), ok=True)
        assert body["data"]["counts"]["new"] == 1
        stored = assert_envelope(client.get("/api/articles"), ok=True)["data"]
        assert [(a["title"], a["outlet"], a["published"]) for a in stored] == [("نزوح من درعا", "سانا", "2021-08-26")]
        assert stored[0]["id"] == body["data"]["article_ids"][0]


def test_write_without_pipeline_is_503(world):
    client = make_client(world[0], write_token="t")
    response = client.post("/api/articles", json={"text": "نص"}, headers={"Authorization": "Bearer t"})
    assert response.status_code == 503 and assert_envelope(response, ok=False)["error"]["code"] == "ingest_unavailable"


def test_read_token(world):
    client = make_client(world[0], read_token="r34d")
    missing = client.get("/api/stories")
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert_envelope(missing, ok=False)
    wrong = client.get("/api/stories", headers={"Authorization": "Bearer x"})
    assert wrong.status_code == 403 and assert_envelope(wrong, ok=False)["error"]["code"] == "forbidden"
    good = client.get("/api/stories", headers={"Authorization": "Bearer r34d"})
    assert_envelope(good, ok=True)
    assert client.get("/openapi.json").status_code == 401
    assert client.get("/static/app.js").status_code == 200  # static code holds no data
    page = client.get("/")
    assert page.status_code == 401 and "text/html" in page.headers["content-type"]
    browser = make_client(world[0], read_token="r34d")
    assert browser.get("/?token=r34d").status_code == 200
    assert browser.get("/stories/st-daraa-2021").status_code == 200  # remembered in a cookie


def test_cors_is_off_by_default(world, client):
    response = client.get("/api/stories", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/api/stories", headers={"Origin": "https://evil.example",
                                                       "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in preflight.headers
    allowed = make_client(world[0], cors_origins=("https://desk.example",))
    response = allowed.get("/api/stories", headers={"Origin": "https://desk.example"})
    assert response.headers["access-control-allow-origin"] == "https://desk.example"


def test_openapi_schema_validates(client):
    from openapi_spec_validator import validate

    spec = client.get("/openapi.json").json()
    validate(spec)
    paths = set(spec["paths"])
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/stories", "/api/stories/{story_id}",
                 "/api/events", "/api/events/{event_id}", "/api/places", "/api/places/{place_id}",
                 "/api/actors", "/api/actors/{actor_id}", "/api/search", "/api/stats", "/api/export"):
        assert path in paths
    assert not any(p.startswith("/stories") for p in paths), "web pages stay out of the API schema"
    errors = spec["paths"]["/api/events"]["get"]["responses"]["422"]
    assert "ErrorEnvelope" in str(errors)


def test_app_is_not_built_at_import():
    import rasid.app as module

    assert not any(hasattr(getattr(module, name), "routes") for name in dir(module) if not name.startswith("_")
                   and name not in ("FastAPI",))


def test_worker_processes_build_the_app_from_the_environment(tmp_path, monkeypatch):
    import dataclasses
    import json

    from rasid.cli.serve import CONFIG_ENV, app_from_environment

    db = tmp_path / "rasid.db"
    store, _ = fresh_store(str(db))
    store.close()
    options = dataclasses.asdict(ServeSettings(read_token="r", cors_origins=("https://desk.example",)))
    monkeypatch.setenv(CONFIG_ENV, json.dumps({"options": options, "db": str(db)}))
    client = TestClient(app_from_environment())
    assert client.get("/api/stories").status_code == 401
    body = assert_envelope(client.get("/api/stories", headers={"Authorization": "Bearer r"}), ok=True)
    assert body["meta"]["total"] == 2


# ---- hardening (issue 10): bounds, tokens before bodies, a truthful schema, every error in the envelope


@pytest.mark.parametrize("path", ["/api/articles", "/api/stories", "/api/events", "/api/places", "/api/actors",
                                  "/api/search"])
def test_offsets_past_the_stores_integers_are_refused_in_the_envelope(client, path):
    query = {"q": "درعا"} if path == "/api/search" else {}
    for offset in ("9223372036854775808", "99999999999999999999999", "1000000001"):
        response = client.get(path, params={**query, "offset": offset})
        assert response.status_code == 422, (path, offset)
        assert assert_envelope(response, ok=False)["error"]["code"] == "invalid_request"
    assert assert_envelope(client.get(path, params={**query, "offset": 1_000_000_000}), ok=True)["data"] == []


def test_offsets_past_the_stores_integers_on_pages_are_an_html_error(client):
    for path, query in (("/", {}), ("/events", {}), ("/search", {"q": "درعا"})):
        response = client.get(path, params={**query, "offset": "9223372036854775808"})
        assert response.status_code == 422 and "text/html" in response.headers["content-type"], path


def test_without_a_token_a_write_is_refused_before_its_body_is_read():
    with open_store(":memory:") as store:
        client = make_client(store, write_token="s3cret")
        bad_json = client.post("/api/articles", content=b'{"title": "x", "text": ', headers={"content-type": "application/json"})
        assert bad_json.status_code == 401 and bad_json.headers["www-authenticate"] == "Bearer"
        assert assert_envelope(bad_json, ok=False)["error"]["code"] == "unauthorized"
        wrong = client.post("/api/articles", content=b"not json", headers={"authorization": "Bearer nope"})
        assert wrong.status_code == 403
        with live_server(client.app) as address:
            # 200 MB promised, 64 KB sent: the answer comes without the server waiting for the rest.
            head = (b"POST /api/articles HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 209715200\r\n\r\n")
            status, headers, body = raw_request(address, head, b"[" + b" " * 65535, wait=10)
    assert status == 401 and headers["content-type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "unauthorized"


def test_a_body_over_the_limit_is_refused_with_413():
    with open_store(":memory:") as store:
        client = make_client(store, write_token="s3cret", max_body_bytes=1000)
        auth = {"authorization": "Bearer s3cret", "content-type": "application/json"}
        declared = client.post("/api/articles", content=b"[" + b" " * 2000 + b"]", headers=auth)
        assert declared.status_code == 413
        assert assert_envelope(declared, ok=False)["error"]["code"] == "too_large"
        assert "1,000 bytes" in declared.json()["error"]["message"]

        def chunks():  # no Content-Length: counted as it arrives
            yield b"["
            for _ in range(5):
                yield b" " * 400
            yield b"]"
        chunked = client.post("/api/articles", content=chunks(), headers=auth)
        assert chunked.status_code == 413 and assert_envelope(chunked, ok=False)["error"]["code"] == "too_large"
        small = client.post("/api/articles", json={"title": "t", "text": "نص"}, headers=auth)
        assert small.status_code == 503  # read and parsed: this app has no ingest hook


def test_a_query_string_over_the_parsers_limit_gets_the_envelope(world):
    with live_server(create_app(ServeSettings(), world[0])) as address:
        head = b"GET /api/events?source=" + b"a" * 160_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
        status, headers, body = raw_request(address, head)
        fine = raw_request(address, b"GET /api/events?source=" + b"a" * 8_000 + b" HTTP/1.1\r\nHost: localhost\r\n"
                                    b"Connection: close\r\n\r\n")
    assert status == 400 and headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert set(json.loads(body)) == ENVELOPE_KEYS and error["code"] == "bad_request" and "65,535 bytes" in error["message"]
    assert fine[0] == 200 and json.loads(fine[2])["ok"] is True


def test_allow_names_every_method_of_the_path(client):
    for method in ("options", "put", "delete"):
        response = getattr(client, method)("/api/articles")
        assert response.status_code == 405
        assert response.headers["allow"] == "GET, POST"
        assert assert_envelope(response, ok=False)["error"]["code"] == "method_not_allowed"
    assert client.delete("/api/stories").headers["allow"] == "GET"


def test_the_schema_declares_dates_as_dates(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/articles", "/api/export"):
        params = {p["name"]: p["schema"] for p in spec["paths"][path]["get"]["parameters"]}
        for name in ("since", "until"):  # a date, or empty for "any"
            assert params[name]["type"] == "string", (path, name)
            assert params[name]["anyOf"] == [{"format": "date"}, {"maxLength": 0}], (path, name)
        if "offset" in params:
            assert params["offset"]["maximum"] == 1_000_000_000
    with_week = client.get("/api/events", params={"since": "2021-W34-4"})  # ISO week dates are not dates here
    assert with_week.status_code == 422 and assert_envelope(with_week, ok=False)["error"]["code"] == "invalid_request"
