"""Turn the hand-written annotation (tests/gold/figures.txt) into tests/gold/figures.jsonl.

The text file is what the annotator wrote, one line per figure mention or event (its format is
in tests/gold/README.md); this script only adds what a person should not count by hand: the
character offsets of each span in the report's body, found by exact search (``span@n`` = the
n-th occurrence). A span that is not in the body stops the build with the report and the span.

Usage:
    python tools/build_gold.py [--annotations tests/gold/figures.txt] [--reports tests/gold/reports.jsonl]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "tests" / "gold"
QUALIFIERS = {"exact", "about", "more_than", "at_least", "up_to", "less_than"}
TERMS = {"killed", "injured", "displaced", "evacuated", "refugees", "returned", "detained", "abducted",
         "besieged", "missing", "affected", "present", "other"}
UNITS = {"people", "fighters", "civilians", "children", "women", "families", "houses", "vehicles", "other"}


def locate(body: str, span: str, where: str) -> tuple[str, int, int]:
    text, _, nth = span.partition("@")
    n = int(nth or 1)
    start = -1
    for _ in range(n):
        start = body.find(text, start + 1)
        if start < 0:
            sys.exit(f"{where}: span «{span}» is not in the report's body")
    return text, start, start + len(text)


def alternatives(field: str) -> list[str]:
    return [x.strip() for x in field.split(";")] if field.strip() else [""]


def parse_value(raw: str) -> tuple[float, float | None, bool]:
    vague = raw.endswith("~")
    low, _, high = raw.rstrip("~").partition("-")
    return float(low), (float(high) if high else None), vague


def figure(parts: list[str], body: str, where: str) -> dict:
    fact, value, span, unit, term, qualifier, source, place, date_text = parts
    low, high, vague = parse_value(value)
    text, start, end = locate(body, span, where)
    units, terms = unit.split(","), term.split(",")
    if not set(units) <= UNITS or not set(terms) <= TERMS or qualifier not in QUALIFIERS:
        sys.exit(f"{where}: unknown unit, term or qualifier in {parts}")
    sources, places = alternatives(source), alternatives(place)
    return {"fact": fact, "value": low, "value_max": high, "vague": vague, "text": text,
            "start": start, "end": end, "unit": units[0], "unit_alt": units[1:], "term": terms[0],
            "term_alt": terms[1:], "qualifier": qualifier, "source": sources[0],
            "source_alt": sources[1:], "place": places[0], "place_alt": places[1:],
            "date_text": date_text}


def event(parts: list[str], body: str, where: str) -> dict:
    eid, types, when, facts, evidence = parts
    if when not in ("now", "bg"):
        sys.exit(f"{where}: event {eid} must be 'now' or 'bg', not '{when}'")
    spans = []
    for span in evidence.split(";;"):
        text, start, end = locate(body, span.strip(), where)
        spans.append({"text": text, "start": start, "end": end})
    return {"id": eid, "types": types.split(","), "background": when == "bg",
            "facts": [f for f in facts.split(",") if f.strip()], "evidence": spans}


def build(annotations: Path, reports: Path) -> list[dict]:
    bodies = {r["id"]: r for r in map(json.loads, reports.read_text(encoding="utf-8").splitlines())}
    out: list[dict] = []
    for n, line in enumerate(annotations.read_text(encoding="utf-8").splitlines(), 1):
        line = line.rstrip()
        if line.startswith("# sn-"):
            rid = line[2:].strip()
            out.append({"id": rid, "outlet": bodies[rid]["outlet"], "figures": [], "events": []})
            continue
        if not line or line.startswith("#"):
            continue
        where = f"{annotations.name}:{n} ({out[-1]['id']})"
        kind, _, rest = line.partition(" ")
        parts = [p.strip() for p in rest.split("|")]
        body = bodies[out[-1]["id"]]["text"]
        if kind == "F" and len(parts) == 9:
            out[-1]["figures"].append(figure(parts, body, where))
        elif kind == "E" and len(parts) == 5:
            out[-1]["events"].append(event(parts, body, where))
        else:
            sys.exit(f"{where}: a line is 'F' with 9 fields or 'E' with 5 fields")
    missing = set(bodies) - {r["id"] for r in out}
    if missing:
        sys.exit(f"reports without an annotation block: {sorted(missing)}")
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--annotations", type=Path, default=GOLD / "figures.txt")
    ap.add_argument("--reports", type=Path, default=GOLD / "reports.jsonl")
    ap.add_argument("--out", type=Path, default=GOLD / "figures.jsonl")
    args = ap.parse_args(argv)
    rows = build(args.annotations, args.reports)
    with args.out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    n_fig = sum(len(r["figures"]) for r in rows)
    n_ev = sum(len(r["events"]) for r in rows)
    print(f"{len(rows)} reports, {n_fig} figure mentions, {n_ev} events -> {args.out}")


if __name__ == "__main__":
    main()
