"""Draw the packages of rasid and their imports: `python -m tools.import_graph [--svg FILE]`.

Every `import` and `from … import` in rasid/ (function-level ones too) is read with `ast` and
folded to the package it names (rasid.extract.ner.features -> extract; rasid/models.py ->
models), by the same code and in the same layer order as tests/test_architecture.py, which fails
when an edge points up. This writes the edges as a Graphviz dot graph, importers above what they
import, so every arrow points down (edges into errors, models and settings are drawn pale: nearly
everything imports them). With --svg it runs Graphviz's `dot` (Debian package `graphviz`) to
write the picture docs/architecture.md shows.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.test_architecture import ALLOWED, LAYERS, package_edges  # noqa: E402

DEFAULT_SVG = REPO / "docs" / "img" / "architecture.svg"


def dot(graph: dict[tuple[str, str], list[str]]) -> str:
    """The graph in Graphviz dot: one row per layer, the bottom layer at the bottom."""
    lines = ["digraph rasid {", '  rankdir=TB; nodesep=0.3; ranksep=0.45;',
             '  node [shape=box, style="rounded,filled", fillcolor="#f4f1ea", fontname="Helvetica"];',
             '  edge [color="#6b6b6b", arrowsize=0.6];']
    present = {p for edge in graph for p in edge}
    for rank, layer in enumerate(LAYERS):
        names = " ".join(f'"{p}"' for p in layer if p in present)
        if names:
            lines.append(f"  {{ rank=same; {names} }}  // layer {rank}")
    allowed = {(a, b) for a, b, _ in ALLOWED}
    base = set(LAYERS[0]) | set(LAYERS[1])  # errors, models, settings: imported by nearly all
    for (src, dst), modules in sorted(graph.items()):
        style = ' [color="#d5d0c5"]' if dst in base else ""
        if (src, dst) in allowed:
            style = ' [color="#c0392b", style=dashed, label="allowed"]'
        lines.append(f'  "{src}" -> "{dst}"{style};  // {len(modules)} module(s)')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, nargs="?", const=DEFAULT_SVG,
                        help=f"also write an SVG with Graphviz dot (default {DEFAULT_SVG.relative_to(REPO)})")
    args = parser.parse_args(argv)
    text = dot(package_edges())
    if not args.svg:
        sys.stdout.write(text)
        return 0
    if not shutil.which("dot"):
        print("Graphviz's dot is not installed; apt-get install graphviz", file=sys.stderr)
        return 2
    svg = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, check=True).stdout
    args.svg.write_text(svg, encoding="utf-8")
    print(f"wrote {args.svg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
