"""Precision, recall and F1 of the extract stage on the hand-annotated seed reports.

The gold (tests/gold/seeds.json) lists, per seed report, what a careful analyst records. Each
field is compared as a set of keys per article, summed over the articles:

    figures          value + unit (batch ordinals, which have no value, are left out)
    figures+source   value + unit + the key of the figure's source ("outlet" when none)
    dates            ISO value + precision (unresolved dates are left out)
    places           canonical name; governorate too when the gold gives one
    sources          "<actor type>@<actor id>", "person@<name>" or the anonymous type
    events           type + one of the gold event's figures (else places); a gold event is found
                     when one predicted mention matches it, a prediction is right when it
                     matches some gold event (an article may tell one event twice)
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from rasid.arabic.normalize import match_key
from rasid.errors import InputError
from rasid.extract.actors import ACTOR_TYPES
from rasid.models import Article, Extraction, SourceMention

__all__ = ["evaluate_seeds", "format_table", "FIELDS", "source_key", "default_extract", "SEEDS_DIR"]

FIELDS = ("figures", "figures+source", "dates", "places", "sources", "events")
SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"


def source_key(source: Optional[SourceMention]) -> str:
    if source is None:
        return "outlet"
    if source.type in ACTOR_TYPES and source.actor_id:
        return f"{source.type}@{source.actor_id}"
    if source.type == "person":
        return f"person@{match_key(source.name)}"
    return source.type


def _num(value: Any) -> Optional[float]:
    return None if value is None else float(value)


# ---- keys of one article, predicted and gold --------------------------------------------------


def _predicted(x: Extraction) -> dict[str, set]:
    by_id = {s.id: s for s in x.sources}
    figs = [f for f in x.figures if f.value is not None]
    return {
        "figures": {(_num(f.value), f.unit) for f in figs},
        "figures+source": {(_num(f.value), f.unit, source_key(by_id.get(f.source_id))) for f in figs},
        "dates": {(d.value, d.precision) for d in x.dates if d.value},
        "places": {(match_key(p.name), match_key(p.admin1)) for p in x.places},
        "sources": {source_key(s) for s in x.sources},
    }


def _gold_sources(fig: dict) -> list[str]:
    src = fig.get("source", "outlet")
    return src if isinstance(src, list) else [src]


def _gold(article: dict) -> dict[str, set]:
    figs = article.get("figures", [])
    return {
        "figures": {(_num(f["value"]), f["unit"]) for f in figs},
        "figures+source": {(_num(f["value"]), f["unit"], tuple(_gold_sources(f))) for f in figs},
        "dates": {(d["value"], d["precision"]) for d in article.get("dates", [])},
        "places": {(match_key(p["name"]), match_key(p.get("admin1", ""))) for p in article.get("places", [])},
        "sources": {s["key"] for s in article.get("sources", [])},
    }


def _match(field: str, gold_key, pred_key) -> bool:
    if field == "figures+source":
        return gold_key[:2] == pred_key[:2] and pred_key[2] in gold_key[2]
    if field == "places":
        return gold_key[0] == pred_key[0] and (not gold_key[1] or gold_key[1] == pred_key[1])
    return gold_key == pred_key


def _count(field: str, gold: set, pred: set) -> tuple[int, int, int]:
    """(true positives among predictions, predictions, gold items found)."""
    tp = sum(1 for p in pred if any(_match(field, g, p) for g in gold))
    found = sum(1 for g in gold if any(_match(field, g, p) for p in pred))
    return tp, len(pred), found


def _event_matches(gold: dict, event, x: Extraction) -> bool:
    if event.type != gold["type"]:
        return False
    if gold.get("figures"):
        values = {_num(x.figures[i].value) for i in event.figures if i < len(x.figures)}
        return bool(values & {_num(v) for v in gold["figures"]})
    if gold.get("places"):
        names = {match_key(p.get("name", "")) for p in event.places}
        return bool(names & {match_key(n) for n in gold["places"]})
    return True


def _count_events(gold: list[dict], x: Extraction) -> tuple[int, int, int]:
    tp = sum(1 for e in x.events if any(_event_matches(g, e, x) for g in gold))
    found = sum(1 for g in gold if any(_event_matches(g, e, x) for e in x.events))
    return tp, len(x.events), found


# ---- the whole gold set -----------------------------------------------------------------------


def default_extract(article: Article) -> Extraction:
    """The pipeline as it runs: the clean stage's sentences, then the extract stage."""
    from rasid.clean import clean
    from rasid.extract.run import extract_article

    return extract_article(article, clean(article.text).sentences)


def _load(gold_path) -> dict:
    try:
        return json.loads(Path(gold_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"gold file '{gold_path}' cannot be read as JSON ({exc}); pass --gold FILE") from None


def _article(entry: dict, seeds_dir: Path) -> Article:
    path = seeds_dir / entry["file"]
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise InputError(f"seed report '{path}' is missing; the gold names it as its 'file'") from None
    return Article(id=entry["file"], text=text, published=entry.get("published"),
                   published_precision="day" if entry.get("published") else "unknown")


def _prf(tp: int, n_pred: int, found: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = found / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "predicted": n_pred, "gold": n_gold}


def evaluate_seeds(gold_path, extract_fn: Optional[Callable[[Article], Extraction]] = None,
                   seeds_dir: Optional[Path] = None) -> dict[str, Any]:
    """P/R/F1 per field over the gold articles; `extract_fn(article) -> Extraction`."""
    gold = _load(gold_path)
    extract_fn = extract_fn or default_extract
    seeds = Path(seeds_dir) if seeds_dir else Path(gold.get("seeds_dir", SEEDS_DIR))
    totals = {f: [0, 0, 0, 0] for f in FIELDS}
    per_article = {}
    for entry in gold["articles"]:
        x = extract_fn(_article(entry, seeds))
        counts = _article_counts(entry, x)
        per_article[entry["file"]] = {f: _prf(*c) for f, c in counts.items()}
        for f, c in counts.items():
            totals[f] = [a + b for a, b in zip(totals[f], c)]
    return {"fields": {f: _prf(*c) for f, c in totals.items()}, "articles": per_article}


def _article_counts(entry: dict, x: Extraction) -> dict[str, tuple[int, int, int, int]]:
    pred, gold = _predicted(x), _gold(entry)
    out = {}
    for f in FIELDS[:-1]:
        tp, n_pred, found = _count(f, gold[f], pred[f])
        out[f] = (tp, n_pred, found, len(gold[f]))
    tp, n_pred, found = _count_events(entry.get("events", []), x)
    out["events"] = (tp, n_pred, found, len(entry.get("events", [])))
    return out


def format_table(result: dict[str, Any], fields: Iterable[str] = FIELDS) -> str:
    """A plain-text table: field, precision, recall, F1, predicted, gold."""
    rows = [f"{'field':<16}{'P':>7}{'R':>7}{'F1':>7}{'pred':>7}{'gold':>7}"]
    for f in fields:
        m = result["fields"][f]
        rows.append(f"{f:<16}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}"
                    f"{m['predicted']:>7}{m['gold']:>7}")
    return "\n".join(rows)
