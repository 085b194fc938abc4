"""What the story page shows, gathered from the store: columns per report, disputes, framing, timeline."""
from __future__ import annotations

from typing import Any, Optional

from rasid.views.geo import features
from rasid.views.records import contradiction_members
from rasid.models import Article, Extraction, Story
from rasid.store.base import Store
from rasid.web.textmarks import figure_marks, pieces


def _claims_of(records: list[dict[str, Any]], article_id: str) -> list[dict[str, Any]]:
    out = []
    for record in records:
        for claim in record["claims"]:
            if claim.get("article_id") == article_id:
                out.append(dict(claim, event_id=record["id"], event_type=record["type"],
                                event_subtype=record["subtype"]))
    return out


def anchor_prefix(article_id: str) -> str:
    return "fig-" + "".join(ch for ch in article_id[:16] if ch.isalnum())


def article_column(article: Optional[Article], extraction: Optional[Extraction],
                   records: list[dict[str, Any]]) -> Optional[dict[str, Any]]:
    if article is None:
        return None
    claims = _claims_of(records, article.id)
    prefix = anchor_prefix(article.id)
    marks = figure_marks(article.text, extraction, claims, prefix)
    anchors = {m.start: m.anchor for m in marks}
    for claim in claims:
        claim["anchor"] = anchors.get((claim.get("figure") or {}).get("start"))
    framing = list(dict.fromkeys(w for c in claims for w in c.get("framing") or []))
    return {
        "article": article, "claims": claims, "pieces": pieces(article.text, marks), "framing": framing,
        "sources": list(dict.fromkeys(s.name for s in (extraction.sources if extraction else []) if s.name)),
        "n_figures": len(marks),
    }


def _value(member: dict[str, Any]) -> Any:
    for key in ("value", "figure", "date"):
        value = member.get(key)
        if isinstance(value, dict):
            value = value.get("value") if value.get("value") is not None else value.get("text")
        if value not in (None, ""):
            return value
    return ""


def contradiction_rows(story: Story, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each contradiction as the values and who gives them, whatever shape reconcile stored."""
    by_event = {r["id"]: r for r in records}
    listed = [(c, by_event.get(c.get("event_id"))) for c in story.contradictions]
    if not listed:
        listed = [(c, r) for r in records for c in r["contradictions"]]
    rows = []
    for contradiction, record in listed:
        claims = (record or {}).get("claims") or []
        items = []
        for member in contradiction_members(contradiction):
            if isinstance(member, int) and member < len(claims):
                claim = claims[member]
                member = {"value": (claim.get("figure") or claim.get("date") or {}).get("text"),
                          "source": claim.get("source"), "outlet": claim.get("outlet")}
            if isinstance(member, dict):
                items.append({"value": _value(member), "who": member.get("source") or member.get("outlet") or "",
                              "outlet": member.get("outlet") or ""})
        field = str(contradiction.get("field") or contradiction.get("kind") or "figure")
        if not items:
            items = [{"value": (c.get(field) or {}).get("text", ""), "who": c.get("source", ""),
                      "outlet": c.get("outlet", "")} for c in claims if field in (c.get("disputed") or [])]
        rows.append({"field": field, "items": items, "event_id": contradiction.get("event_id") or (record or {}).get("id"),
                     "conservative": contradiction.get("conservative", contradiction.get("most_conservative")),
                     "note": contradiction.get("note") or contradiction.get("summary") or ""})
    return rows


def _words(item: dict[str, Any]) -> list[str]:
    words = item.get("terms") or item.get("words") or item.get("framing") or []
    return [w if isinstance(w, str) else str(w.get("term") or w.get("text") or "") for w in words]


def _word_counts(item: dict[str, Any]) -> list[str]:
    return [f"{t['term']} ×{t['count']}" if isinstance(t, dict) and t.get("count", 1) > 1 else w
            for t, w in zip(item.get("terms") or [], _words(item))]


def framing_rows(story: Story, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per source and framing group (people, acts, the state): the words it chose."""
    if story.framing:
        return [{"who": side.get("source") or side.get("outlet") or side.get("article_id") or "",
                 "outlet": side.get("outlet") or "", "group": group.get("group", ""), "words": _word_counts(side)}
                for group in story.framing for side in group.get("by_source", []) if side.get("terms")]
    rows: dict[str, dict[str, Any]] = {}
    for record in records:
        for claim in record["claims"]:
            row = rows.setdefault(claim.get("source") or "", {"who": claim.get("source") or "",
                                                               "outlet": claim.get("outlet") or "", "words": []})
            row["words"] += [w for w in claim.get("framing") or [] if w not in row["words"]]
    return [r for r in rows.values() if r["words"]]


def timeline_rows(story: Story) -> list[dict[str, Any]]:
    rows = []
    for item in story.timeline:
        date = item.get("date")
        value = date.get("value") if isinstance(date, dict) else date
        precision = (date.get("precision") if isinstance(date, dict) else None) or item.get("precision") or ""
        text = item.get("text") or item.get("label") or item.get("summary") or item.get("type") or ""
        rows.append({"date": value or "", "precision": precision, "text": text, "event_id": item.get("event_id")})
    return rows


def summary_rows(story: Story) -> list[str]:
    return [s if isinstance(s, str) else str(s.get("text") or "") for s in story.summary]


def main_first(story: Story, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The disputed events first, then the story's news, background (history the reports recall) last."""
    disputed = {e.id for e in story.events if e.contradictions}
    background = {t.get("event_id") for t in story.timeline if t.get("background")}
    order = sorted(range(len(records)), key=lambda i: (records[i].get("id") not in disputed,
                                                         records[i].get("id") in background, i))
    return [records[i] for i in order]


def story_page(store: Store, story: Story, records: list[dict[str, Any]]) -> dict[str, Any]:
    records = main_first(story, records)
    # The story's reports and their extractions in two reads, not two per report.
    articles = {a.id: a for a in store.get_articles(list(story.article_ids))}
    extractions = store.get_extractions(list(articles))
    columns = [c for c in (article_column(articles.get(a), extractions.get(a), records) for a in story.article_ids) if c]
    feature_list = [f for r in records for f in features(r)]
    return {
        "story": story, "records": records, "columns": columns,
        "contradictions": contradiction_rows(story, records), "framing": framing_rows(story, records),
        "timeline": timeline_rows(story), "summary": [s for s in summary_rows(story) if s],
        "geojson": {"type": "FeatureCollection", "features": feature_list},
    }
