"""`rasid eval spans`: date and number span scores on a Wojood-format file."""
from __future__ import annotations

import json

import click

from rasid.evaluate.spans import format_table, score_spans


@click.command("spans")
@click.argument("file", type=str)
@click.option("--types", default="DATE,CARDINAL,ORDINAL", show_default=True,
              help="Comma-separated Wojood types to score (DATE, CARDINAL, ORDINAL).")
@click.option("--durations/--no-durations", default=True, show_default=True,
              help="Count durations (ثلاث سنوات) as DATE, as Wojood does.")
@click.option("--examples", default=0, show_default=True, help="Show up to N missed and spurious spans per type.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def spans(file: str, types: str, durations: bool, examples: int, as_json: bool) -> None:
    """Score date and number spans against Wojood-style nested IOB gold.

    Entity-level precision, recall and F1 per type, for exact token spans and for overlap.

    Example: rasid eval spans ../shared/data/wojood-sample/val.txt --types DATE,CARDINAL,ORDINAL
    """
    result = score_spans(file, types, durations=durations, examples=examples)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(format_table(result))
    for t, errs in result.get("errors", {}).items():
        for kind in ("missed", "spurious"):
            for line in errs[kind]:
                click.echo(f"{t} {kind}: {line}")
