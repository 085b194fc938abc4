"""Shared output flags for query commands: a table by default, --json or --csv."""
from __future__ import annotations

import csv
import io
import json
import shutil
import unicodedata
from typing import Any, Callable

import click


def output_options(func: Callable) -> Callable:
    func = click.option("--csv", "as_csv", is_flag=True, help="Output CSV.")(func)
    func = click.option("--json", "as_json", is_flag=True, help="Output a JSON array (Arabic kept readable).")(func)
    return func


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _cell(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value).replace("\n", " ")


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int) -> str:
    if _width(text) <= width:
        return text + " " * (width - _width(text))
    return text[: max(1, width - 1)] + "…"


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    if not rows:
        return "(none)"
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(_width(c), *(_width(row[i]) for row in cells)) for i, c in enumerate(columns)]
    total = shutil.get_terminal_size((160, 20)).columns
    while sum(widths) + 2 * len(widths) > total and max(widths) > 12:
        widths[widths.index(max(widths))] -= 4
    lines = ["  ".join(_fit(c, w) for c, w in zip(columns, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_fit(c, w) for c, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)


def emit(rows: list[dict[str, Any]], columns: list[str], as_json: bool, as_csv: bool) -> None:
    if as_json:
        click.echo(to_json(rows))
    elif as_csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({c: _cell(r.get(c)) for c in columns} for r in rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(table(rows, columns))
