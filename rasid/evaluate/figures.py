"""Figures against the record gold: value, term, source, place and qualifier, as the gold guide scores them.

A predicted figure is matched one-to-one to a gold mention of the same report when the values
are equal or the spans overlap (overlap with an equal value first, then overlap, then an equal
value; nearer spans first). On those pairs:

    value          the values are equal
    value+term     and the term is the gold's (or one of its accepted alternatives)
    value+source   and the source is: normalised containment either way with an accepted
                   answer; the outlet's own voice matches only an accepted own voice
    value+place    and the figure's place (its own ``Figure.place``, else the first place of
                   the first event mention that holds the figure) contains, or is contained
                   in, an accepted place
    qualifier      on value pairs, the share whose qualifier is the gold's (approx = about)

Precision divides by the predicted figures (those with a value), recall by the gold mentions.
``orphans`` counts the predicted figures that no claim of any story event carries.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from rasid.arabic.normalize import match_key
from rasid.evaluate.record import Run, load_jsonl, overlaps, run_reports
from rasid.models import Extraction

__all__ = ["Predicted", "predicted_figures", "match_figures", "score_report", "evaluate_figures",
           "format_figures", "MEASURES"]

MEASURES = ("value", "value+term", "value+source", "value+place")
QUALIFIER = {"approx": "about"}


@dataclass(frozen=True)
class Predicted:
    """One figure as Rasid gives it, reduced to what the gold scores."""

    value: float
    start: int
    end: int
    text: str = ""
    term: str = ""
    qualifier: str = "exact"
    source: str = ""  # "" = the outlet's own voice
    place: str = ""  # "" = no place
    in_claim: bool = True


def _event_places(x: Extraction) -> dict[int, str]:
    out: dict[int, str] = {}
    for event in x.events:
        names = [p.get("name", "") for p in event.places if p.get("name")]
        for i in event.figures:
            if names and i not in out:
                out[i] = names[0]
    return out


def predicted_figures(x: Extraction, claimed: Optional[set[int]] = None) -> list[Predicted]:
    """The figures of one extraction with a value; ``claimed`` = starts of the figures some claim
    carries (None: every figure counts as claimed)."""
    sources = {s.id: (s.name or s.text) for s in x.sources}
    places = _event_places(x)
    return [Predicted(value=float(f.value), start=f.start, end=f.end, text=f.text, term=f.term,
                      qualifier=QUALIFIER.get(f.qualifier, f.qualifier or "exact"),
                      source=sources.get(f.source_id, "") if f.source_id else "", place=f.place or places.get(i, ""),
                      in_claim=claimed is None or f.start in claimed)
            for i, f in enumerate(x.figures) if f.value is not None]


def _rank(g: dict, p: Predicted) -> Optional[tuple]:
    same, touch = float(g["value"]) == p.value, overlaps(g["start"], g["end"], p.start, p.end)
    if not (same or touch):
        return None
    return (0 if same and touch else 1 if touch else 2, abs(g["start"] - p.start))


def match_figures(gold: Sequence[dict], pred: Sequence[Predicted]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs, best ranked first."""
    ranked = sorted((r, gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
                    if (r := _rank(g, p)) is not None)
    pairs, used_g, used_p = [], set(), set()
    for _, gi, pi in ranked:
        if gi not in used_g and pi not in used_p:
            pairs.append((gi, pi))
            used_g.add(gi)
            used_p.add(pi)
    return sorted(pairs)


def _contains(a: str, b: str) -> bool:
    a, b = match_key(a), match_key(b)
    return bool(a and b) and (a in b or b in a)


def source_ok(g: dict, p: Predicted) -> bool:
    accepted = [g.get("source", "")] + list(g.get("source_alt", []))
    if not p.source:
        return "" in accepted
    return any(_contains(a, p.source) for a in accepted if a)


def place_ok(g: dict, p: Predicted) -> bool:
    accepted = [g.get("place", "")] + list(g.get("place_alt", []))
    return bool(p.place) and any(_contains(a, p.place) for a in accepted if a)


def term_ok(g: dict, p: Predicted) -> bool:
    return p.term in [g["term"]] + list(g.get("term_alt", []))


def score_report(gold: Sequence[dict], pred: Sequence[Predicted]) -> dict[str, int]:
    """Counts for one report: predicted, gold, correct per measure, qualifier and error tallies."""
    pairs = [(gold[gi], pred[pi]) for gi, pi in match_figures(gold, pred)]
    valued = [(g, p) for g, p in pairs if float(g["value"]) == p.value]
    attributed = [(g, p) for g, p in valued if g.get("source")]
    return {
        "predicted": len(pred), "gold": len(gold), "value": len(valued),
        "value+term": sum(term_ok(g, p) for g, p in valued),
        "value+source": sum(source_ok(g, p) for g, p in valued),
        "value+place": sum(place_ok(g, p) for g, p in valued),
        "qualifier_right": sum(p.qualifier == g["qualifier"] for g, p in valued),
        "matched_other_value": len(pairs) - len(valued),
        "attributed_found": len(attributed),
        "attributed_lost": sum(not p.source for g, p in attributed),
        "no_place": sum(not p.place for _, p in valued), "wrong_place": sum(bool(p.place) and not place_ok(g, p) for g, p in valued),
        "orphans": sum(not p.in_claim for p in pred),
    }


def _claimed_starts(run: Run, gold_id: str) -> set[int]:
    aid = run.articles[gold_id].id
    starts = set()
    for event in run.events_of(gold_id):
        for claim in event.claims:
            if claim.article_id == aid and claim.figure:
                starts.add(claim.figure["start"])
                starts.update(f["start"] for f in claim.figure.get("also", []))
    return starts


def _prf(correct: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = correct / n_pred if n_pred else 0.0
    r = correct / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "correct": correct}


def summarise(counts: dict[str, int]) -> dict[str, Any]:
    out = {m: _prf(counts[m], counts["predicted"], counts["gold"]) for m in MEASURES}
    out["qualifier_accuracy"] = round(counts["qualifier_right"] / counts["value"], 3) if counts["value"] else 0.0
    out["counts"] = counts
    return out


def evaluate_figures(gold_path: Path, reports_path: Optional[Path] = None, run: Optional[Run] = None,
                     ner: Optional[str] = None) -> dict[str, Any]:
    """Score the pipeline's figures on every report of the gold; ``run`` reuses an earlier run;
    ``ner`` ("off", "crf", "e5", "tuned") overrides the settings' analysis.ner for a new run."""
    gold_path = Path(gold_path)
    gold = load_jsonl(gold_path, "gold file")
    run = run or run_reports(reports_path or gold_path.with_name("reports.jsonl"), ner)
    totals: dict[str, int] = {}
    per_report = {}
    for entry in gold:
        pred = predicted_figures(run.extractions[entry["id"]], _claimed_starts(run, entry["id"]))
        counts = score_report(entry["figures"], pred)
        per_report[entry["id"]] = counts
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
    return {"reports": len(gold), **summarise(totals), "per_report": per_report}


def format_figures(result: dict[str, Any]) -> str:
    c = result["counts"]
    rows = [f"{result['reports']} reports, {c['gold']} gold figure mentions, {c['predicted']} predicted figures",
            f"{'measure':<18}{'P':>7}{'R':>7}{'F1':>7}{'right':>7}"]
    for m in MEASURES:
        s = result[m]
        rows.append(f"{m:<18}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{s['correct']:>7}")
    rows += [f"qualifier accuracy on found figures: {result['qualifier_accuracy']:.3f} ({c['qualifier_right']} of {c['value']})",
             f"attributed gold figures found: {c['attributed_found']}, of which {c['attributed_lost']} lose their source",
             f"found figures with no place: {c['no_place']}, with a wrong place: {c['wrong_place']}",
             f"figures that never reach an event's claims: {c['orphans']} of {c['predicted']}",
             f"matched by span with another value: {c['matched_other_value']}"]
    return "\n".join(rows)
