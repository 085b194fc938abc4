"""Framing: the words each source uses for the same people, acts and state, side by side.

The lexicon (rasid/data/lexicons/framing.json) groups terms: people (إرهابيين / مقاتلين / مسلحين /
ثوار...), acts (تهجير / إجلاء / خروج / تسوية...) and the state (النظام / الحكومة / الدولة /
جيش الأسد...). Every occurrence in a report is attributed to the in-text source of its sentence
(the speaker of the quote it stands in, or a "وفق/بحسب" source of the sentence, as the extract
stage decides for figures), else to the outlet's own voice.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

from rasid.arabic import lexicons
from rasid.extract.lexmatch import PhraseIndex, tokenize
from rasid.extract.sources import source_for
from rasid.models import Article, Extraction, SourceMention
from rasid.reconcile.mentions import report_voice, source_key

GROUPS = ("people", "acts", "state")


@dataclass(frozen=True)
class Term:
    group: str
    term: str
    stance: str


@dataclass(frozen=True)
class Hit:
    term: Term
    start: int
    end: int


@lru_cache(maxsize=1)
def lexicon() -> PhraseIndex:
    """Every form of every framing term; blocked phrases ("تنظيم الدولة") carry None."""
    raw = lexicons.load_json("lexicons/framing.json")
    index = PhraseIndex(article=True, suffix=True)
    for group in GROUPS:
        for entry in raw["groups"][group]:
            term = Term(group, entry["term"], entry.get("stance", ""))
            for form in [entry["term"]] + entry["forms"]:
                index.add(form, term)
    for phrase in raw["blocked"]:
        index.add(phrase, None)
    return index


def find_terms(text: str, spans: Sequence[tuple[int, int]]) -> list[Hit]:
    """Framing terms in the given spans of ``text``, left to right."""
    index = lexicon()
    out = []
    for toks in tokenize(text, [(s, e) for s, e in spans if index.opens_any(text, s, e)]):
        out += [Hit(m.payload, m.start, m.end) for m in index.find(text, toks) if m.payload is not None]
    return out


def terms_in(text: str, start: int, end: int) -> list[str]:
    """The distinct framing terms of one span, in order of first use (a claim's framing)."""
    return list(dict.fromkeys(h.term.term for h in find_terms(text, [(start, end)])))


# ---- a story's framing table ------------------------------------------------------------------


def story_framing(articles: Sequence[Article], extractions: dict[str, Extraction],
                  spans: dict[str, list[tuple[int, int]]]) -> list[dict[str, Any]]:
    """[{"group", "by_source": [{"source", "outlet", "article_id", "terms": [...]}, ...]}, ...]."""
    rows: dict[str, dict[tuple, dict[str, Any]]] = {g: {} for g in GROUPS}
    for article in articles:
        sources = extractions[article.id].sources if article.id in extractions else []
        for span in spans[article.id]:
            for hit in find_terms(article.text, [span]):
                speaker = _speaker(hit, span, sources)
                row = _row(rows[hit.term.group], article, speaker)
                _count(row, hit)
    return [{"group": g, "by_source": [_finish(r) for r in rows[g].values()]} for g in GROUPS if rows[g]]


def _speaker(hit: Hit, span: tuple[int, int], sources: Sequence[SourceMention]):
    sid = source_for(hit.start, span, sources)
    return next((s for s in sources if s.id == sid), None) if sid else None


def _row(rows: dict[tuple, dict[str, Any]], article: Article, speaker) -> dict[str, Any]:
    key = (article.id, source_key(speaker, article.id) or "outlet")
    if key not in rows:
        rows[key] = {
            "source": (speaker.name or speaker.type) if speaker else report_voice(article),
            "source_actor_id": speaker.actor_id if speaker else "",
            "source_type": speaker.type if speaker else "outlet",
            "outlet": article.outlet, "article_id": article.id, "_terms": {},
        }
    return rows[key]


def _count(row: dict[str, Any], hit: Hit) -> None:
    entry = row["_terms"].setdefault(hit.term.term, {"term": hit.term.term, "stance": hit.term.stance,
                                                     "count": 0, "evidence": [hit.start, hit.end], "spans": []})
    entry["count"] += 1
    entry["spans"].append([hit.start, hit.end])


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    terms = sorted(row.pop("_terms").values(), key=lambda t: (-t["count"], t["evidence"][0]))
    return dict(row, terms=terms)
