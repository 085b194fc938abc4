"""`rasid eval seeds`: score the extract stage on the hand-annotated seed reports."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import click

from rasid.errors import InputError

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "tests" / "gold" / "seeds.json"


@click.command(
    "seeds",
    help=(
        "Score the extract stage (figures, figures with their source, dates, places, in-text "
        "sources, events) on the five seed reports against the hand-made gold. Prints precision, "
        "recall and F1 per field; the seed texts are read from ../shared/corpus/seeds/ unless "
        "--seeds DIR says otherwise.\n\n"
        "Example: rasid eval seeds --json"
    ),
)
@click.option("--gold", "gold", type=click.Path(path_type=Path), default=None,
              help="Gold file (default: tests/gold/seeds.json of the source tree).")
@click.option("--seeds", "seeds_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of the seed report files the gold names.")
@click.option("--articles", is_flag=True, help="Also print the scores of each article.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON instead of a table.")
def seeds(gold: Optional[Path], seeds_dir: Optional[Path], articles: bool, as_json: bool) -> None:
    from rasid.evaluate.seeds import evaluate_seeds, format_table

    gold = gold or DEFAULT_GOLD
    if not gold.is_file():
        raise InputError(f"{gold}: no such gold file; pass --gold FILE (e.g. tests/gold/seeds.json)")
    result = evaluate_seeds(gold, seeds_dir=seeds_dir)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(format_table(result))
    if articles:
        for name, fields in result["articles"].items():
            click.echo(f"\n{name}")
            click.echo(format_table({"fields": fields}))
