"""`rasid eval figures` and `rasid eval events`: score the record (figures, events) on the record gold."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import click

from rasid.errors import InputError

GOLD_DIR = Path(__file__).resolve().parents[2] / "tests" / "gold"
DEFAULT_GOLD = GOLD_DIR / "figures.jsonl"


def _gold(gold: Optional[Path]) -> Path:
    gold = gold or DEFAULT_GOLD
    if not gold.is_file():
        raise InputError(f"{gold}: no such gold file; pass GOLD (e.g. tests/gold/figures.jsonl)")
    return gold


def _reports(gold: Path, reports: Optional[Path]) -> Path:
    reports = reports or gold.with_name("reports.jsonl")
    if not reports.is_file():
        raise InputError(f"{reports}: no such reports file; pass --reports FILE (the gold's reports.jsonl)")
    return reports


def _echo_json(result) -> None:
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@click.command(
    "figures",
    help=(
        "Score the figures Rasid extracts from the record gold's reports (default "
        "tests/gold/figures.jsonl, its texts in reports.jsonl beside it): precision, recall and F1 "
        "for value, value+term, value+source and value+place, qualifier accuracy, and the figures "
        "that reach no event's claims. Rasid runs in-process on the reports (ingest, extraction, "
        "story build) in a temporary store. See docs/evaluation.md.\n\n"
        "Example: rasid eval figures tests/gold/figures.jsonl --json"
    ),
)
@click.argument("gold", type=click.Path(path_type=Path), required=False)
@click.option("--reports", "reports", type=click.Path(path_type=Path), default=None,
              help="The reports file of the gold (default: reports.jsonl beside GOLD).")
@click.option("--by-report", is_flag=True, help="Also print the counts of each report.")
@click.option("--ner", "ner", type=click.Choice(["off", "crf", "e5", "tuned"]), default=None,
              help="Named entities off, or on with this model (default: the settings' analysis.ner "
                   "and ner_model, which run the CRF on a batch of this size).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON instead of a table.")
def figures(gold: Optional[Path], reports: Optional[Path], by_report: bool, ner: Optional[str],
            as_json: bool) -> None:
    from rasid.evaluate.figures import evaluate_figures, format_figures

    gold = _gold(gold)
    result = evaluate_figures(gold, _reports(gold, reports), ner=ner)
    if not by_report:
        result.pop("per_report")
    if as_json:
        _echo_json(result)
        return
    click.echo(format_figures(result))
    for rid, c in (result.get("per_report") or {}).items():
        click.echo(f"{rid}  gold {c['gold']:>2}  predicted {c['predicted']:>2}  value {c['value']:>2}  "
                   f"term {c['value+term']:>2}  source {c['value+source']:>2}  place {c['value+place']:>2}")


@click.command(
    "events",
    help=(
        "Score the events of Rasid's story build against the gold's happenings: per report of the "
        "record gold (default tests/gold/figures.jsonl), event precision and recall and the events "
        "per report; and per story of the seeds against tests/gold/seed_events.json (--no-seeds to "
        "skip). Rasid runs in-process in a temporary store. See docs/evaluation.md.\n\n"
        "Example: rasid eval events --json"
    ),
)
@click.argument("gold", type=click.Path(path_type=Path), required=False)
@click.option("--reports", "reports", type=click.Path(path_type=Path), default=None,
              help="The reports file of the gold (default: reports.jsonl beside GOLD).")
@click.option("--seed-gold", "seed_gold", type=click.Path(path_type=Path), default=None,
              help="Event gold of the seeds (default: seed_events.json beside GOLD).")
@click.option("--seeds", "seeds_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of the seed report files (default: ../shared/corpus/seeds).")
@click.option("--no-seeds", is_flag=True, help="Score the reports only, not the seed stories.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON instead of a table.")
def events(gold: Optional[Path], reports: Optional[Path], seed_gold: Optional[Path], seeds_dir: Optional[Path],
           no_seeds: bool, as_json: bool) -> None:
    from rasid.evaluate.events import evaluate_events, evaluate_seed_events, format_events

    gold = _gold(gold)
    result = evaluate_events(gold, _reports(gold, reports))
    result.pop("by_report")
    seeds = None
    if not no_seeds:
        seed_gold = seed_gold or gold.with_name("seed_events.json")
        if not seed_gold.is_file():
            raise InputError(f"{seed_gold}: no such seed event gold; pass --seed-gold FILE or --no-seeds")
        seeds = evaluate_seed_events(seed_gold, seeds_dir)
    if as_json:
        _echo_json({"reports": result, "seeds": seeds})
        return
    click.echo(format_events(result, seeds))
