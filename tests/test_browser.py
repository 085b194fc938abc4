"""The web UI in a real browser (Playwright driving Debian's chromium) against a live local server.

Skipped when /usr/bin/chromium or Playwright is missing, unless RASID_REQUIRE_BROWSER=1 (CI), where
a missing browser is a failure. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from web_fixtures import fresh_store

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def _require_browser():
    required = os.environ.get("RASID_REQUIRE_BROWSER") == "1"
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-core)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the Python package playwright is missing (pip install playwright)"
    if problem and required:
        pytest.fail(f"RASID_REQUIRE_BROWSER=1 but {problem}")
    if problem:
        pytest.skip(problem)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _require_browser()
    import uvicorn

    from rasid.app import ServeSettings, create_app

    store, info = fresh_store(str(tmp_path_factory.mktemp("browser") / "rasid.db"))
    port = _free_port()
    app = create_app(ServeSettings(port=port), store)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", info
    srv.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ar")
    # Only this machine is reached: tile requests fail as they would offline, and the map must cope.
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def test_story_figure_highlights_its_evidence(server, page):
    base, info = server
    page.goto(base + "/")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    page.screenshot(path=str(ARTIFACTS / "stories.png"), full_page=True)
    page.click("a[href='/stories/st-daraa-2021']")
    page.wait_for_selector("mark.fig")
    mark = page.locator("mark.fig", has_text="53 شخصاً").first
    mark.scroll_into_view_if_needed()
    assert page.locator(".evidence").count() == 0
    mark.click()
    assert "active" in mark.get_attribute("class")
    evidence = page.locator(".column .evidence")
    assert evidence.count() >= 2
    highlighted = "".join(evidence.all_text_contents())
    assert "53 شخصاً" in highlighted and "وأفاد المرصد" in highlighted
    assert "سانا" not in highlighted, "only the claim's own evidence span is highlighted"
    assert page.evaluate("getComputedStyle(document.querySelector('.article-text')).direction") == "rtl"
    page.screenshot(path=str(ARTIFACTS / "story.png"), full_page=True)
    other = page.locator("mark.fig", has_text="45 إرهابياً").first
    other.click()
    assert "active" not in (mark.get_attribute("class") or "")
    assert not page.errors, page.errors


def test_claim_link_highlights_the_figure(server, page):
    base, _ = server
    page.goto(base + "/stories/st-daraa-2021")
    page.locator("a.fig-link", has_text="50 من مقاتلي المعارضة").first.click()
    target = page.locator("mark.fig.active")
    assert target.count() == 1 and target.text_content() == "50 من مقاتلي المعارضة"


def test_story_map_has_markers_and_movement(server, page):
    base, _ = server
    page.goto(base + "/stories/st-daraa-2021")
    page.wait_for_selector("#map path.rasid-marker", timeout=10_000)
    assert page.locator("#map path.rasid-marker").count() == 2
    assert page.locator("#map path.rasid-movement").count() == 1
    assert page.locator("#map .leaflet-interactive").count() >= 3


def test_map_page_offline(server, browser):
    base, _ = server
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script("Object.defineProperty(navigator, 'onLine', {get: () => false})")
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "/map")
    page.wait_for_selector("#map path.rasid-marker", timeout=10_000)
    assert page.locator("#map path.rasid-marker").count() == 3
    assert page.locator("#map path.rasid-movement").count() == 2
    assert page.locator("#map img.leaflet-tile").count() == 0, "no tiles while offline"
    assert page.locator("#map path").count() > 100, "the local borders are drawn"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
    assert not errors, errors
    context.close()


def test_map_page_online_with_failing_tiles(server, page):
    base, _ = server
    page.goto(base + "/map")
    page.wait_for_selector("#map path.rasid-marker", timeout=10_000)
    assert page.locator("#map path.rasid-marker").count() == 3
    assert not page.errors, page.errors


def test_english_page_is_left_to_right(server, page):
    base, _ = server
    page.goto(base + "/events?lang=en")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"
    page.screenshot(path=str(ARTIFACTS / "events-en.png"), full_page=True)
