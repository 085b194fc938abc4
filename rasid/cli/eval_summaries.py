"""`rasid eval summaries FILE`: score the extractive summariser on EASC's Level-2 gold."""
from __future__ import annotations

import json
from pathlib import Path

import click

from rasid.errors import InputError


@click.command(
    "summaries",
    help=(
        "Score Rasid's extractive summaries of the EASC articles in FILE (JSONL: `text` and five "
        "annotators' `summaries` a line) against the Level-2 gold, the sentences at least two "
        "annotators chose. Prints ROUGE-2 precision, recall and F and the Dice coefficient (of "
        "sentence sets and of word sets) for Rasid and for the first-sentence and "
        "first-k-sentences baselines. By default each summary has as many sentences as the gold.\n\n"
        "Example: rasid eval summaries ../shared/data/easc/easc-dev.jsonl --heldout"
    ),
)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON instead of a table.")
@click.option(
    "--ratio",
    type=click.FloatRange(0, 1, min_open=True),
    default=None,
    help="Keep this share of each article's sentences (e.g. 0.3) instead of the gold's count.",
)
@click.option(
    "--heldout",
    is_flag=True,
    help="Summarise each article with weights fitted on the file's other articles (leave-one-out); "
    "without it the shipped weights are used, which were fitted on easc-dev.",
)
def summaries(file: Path, as_json: bool, ratio: float | None, heldout: bool) -> None:
    from rasid.evaluate.summaries import evaluate, format_table

    if not file.is_file():
        raise InputError(f"{file}: no such file; give an EASC JSONL file, e.g. ../shared/data/easc/easc-dev.jsonl")
    result = evaluate(file, ratio=ratio, heldout=heldout)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(result))
