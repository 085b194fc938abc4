"""A store filled by hand with the seed reports, their extractions and the Daraa story, for the
API, web, export and browser tests. Every offset is found in the real seed text, never typed."""
from __future__ import annotations

import hashlib
import re
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

from rasid.models import (
    ActorMention, Article, Claim, DateMention, DuplicateLink, Event, EventMention, Extraction, Figure,
    PlaceMention, SourceMention, Story,
)
from rasid.store import open_store

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
SCRIPT_TITLE = "<script>alert('x')</script> تقرير تجريبي"
SCRIPT_TEXT = "نص فيه وسم <script>alert('x')</script> و<b>عريض</b> نزح 12 شخصاً من حمص."

DARAA_BALAD = {"place_id": "rasid:daraa-al-balad", "name": "درعا البلد", "name_en": "Daraa al-Balad",
               "lat": 32.6125, "lon": 36.1033, "country": "SY", "admin1": "درعا", "admin2": "درعا",
               "feature": "quarter", "precision": "locality"}
NORTH_SYRIA = {"place_id": "rasid:north-syria", "name": "الشمال السوري", "name_en": "Northern Syria",
               "lat": 36.2, "lon": 37.1, "country": "SY", "admin1": "حلب", "admin2": "",
               "feature": "region", "precision": "region"}
WAER = {"place_id": "rasid:al-waer", "name": "حي الوعر", "name_en": "al-Waer", "lat": 34.7395, "lon": 36.6636,
        "country": "SY", "admin1": "حمص", "admin2": "حمص", "feature": "quarter", "precision": "locality"}
JARABLUS = {"place_id": "wof:421168687", "name": "جرابلس", "name_en": "Jarabulus", "lat": 36.8175, "lon": 38.0115,
            "country": "SY", "admin1": "حلب", "admin2": "جرابلس", "feature": "locality", "precision": "locality"}
SOHR = {"actor_id": "Q1138364", "name": "المرصد السوري لحقوق الإنسان", "name_en": "Syrian Observatory for Human Rights",
        "type": "ngo_monitor"}
SANA = {"actor_id": "Q1140224", "name": "سانا", "name_en": "SANA", "type": "media"}
REGIME = {"actor_id": "rasid:syrian-government-forces", "name": "قوات النظام", "name_en": "Syrian government forces",
          "type": "state_forces"}
OPPOSITION = {"actor_id": "rasid:syrian-opposition-fighters", "name": "مقاتلو المعارضة",
              "name_en": "Syrian opposition fighters", "type": "armed_opposition"}


def seed_text(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def make_article(text: str, outlet: str, published: Optional[str], url: str = "", title: str = "") -> Article:
    lines = text.split("\n", 1)
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
    return Article(id=digest[:16], text=text, title=title or lines[0].strip(), outlet=outlet, url=url,
                   language="ar", published=published, published_precision="day" if published else "unknown",
                   content_hash=digest, clean_text=text, origin=f"seed:{outlet}")


def span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def mention(cls, text: str, needle: str, **fields: Any):
    start, end = span(text, needle)
    return cls(text=needle, start=start, end=end, **fields)


def sentence(text: str, needle: str) -> dict[str, Any]:
    """The sentence around a needle, cut at the seeds' ".," joins, as a claim's evidence."""
    start, end = span(text, needle)
    left = max(text.rfind(".,", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    right = text.find(".,", end)
    right = len(text) if right < 0 else right + 1
    while text[left].isspace():
        left += 1
    return {"text": text[left:right], "start": left, "end": right}


def figure_dict(f: Figure) -> dict[str, Any]:
    from dataclasses import asdict
    return asdict(f)


def extraction_000(a: Article) -> Extraction:
    t = a.text
    figures = [
        mention(Figure, t, "53 شخصاً", value=53, unit="people", term="displaced", source_id="s1"),
        mention(Figure, t, "45 إرهابياً", value=45, unit="fighters", term="evacuated", source_id="s2"),
        mention(Figure, t, "نحو 10 مقاتلين", value=10, unit="fighters", term="evacuated", qualifier="approx"),
        mention(Figure, t, "أكثر من 38 ألف شخص", value=38000, unit="people", term="displaced", qualifier="more_than",
                source_id="s3"),
    ]
    sources = [mention(SourceMention, t, "المرصد", id="s1", actor_id=SOHR["actor_id"], name=SOHR["name"],
                       type="ngo_monitor", cue="أفاد"),
               mention(SourceMention, t, "سانا", id="s2", actor_id=SANA["actor_id"], name=SANA["name"], type="media",
                       cue="أعلنت"),
               mention(SourceMention, t, "الأمم المتحدة", id="s3", actor_id="Q1065", name="الأمم المتحدة",
                       type="igo", cue="أعلنت")]
    places = [mention(PlaceMention, t, "درعا البلد", **{k: v for k, v in DARAA_BALAD.items()}, role="origin"),
              mention(PlaceMention, t, "الشمال السوري", **NORTH_SYRIA, role="destination")]
    ev_start, ev_end = span(t, "وأفاد المرصد عن")
    events = [EventMention(text=t[ev_start:ev_start + 40], start=ev_start, end=t.index("مناطق الشمال السوري") + 19,
                           id="e1", type="displacement", subtype="evacuation", trigger="تهجير",
                           actors=[{"actor_id": REGIME["actor_id"], "role": "actor"}],
                           places=[{"place_id": DARAA_BALAD["place_id"], "name": "درعا البلد", "role": "origin"},
                                   {"place_id": NORTH_SYRIA["place_id"], "name": "الشمال السوري", "role": "destination"}],
                           date={"value": "2021-08-26", "precision": "day", "text": "الخميس"},
                           figures=[0, 1], sources=["s1", "s2"], batch=2)]
    return Extraction(article_id=a.id, figures=figures, sources=sources, places=places, events=events,
                      actors=[mention(ActorMention, t, "قوات النظام", **REGIME)],
                      dates=[mention(DateMention, t, "الخميس", value="2021-08-26", precision="day", resolved=True,
                                     relative=True)])


def extraction_001(a: Article) -> Extraction:
    t = a.text
    figures = [mention(Figure, t, "50 من مقاتلي المعارضة", value=50, unit="fighters", term="evacuated", source_id="s1"),
               mention(Figure, t, "حافلتان", value=2, unit="buses", term="")]
    sources = [mention(SourceMention, t, "شهود عيان", id="s1", name="شهود عيان", type="witnesses", cue="قال")]
    places = [mention(PlaceMention, t, "درعا البلد", **DARAA_BALAD, role="origin")]
    start, end = span(t, "قال شهود عيان")
    events = [EventMention(text=t[start:end], start=start, end=t.index("جنوب سوريا", start) + 10, id="e1",
                           type="displacement", subtype="evacuation", trigger="إجلاء",
                           places=[{"place_id": DARAA_BALAD["place_id"], "name": "درعا البلد", "role": "origin"}],
                           date={"value": "2021-08-26", "precision": "day", "text": "اليوم الخميس"},
                           figures=[0], sources=["s1"])]
    return Extraction(article_id=a.id, figures=figures, sources=sources, places=places, events=events)


def extraction_002(a: Article) -> Extraction:
    t = a.text
    figures = [mention(Figure, t, "نحو 2500 شخص", value=2500, unit="people", term="evacuated", qualifier="approx")]
    places = [mention(PlaceMention, t, "حي الوعر", **WAER, role="origin"),
              mention(PlaceMention, t, "#جرابلس", **{**JARABLUS, "name": "جرابلس"}, role="destination")]
    start, end = span(t, "وغادرت حافلة واحدة")
    events = [EventMention(text=t[start:end], start=start, end=t.index("منذ وقت طويل") + 12, id="e1",
                           type="displacement", subtype="evacuation", trigger="مغادرة",
                           places=[{"place_id": WAER["place_id"], "name": "حي الوعر", "role": "origin"},
                                   {"place_id": JARABLUS["place_id"], "name": "جرابلس", "role": "destination"}],
                           date={"value": "2017-03-18", "precision": "day", "text": "اليوم السبت"}, figures=[0])]
    return Extraction(article_id=a.id, figures=figures, places=places, events=events,
                      actors=[mention(ActorMention, t, "مقاتلو المعارضة", **OPPOSITION)])


def claim(a: Article, source: str, actor_id: str, figure: Figure, date: dict, framing: list[str]) -> Claim:
    return Claim(article_id=a.id, outlet=a.outlet, source=source, source_actor_id=actor_id,
                 figure=figure_dict(figure), date=date, evidence=sentence(a.text, figure.text), framing=framing)


def daraa_story(a0: Article, a1: Article, a3: Article, x0: Extraction, x1: Extraction) -> Story:
    thursday = {"value": "2021-08-26", "precision": "day", "text": "الخميس"}
    claims = [claim(a0, SOHR["name"], SOHR["actor_id"], x0.figures[0], thursday, ["تهجير", "المسلحين"]),
              claim(a0, SANA["name"], SANA["actor_id"], x0.figures[1], thursday, ["إرهابياً"]),
              claim(a1, "شهود عيان", "", x1.figures[0], {**thursday, "text": "اليوم الخميس"}, ["إجلاء", "مقاتلي المعارضة"])]
    contradiction = {"event_id": "st-daraa-2021:e1", "field": "figure",
                     "values": [{"value": 53, "source": SOHR["name"], "article_id": a0.id, "outlet": a0.outlet},
                                {"value": 45, "source": SANA["name"], "article_id": a0.id, "outlet": a0.outlet},
                                {"value": 50, "source": "شهود عيان", "article_id": a1.id, "outlet": a1.outlet}],
                     "conservative": 45, "range": [45, 53]}
    first_batch = [Claim(a0.id, a0.outlet, a0.outlet, "", None, {"value": "2021-08-24", "precision": "day", "text": "الثلاثاء"},
                         sentence(a0.text, "وكانت دفعة أولى")),
                   Claim(a1.id, a1.outlet, a1.outlet, "", None, {"value": "2021-08-25", "precision": "day", "text": "يوم الأربعاء"},
                         sentence(a1.text, "بعد مغادرة الدفعة الأولى"))]
    date_conflict = {"event_id": "st-daraa-2021:e2", "field": "date",
                     "values": [{"value": "2021-08-24", "source": a0.outlet, "article_id": a0.id},
                                {"value": "2021-08-25", "source": a1.outlet, "article_id": a1.id}]}
    place_list = [dict(DARAA_BALAD, role="origin"), dict(NORTH_SYRIA, role="destination")]
    events = [
        Event(id="st-daraa-2021:e1", story_id="st-daraa-2021", type="displacement", subtype="evacuation",
              date=thursday, places=place_list, actors=[dict(REGIME, role="actor"), dict(OPPOSITION, role="displaced")],
              claims=claims, contradictions=[contradiction], summary="خروج الدفعة الثانية من مقاتلي درعا البلد"),
        Event(id="st-daraa-2021:e2", story_id="st-daraa-2021", type="displacement", subtype="evacuation",
              date={"value": "2021-08-24", "precision": "day", "text": "الثلاثاء"}, places=[dict(DARAA_BALAD, role="origin")],
              claims=first_batch, contradictions=[date_conflict], summary="خروج الدفعة الأولى"),
    ]
    return Story(id="st-daraa-2021", title="إجلاء مقاتلي المعارضة من درعا البلد", article_ids=[a0.id, a1.id, a3.id],
                 first_date="2021-08-24", last_date="2021-08-26", places=[DARAA_BALAD, NORTH_SYRIA],
                 actors=[REGIME, SOHR, SANA], events=events, contradictions=[contradiction, date_conflict],
                 framing=[  # the shape rasid.reconcile.framing gives: groups, then one side per source
                     {"group": "people", "by_source": [
                         {"source": SOHR["name"], "outlet": a0.outlet, "article_id": a0.id,
                          "terms": [{"term": "مسلحين", "count": 2, "evidence": [0, 1]}]},
                         {"source": SANA["name"], "outlet": a0.outlet, "article_id": a0.id,
                          "terms": [{"term": "إرهابيين", "count": 2, "evidence": [0, 1]}]},
                         {"source": "شهود عيان", "outlet": a1.outlet, "article_id": a1.id,
                          "terms": [{"term": "مقاتلين", "count": 1, "evidence": [0, 1]}]}]},
                     {"group": "acts", "by_source": [
                         {"source": SOHR["name"], "outlet": a0.outlet, "article_id": a0.id,
                          "terms": [{"term": "تهجير", "count": 1, "evidence": [0, 1]}]},
                         {"source": "شهود عيان", "outlet": a1.outlet, "article_id": a1.id,
                          "terms": [{"term": "إجلاء", "count": 1, "evidence": [0, 1]}]}]}],
                 summary=[{"text": sentence(a0.text, "53 شخصاً")["text"], "article_id": a0.id}],
                 timeline=[{"date": {"value": "2021-08-24", "precision": "day"}, "text": "خروج الدفعة الأولى",
                            "event_id": "st-daraa-2021:e2"},
                           {"date": {"value": "2021-08-26", "precision": "day"}, "text": "خروج الدفعة الثانية",
                            "event_id": "st-daraa-2021:e1"}])


def homs_story(a2: Article) -> Story:
    x = extraction_002(a2)
    c = Claim(a2.id, a2.outlet, a2.outlet, "", figure_dict(x.figures[0]),
              {"value": "2017-03-18", "precision": "day", "text": "اليوم السبت"}, sentence(a2.text, "نحو 2500 شخص"), ["إجلاء"])
    event = Event(id="st-homs-2017:e1", story_id="st-homs-2017", type="displacement", subtype="evacuation",
                  date={"value": "2017-03-18", "precision": "day", "text": "اليوم السبت"},
                  places=[dict(WAER, role="origin"), dict(JARABLUS, role="destination")],
                  actors=[dict(OPPOSITION, role="displaced")], claims=[c], summary="خروج مقاتلي المعارضة من حي الوعر")
    return Story(id="st-homs-2017", title="بدء خروج مقاتلي المعارضة من حي الوعر", article_ids=[a2.id],
                 first_date="2017-03-18", last_date="2017-03-18", places=[WAER], events=[event],
                 summary=[{"text": sentence(a2.text, "نحو 2500 شخص")["text"]}],
                 timeline=[{"date": "2017-03-18", "precision": "day", "text": "مغادرة أول حافلة"}])


def populate(store) -> dict[str, Any]:
    """Fill ``store``; returns the articles and stories by short name for assertions."""
    a0 = make_article(seed_text("000"), "فرانس 24", "2021-08-26", "https://example.org/daraa-000")
    a1 = make_article(seed_text("001"), "أورينت نت", "2021-08-26", "https://example.org/daraa-001")
    a2 = make_article(seed_text("002"), "العربية", "2017-03-18", "https://example.org/homs-002")
    a3 = make_article(seed_text("003"), "رويترز", "2021-07-29", "https://example.org/daraa-003")
    a4 = make_article(seed_text("004"), "الشرق الأوسط", "2018-07-25")
    evil = make_article(SCRIPT_TEXT, "<b>outlet</b>", "2020-01-01", title=SCRIPT_TITLE)
    articles = [a0, a1, a2, a3, a4, evil]
    store.put_articles(articles)
    x0, x1, x2 = extraction_000(a0), extraction_001(a1), extraction_002(a2)
    store.put_extraction(x0, "st-daraa-2021")
    store.put_extraction(x1, "st-daraa-2021")
    store.put_extraction(x2, "st-homs-2017")
    store.put_duplicate_links([DuplicateLink(a1.id, a3.id, "rewrite", 0.41)])
    stories = [daraa_story(a0, a1, a3, x0, x1), homs_story(a2)]
    store.replace_stories(stories)
    return {"articles": {"000": a0, "001": a1, "002": a2, "003": a3, "004": a4, "evil": evil},
            "stories": {s.id: s for s in stories}}


def fresh_store(url: str = ":memory:"):
    store = open_store(url)
    info = populate(store)
    return store, info


@contextmanager
def live_server(app):
    """``app`` on a real uvicorn (the HTTP parser ``rasid serve`` runs) on a free local port; yields
    (host, port)."""
    import uvicorn

    from rasid.cli.serve import HTTP_PARSER

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, http=HTTP_PARSER))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def raw_request(address: tuple[str, int], head: bytes, body: bytes = b"", wait: float = 10.0) -> tuple[int, dict, bytes]:
    """Send ``head`` (and the start of a body) on a socket and read the response as it comes:
    (status, headers, body). The server may answer before the body it was promised."""
    with socket.create_connection(address, timeout=wait) as sock:
        sock.sendall(head + body)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    header_block, _, payload = data.partition(b"\r\n\r\n")
    lines = header_block.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, payload


def _length(data: bytes) -> int:
    match = re.search(rb"content-length: *(\d+)", data.split(b"\r\n\r\n", 1)[0], re.I)
    return int(match.group(1)) if match else 1 << 30


RLO, LRI, PDI = "\u202e", "\u2066", "\u2069"
BIDI_OUTLET = RLO + "evil.example"  # reverses everything after it unless contained
BIDI_TITLE = "عنوان " + RLO + "مقلوب " + LRI + "بلا إغلاق"
BIDI_SOURCE = "مصدر " + RLO + "خاص"


def add_hostile(store) -> dict[str, Any]:
    """Two reports whose outlet, title, source and URL are hostile (bidi overrides, javascript: and
    data: links), in a story of their own, added to ``store``."""
    text = "نزح 30 شخصاً من حي الوعر في حمص اليوم السبت وفق ما أفاد مصدر خاص."
    js = make_article(text, BIDI_OUTLET, "2017-03-18", url="javascript:alert(document.cookie)", title=BIDI_TITLE)
    data = make_article(text + " ", "منفذ " + PDI + "عادي", "2017-03-18",
                        url="data:text/html,<script>alert(1)</script>", title="تقرير " + LRI + "ثان")
    store.put_articles([js, data])
    figure = {"text": "30 شخصاً", "start": 4, "end": 12, "value": 30, "unit": "people", "term": "displaced",
              "qualifier": "exact"}
    evidence = {"text": text, "start": 0, "end": len(text)}
    place = dict(WAER, role="origin", name="حي " + RLO + "الوعر")
    event = Event(id="st-bidi:e1", story_id="st-bidi", type="displacement", subtype="",
                  date={"value": "2017-03-18", "precision": "day", "text": "اليوم السبت"}, places=[place],
                  claims=[Claim(js.id, js.outlet, BIDI_SOURCE, "", figure, None, evidence, [RLO + "تهجير"]),
                          Claim(data.id, data.outlet, data.outlet, "", figure, None, evidence, [])],
                  summary="نزوح " + RLO + "من الوعر")
    story = Story(id="st-bidi", title=BIDI_TITLE, article_ids=[js.id, data.id], first_date="2017-03-18",
                  last_date="2017-03-18", places=[place], events=[event])
    store.replace_stories([story])
    return {"js": js, "data": data, "story": story}
