"""Property tests over the API's query parameters: whatever a client sends, no 500, and every
answer (success or error) is the one envelope. The parameters come from the app's own OpenAPI
schema, so a new endpoint or parameter is fuzzed without touching this file."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasid.app import ServeSettings, create_app
from web_fixtures import fresh_store

ENVELOPE_KEYS = {"ok", "data", "meta", "error"}
HOSTILE = ["", " ", "0", "-1", "1e9", "9223372036854775808", "-9223372036854775809", "1000000001", "NaN",
           "2021-02-30", "2021-08-26", "0001-01-01", "9999-12-31", "درعا", "\u202eدرعا", "%", "%00", "\x00",
           "../../etc/passwd", "'; DROP TABLE articles; --", "*", "\"", "<script>", "a" * 5000,
           "rasid:daraa-al-balad", "csv", "geojson", "mention", "event", "true"]
# Text a URL can carry: every code point but lone surrogates (not encodable in UTF-8).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
VALUE = st.one_of(st.sampled_from(HOSTILE), TEXT, st.integers(-(2 ** 70), 2 ** 70).map(str),
                  st.dates().map(lambda d: d.isoformat()))


@pytest.fixture(scope="module")
def client():
    store, _ = fresh_store()
    yield TestClient(create_app(ServeSettings(), store), raise_server_exceptions=False)
    store.close()


@pytest.fixture(scope="module")
def endpoints(client):
    """(path template, path parameter names, query parameter names) of every GET in the schema."""
    spec = client.get("/openapi.json").json()
    out = []
    for path, methods in sorted(spec["paths"].items()):
        if "get" in methods:
            params = methods["get"].get("parameters", [])
            out.append((path, [p["name"] for p in params if p["in"] == "path"],
                        [p["name"] for p in params if p["in"] == "query"]))
    assert len(out) >= 13, out
    return out


def check_envelope(response, where: str) -> None:
    assert response.status_code < 500, (where, response.status_code, response.text[:300])
    if where.startswith("/api/export") and response.status_code == 200:
        return  # the export is the file itself (csv, json, geojson), not an envelope
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        assert set(body) == ENVELOPE_KEYS, (where, body)
        assert body["ok"] is (response.status_code < 400), where
        if not body["ok"]:
            assert body["error"]["status"] == response.status_code and body["error"]["code"], where
    else:
        raise AssertionError((where, response.status_code, response.headers.get("content-type")))


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.data())
def test_query_parameters_never_crash_and_always_answer_in_the_envelope(client, endpoints, data):
    path, path_params, query_params = data.draw(st.sampled_from(endpoints), label="endpoint")
    url = path
    for name in path_params:
        url = url.replace("{" + name + "}", quote(data.draw(VALUE, label=name), safe=""))
    names = data.draw(st.lists(st.sampled_from(query_params + ["unknown", "token", "lang"]), unique=True,
                               max_size=len(query_params) + 1) if query_params else st.just([]), label="names")
    params = [(name, data.draw(VALUE, label=name)) for name in names]
    if path == "/api/search" and data.draw(st.booleans(), label="with q"):
        params.append(("q", "درعا"))
    check_envelope(client.get(url, params=params), url)


@FUZZ
@given(params=st.lists(st.tuples(st.sampled_from(["limit", "offset", "since", "until", "type", "admin1", "place",
                                                    "actor", "source", "outlet", "story", "article"]), VALUE),
                       max_size=6))
def test_repeated_and_mixed_event_filters(client, params):
    check_envelope(client.get("/api/events", params=params), "/api/events")
    check_envelope(client.get("/api/export", params=[("format", "json"), *params]), "/api/export")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7e), max_size=80))
def test_raw_query_strings(client, raw):
    """Query strings as a client could type them, percent signs and all, not encoded for it."""
    query = re.sub(r"[#\s]", "", raw)
    for path in ("/api/events", "/api/articles", "/api/places"):
        check_envelope(client.get(path + "?" + query), path + "?" + query)
