"""Events against the record gold: the happenings of each report, and of each seed story.

A predicted event is one event of a story that holds a claim from the report (the pipeline's
story build, so mentions already merged count once). It matches a gold happening of the report
when its type (or subtype: an arrest is abduction/arrest) is one of the happening's types and it rests on text the happening is told in:
the sentence or an event mention of one of its claims overlaps an evidence span of the
happening (or a mention of one of its figures), or a claim's figure has the value of one of the happening's figures. Precision is
over the predicted (report, event) pairs, recall over the gold happenings (all, and those that
are not background); "one per happening" divides the happenings found by the predicted events,
so that three events for one happening count once. Events per report compares the number of predicted events with the gold's
happenings: a report is "within 1.5x" when predicted <= 1.5 x max(gold, 1) and predicted >= gold / 1.5.

The seed gold (tests/gold/seed_events.json) is scored the same way per story: the predicted
story is the one that holds most of the gold story's files; a gold event's mentions are spans
of those files.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Sequence

from rasid.errors import InputError
from rasid.evaluate.record import Run, load_json, load_jsonl, overlaps, run_reports, run_seeds
from rasid.evaluate.seeds import SEEDS_DIR
from rasid.models import Event

__all__ = ["evaluate_events", "evaluate_seed_events", "event_spans", "format_events", "DEFAULT_SEED_DATES"]

WITHIN = 1.5
# The seeds' publication dates as tests/gold/seeds.json gives them (the files carry none).
DEFAULT_SEED_DATES = {"000_53797e54239e2537.txt": "2021-08-26", "001_fae6d0f5455e8ef5.txt": "2021-08-26",
                      "002_29e548437d74b838.txt": "2017-05-20", "003_14322abae7a1adab.txt": "2021-07-27",
                      "004_069b54a7a92f7f3a.txt": "2018-08-01"}


def event_spans(event: Event, run: Run, key: str) -> tuple[list[tuple[int, int]], set[float]]:
    """The text spans (claim sentences and event mentions) and figure values of ``event`` in report ``key``."""
    article = run.articles[key]
    mentions = {m.id: m for m in run.extractions[key].events}
    spans, values = [], set()
    for claim in event.claims:
        if claim.article_id != article.id:
            continue
        spans.append((claim.evidence["start"], claim.evidence["end"]))
        spans += [(mentions[m].start, mentions[m].end) for m in claim.evidence.get("mentions", []) if m in mentions]
        for fig in [claim.figure or {}] + list((claim.figure or {}).get("also", [])):
            if fig.get("value") is not None:
                values.add(float(fig["value"]))
    return spans, values


def type_ok(gold: dict, event: Event) -> bool:
    """The event's type, or its subtype (Rasid files an arrest as abduction/arrest), is one the gold accepts."""
    return event.type in gold["types"] or event.subtype in gold["types"]


def _matches(gold: dict, event: Event, spans: Sequence[tuple[int, int]], values: set[float]) -> bool:
    if not type_ok(gold, event):
        return False
    told = any(overlaps(s, e, ev["start"], ev["end"]) for s, e in spans for ev in gold["evidence"])
    return told or bool(values & set(gold.get("values", ())))


def _with_values(entry: dict) -> list[dict]:
    """The gold happenings with the values of their figures, and the spans of those figures'
    mentions added to their evidence (a sentence that gives a happening's figure tells it)."""
    value, spans = {}, {}
    for f in entry["figures"]:
        value.setdefault(f["fact"], float(f["value"]))
        spans.setdefault(f["fact"], []).append({"start": f["start"], "end": f["end"]})
    return [dict(g, values=[value[f] for f in g["facts"] if f in value],
                 evidence=g["evidence"] + [s for f in g["facts"] for s in spans.get(f, [])])
            for g in entry["events"]]


def score_events(gold: Sequence[dict], predicted: Sequence[tuple[Event, list, set]]) -> dict[str, int]:
    """Counts for one report (or story): predicted, right, gold, found, and the same for non-background."""
    right = sum(any(_matches(g, e, s, v) for g in gold) for e, s, v in predicted)
    found = [g for g in gold if any(_matches(g, e, s, v) for e, s, v in predicted)]
    return {"predicted": len(predicted), "right": right, "gold": len(gold), "found": len(found),
            "gold_now": sum(not g["background"] for g in gold), "found_now": sum(not g["background"] for g in found)}


def _within(n_pred: int, n_gold: int) -> bool:
    return n_pred <= WITHIN * max(n_gold, 1) and n_pred >= n_gold / WITHIN


def _summary(totals: dict[str, int]) -> dict[str, Any]:
    p = totals["right"] / totals["predicted"] if totals["predicted"] else 0.0
    r = totals["found"] / totals["gold"] if totals["gold"] else 0.0
    r_now = totals["found_now"] / totals["gold_now"] if totals["gold_now"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    # Several predicted events for one happening are each "right"; this counts the happening once.
    unique = totals["found"] / totals["predicted"] if totals["predicted"] else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "recall_not_background": round(r_now, 3), "precision_one_per_happening": round(unique, 3)}


def _add(totals: dict[str, int], counts: dict[str, int]) -> None:
    for k, v in counts.items():
        totals[k] = totals.get(k, 0) + v


def _per_report_stats(rows: dict[str, dict], no_figure: set[str]) -> dict[str, Any]:
    preds = [c["predicted"] for c in rows.values()]
    golds = [c["gold"] for c in rows.values()]
    empty = [rows[k]["predicted"] for k in rows if k in no_figure]
    n = len(rows) or 1
    return {"mean_predicted": round(sum(preds) / n, 2), "max_predicted": max(preds, default=0),
            "mean_gold": round(sum(golds) / n, 2), "max_gold": max(golds, default=0),
            "mean_predicted_no_figure": round(sum(empty) / len(empty), 2) if empty else 0.0,
            "reports_no_figure": len(empty),
            "within_1_5x": sum(_within(c["predicted"], c["gold"]) for c in rows.values()), "reports": len(rows)}


def evaluate_events(gold_path: Path, reports_path: Optional[Path] = None, run: Optional[Run] = None) -> dict[str, Any]:
    """Score the story build's events on the happenings of every report of the gold."""
    gold_path = Path(gold_path)
    gold = load_jsonl(gold_path, "gold file")
    run = run or run_reports(reports_path or gold_path.with_name("reports.jsonl"))
    totals: dict[str, int] = {}
    rows = {}
    for entry in gold:
        predicted = [(e, *event_spans(e, run, entry["id"])) for e in run.events_of(entry["id"])]
        rows[entry["id"]] = score_events(_with_values(entry), predicted)
        _add(totals, rows[entry["id"]])
    no_figure = {e["id"] for e in gold if not e["figures"]}
    return {"reports": len(gold), **_summary(totals), "counts": totals,
            "per_report": _per_report_stats(rows, no_figure), "by_report": rows}


def _seed_gold_spans(story: dict, run: Run) -> None:
    for event in story["events"]:
        event["values"] = [float(v) for v in event.get("figures", [])]
        for m in event["mentions"]:
            if m["file"] not in run.articles:
                raise InputError(f"the seed gold names '{m['file']}', which is not among the seed files; pass --seeds DIR")


def _story_for(files: Sequence[str], run: Run):
    ids = {run.articles[f].id: f for f in files if f in run.articles}
    best = max(run.stories, key=lambda s: len(ids.keys() & set(s.article_ids)), default=None)
    return best, ids


def _story_predicted(story, ids: dict[str, str], run: Run) -> list[tuple[Event, list, dict]]:
    out = []
    for event in story.events:
        spans = {}
        values = set()
        for aid, name in ids.items():
            if any(c.article_id == aid for c in event.claims):
                s, v = event_spans(event, run, name)
                spans[name] = s
                values |= v
        out.append((event, spans, values))
    return out


def _seed_matches(gold: dict, event: Event, spans: dict, values: set) -> bool:
    if not type_ok(gold, event):
        return False
    told = any(overlaps(s, e, m["start"], m["end"]) for m in gold["mentions"] for s, e in spans.get(m["file"], []))
    return told or bool(values & set(gold["values"]))


def evaluate_seed_events(gold_path: Path, seeds_dir: Optional[Path] = None) -> dict[str, Any]:
    """Score the story build on the seeds against the seed event gold, per story."""
    gold = load_json(gold_path, "seed event gold")
    run = run_seeds(Path(seeds_dir) if seeds_dir else SEEDS_DIR, DEFAULT_SEED_DATES)
    out, totals = {}, {}
    for story in gold["stories"]:
        _seed_gold_spans(story, run)
        predicted_story, ids = _story_for(story["files"], run)
        predicted = _story_predicted(predicted_story, ids, run) if predicted_story else []
        right = sum(any(_seed_matches(g, e, s, v) for g in story["events"]) for e, s, v in predicted)
        found = [g for g in story["events"] if any(_seed_matches(g, e, s, v) for e, s, v in predicted)]
        counts = {"predicted": len(predicted), "right": right, "gold": len(story["events"]), "found": len(found),
                  "gold_now": sum(not g["background"] for g in story["events"]),
                  "found_now": sum(not g["background"] for g in found)}
        _add(totals, counts)
        out[story["id"]] = {**_summary(counts), "counts": counts,
                            "stray_files": len(set(predicted_story.article_ids) - set(ids)) if predicted_story else 0,
                            "missed": [g["id"] for g in story["events"] if g not in found]}
    return {**_summary(totals), "counts": totals, "stories": out}


def format_events(result: dict[str, Any], seeds: Optional[dict[str, Any]] = None) -> str:
    c, r = result["counts"], result["per_report"]
    rows = [f"{result['reports']} reports, {c['gold']} gold happenings ({c['gold_now']} not background), "
            f"{c['predicted']} predicted (report, event) pairs",
            f"event precision {result['precision']:.3f}  recall {result['recall']:.3f}  F1 {result['f1']:.3f}  "
            f"recall (not background) {result['recall_not_background']:.3f}  "
            f"precision one per happening {result['precision_one_per_happening']:.3f}",
            f"events per report: {r['mean_predicted']:.2f} on average, {r['max_predicted']} at most "
            f"(gold {r['mean_gold']:.2f}, at most {r['max_gold']}); {r['mean_predicted_no_figure']:.2f} on the "
            f"{r['reports_no_figure']} reports with no figure; within 1.5x of the gold on {r['within_1_5x']} of {r['reports']}"]
    if seeds:
        rows.append(f"\nseeds: event precision {seeds['precision']:.3f}  recall {seeds['recall']:.3f}  F1 {seeds['f1']:.3f}  "
                    f"precision one per happening {seeds['precision_one_per_happening']:.3f}")
        rows.append(f"{'story':<20}{'events':>8}{'gold':>6}{'P':>7}{'R':>7}  missed")
        for sid, s in seeds["stories"].items():
            rows.append(f"{sid:<20}{s['counts']['predicted']:>8}{s['counts']['gold']:>6}{s['precision']:>7.3f}"
                        f"{s['recall']:>7.3f}  {', '.join(s['missed']) or '-'}")
    return "\n".join(rows)
