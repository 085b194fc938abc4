"""SQL pieces both backends share; ``mark`` is the driver's placeholder ("?" or "%s")."""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterator, Optional

from rasid.arabic.search import stem
from rasid.models import Event, EventMention, Extraction, Story
from rasid.store.base import ONE_ANALYSIS, ArticleFilter, EventFilter, EventRow, StoryState
from rasid.store.codec import dumps, extraction_from_dict, loads

_WORD = re.compile(r"[\w\u0600-\u06FF]+")


def article_where(flt: ArticleFilter, mark: str) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for column, op, value in (
        ("outlet", "=", flt.outlet), ("language", "=", flt.language),
        ("substr(published, 1, 10)", ">=", flt.since), ("substr(published, 1, 10)", "<=", flt.until),
    ):
        if value:
            clauses.append(f"{column} {op} {mark}")
            params.append(value)
    if flt.story_id:
        clauses.append(f"id IN (SELECT article_id FROM story_articles WHERE story_id = {mark})")
        params.append(flt.story_id)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def fts_match(query_terms: list[str]) -> str:
    """FTS5 query: every term must occur; terms are quoted so no FTS syntax leaks through."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in query_terms if t]
    return " AND ".join(quoted)


def snippet(text: str, query: str, width: int = 90) -> str:
    """A window of the text around the first word that matches a query term."""
    wanted = {stem(w) for w in _WORD.findall(query)}
    for match in _WORD.finditer(text):
        if stem(match.group()) in wanted:
            start = max(0, match.start() - width)
            end = min(len(text), match.end() + width)
            if start:  # begin and end on word boundaries
                start = text.find(" ", start, match.start()) + 1 or start
            if end < len(text):
                end = text.rfind(" ", match.end(), end) if text.rfind(" ", match.end(), end) > 0 else end
            return ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")
    return text[: 2 * width].replace("\n", " ")


def search_key(data: dict[str, Any]) -> str:
    """'|field=value|' tokens that the event filters match with LIKE."""
    parts = []
    for place in data.get("places", []):
        for key in ("place_id", "name", "name_en"):
            parts.append(f"place={place.get(key) or ''}")
        parts.append(f"admin1={place.get('admin1') or ''}")
    for actor in data.get("actors", []):
        parts += [f"actor={actor.get('actor_id') or ''}", f"actor={actor.get('name') or ''}"]
    for source in data.get("source_details", []) + data.get("claims", []):
        parts += [f"source={source.get('actor_id') or source.get('source_actor_id') or ''}",
                  f"source={source.get('name') or source.get('source') or ''}", f"source={source.get('type') or ''}"]
    for outlet in data.get("outlets", []):
        parts.append(f"outlet={outlet}")
    return "|" + "|".join(p for p in parts if not p.endswith("=")) + "|"


def mention_row(extraction: Extraction, event: EventMention, story_id: Optional[str]) -> tuple:
    data = event_mention_data(extraction, event)
    date = event.date or {}
    return (f"{extraction.article_id}:{event.id}", "mention", extraction.article_id, story_id, event.type,
            event.subtype, date.get("value"), date.get("precision") or "unknown", search_key(data), dumps(data))


def event_mention_data(extraction: Extraction, event: EventMention) -> dict[str, Any]:
    data = json.loads(dumps(event))
    sources = {s.id: s for s in extraction.sources}
    data["source_details"] = [json.loads(dumps(sources[s])) for s in event.sources if s in sources]
    data["figure_details"] = [json.loads(dumps(extraction.figures[i])) for i in event.figures if i < len(extraction.figures)]
    actor_names = {a.actor_id: a for a in extraction.actors}
    for actor in data["actors"]:
        known = actor_names.get(actor.get("actor_id"))
        if known:
            actor.setdefault("name", known.name)
            actor.setdefault("type", known.type)
    data["article_id"] = extraction.article_id
    return data


def event_where(flt: EventFilter, mark: str) -> tuple[str, list[Any]]:
    kind = "mention" if flt.article_id else "event"
    clauses, params = [f"kind = {mark}"], [kind]
    for column, op, value in (
        ("type", "=", flt.type), ("story_id", "=", flt.story_id), ("article_id", "=", flt.article_id),
        ("substr(date, 1, 10)", ">=", flt.since), ("substr(date, 1, 10)", "<=", flt.until),
    ):
        if value:
            clauses.append(f"{column} {op} {mark}")
            params.append(value)
    for key, value in (("place", flt.place), ("admin1", flt.admin1), ("actor", flt.actor),
                       ("source", flt.source), ("outlet", flt.outlet)):
        if value:
            clauses.append(f"search LIKE {mark}")
            params.append(f"%|{key}={value}%")
    return "WHERE " + " AND ".join(clauses), params


def event_row(row: Any) -> EventRow:
    return EventRow(row["id"], row["article_id"], row["story_id"], row["type"], row["subtype"], row["date"],
                    row["date_precision"], loads(row["data"]))


def oriented(row: Any, article_id: str) -> tuple[str, str, str, float]:
    a, b = row[0], row[1]
    return (a, b, row[2], row[3]) if a == article_id else (b, a, row[2], row[3])


def story_sort_key(story: Story) -> str:
    return (story.last_date or "0000") + "|" + story.id


STORY_COLUMNS = ("id", "title", "first_date", "last_date", "n_articles", "n_sources", "n_contradictions", "sort_key",
                 "data", "n_events", "places")


def story_writes(story: Story, mark: str) -> list[tuple[str, tuple]]:
    ids = story.article_ids
    marks = ", ".join(mark for _ in ids) or "NULL"
    sources = {c.source for e in story.events for c in e.claims}
    data = dumps(story)
    places = dumps(json.loads(data).get("places") or [])  # in the stored shape, for story lists
    writes: list[tuple[str, tuple]] = [
        (f"DELETE FROM story_articles WHERE article_id IN ({marks}) OR story_id = {mark}", (*ids, story.id)),
        (f"DELETE FROM stories WHERE id = {mark}", (story.id,)),
        (f"DELETE FROM events WHERE kind = 'event' AND story_id = {mark}", (story.id,)),
        (f"INSERT INTO stories ({', '.join(STORY_COLUMNS)}) VALUES ({', '.join([mark] * len(STORY_COLUMNS))})",
         (story.id, story.title, story.first_date, story.last_date, len(ids), len(sources),
          len(story.contradictions), story_sort_key(story), data, len(story.events), places)),
    ]
    writes += [(f"INSERT INTO story_articles VALUES ({mark}, {mark})", (story.id, a)) for a in ids]
    writes += [(f"INSERT INTO events VALUES ({', '.join([mark] * 10)})", _event_values(story, e)) for e in story.events]
    return writes


def _event_values(story: Story, event: Event) -> tuple:
    data = json.loads(dumps(event))
    data["outlets"] = sorted({c["outlet"] for c in data["claims"] if c.get("outlet")})
    date = event.date or {}
    return (event.id, "event", None, story.id, event.type, event.subtype, date.get("value"),
            date.get("precision") or "unknown", search_key(data), dumps(data))


def iter_extractions(rows: Callable[[str, tuple], list], mark: str, page: int) -> Iterator[Extraction]:
    """Every stored extraction by article id, ``page`` rows a query (``rows`` runs one query with
    its parameters and returns tuples; ``mark`` is the backend's placeholder)."""
    sql = ("SELECT a.id, e.data FROM extractions e JOIN articles a ON a.id = e.article_id "
           f"WHERE a.id > {mark} ORDER BY a.id LIMIT {mark}")
    after = ""
    while True:
        found = rows(sql, (after, page))
        for row in found:
            yield extraction_from_dict(loads(row[1]))
        if len(found) < page:
            return
        after = found[-1][0]


def stats(one: Callable[[str], Any], rows: Callable[[str], list], url: str) -> dict[str, Any]:
    """The counts `rasid stats` prints; ``one`` runs a query for one value, ``rows`` for rows."""
    def groups(column: str) -> dict[str, int]:
        return {r[0] or "(unknown)": r[1]
                for r in rows(f"SELECT {column}, COUNT(*) FROM articles GROUP BY {column} ORDER BY 2 DESC, 1")}

    return {
        "articles": one("SELECT COUNT(*) FROM articles"),
        "exact_copies": one("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL"),
        "outlets": groups("outlet"),
        "languages": groups("language"),
        "published": {"first": one("SELECT MIN(published) FROM articles"), "last": one("SELECT MAX(published) FROM articles"),
                      "unknown": one("SELECT COUNT(*) FROM articles WHERE published IS NULL")},
        "rejections": one("SELECT COUNT(*) FROM rejections"),
        "extracted": one("SELECT COUNT(*) FROM extractions"),
        "events": one("SELECT COUNT(*) FROM events WHERE kind = 'event'"),
        "event_mentions": one("SELECT COUNT(*) FROM events WHERE kind = 'mention'"),
        "stories": one("SELECT COUNT(*) FROM stories"),
        "duplicate_links": one("SELECT COUNT(*) FROM duplicates"),
        "stories_state": stories_state(rows),
        "database": url,
    }


STORY_STATE = "SELECT since, added, batches, full_pass_reports, basis FROM story_state"


def story_state(rows: Callable[[str], list]) -> Optional[StoryState]:
    """The stories' state row (0010_story_state), None when they are one analysis's."""
    found = rows(STORY_STATE)
    return StoryState(*tuple(found[0])) if found else None


def stories_state(rows: Callable[[str], list]) -> str:
    state = story_state(rows)
    return state.describe() if state else ONE_ANALYSIS


SUMMARY_COLUMNS = ("id", "title", "first_date", "last_date", "n_articles", "n_sources", "n_contradictions",
                   "n_events", "places")


def story_summary_row(row: Any, max_places: int = 10) -> dict[str, Any]:
    """A summary dict from a row of SUMMARY_COLUMNS (places as JSON text or already decoded)."""
    out = dict(zip(SUMMARY_COLUMNS, tuple(row)))
    places = out["places"]
    out["places"] = (loads(places) if isinstance(places, str) else places or [])[:max_places]
    out["n_events"] = out["n_events"] or 0
    return out
