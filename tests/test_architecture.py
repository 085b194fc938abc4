"""Imports point one way: down the layers below, from the serve layer to the language library.

Every `import` in rasid/ (function-level ones too) is read with `ast` and folded to its package
(rasid.extract.ner.features -> extract; rasid/models.py -> models). A package may import only
packages of LOWER layers; a new package must be placed in LAYERS before it can import anything.
tools/import_graph.py draws the same graph for docs/architecture.md.
"""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "rasid"

# Bottom first. A package imports only from layers below its own (never sideways, never up).
LAYERS: list[tuple[str, ...]] = [
    ("errors",),
    ("models", "settings", "executor"),  # executor: where pure per-item work runs (pool or Dask)
    ("arabic",),  # the language: match keys, clitics, tokens, language id, the data loader
    # The stages, in the order one reaches the next. summarize sits below reconcile because the
    # story that reconcile builds carries its summary (reconcile.summary calls summarize_story).
    ("ingest",),
    ("clean",),
    ("dedupe",),
    ("extract",),
    ("cluster",),
    ("summarize",),
    ("reconcile",),
    ("store",),
    ("analysis",),  # the analysis stages in order, called batch by batch by the pipeline
    ("pipeline",),
    ("live",),  # rasid watch and rasid poll: the pipeline run on what arrives
    ("evaluate",),
    # The serve layer: a read model (views) that export, api and web all read.
    ("views",),
    ("export",),
    ("api",),
    ("web",),
    ("app",),  # the one module that joins the API and the web pages into one app
    ("cli",),
    ("__main__",),
]

STAGES = ("clean", "dedupe", "extract", "cluster", "reconcile", "summarize")

# Current backward edges, each named, to be removed by the serve layer's reorganisation. Keep
# this list short: an edge here is a debt, not a design.
ALLOWED: list[tuple[str, str, str]] = []

# The only modules that may import rasid.evaluate: the CLI's eval commands (and evaluate itself).
EVALUATE_USERS = ("rasid.cli.eval_ner", "rasid.cli.eval_seeds", "rasid.cli.eval_spans",
                  "rasid.cli.eval_summaries", "rasid.cli.eval_record")


@lru_cache(maxsize=1)
def layer_of() -> dict[str, int]:
    return {package: rank for rank, layer in enumerate(LAYERS) for package in layer}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(module: str) -> str:
    """rasid.extract.ner.features -> "extract"; rasid itself -> "rasid"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "rasid" else parts[0]


def _names(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    name = node.module or ""
    if node.level:  # relative: from . import x, from ..y import z
        base = module.split(".")
        base = base[: len(base) - node.level + (1 if is_package else 0)]
        name = ".".join(base + ([node.module] if node.module else []))
    return [name] + [f"{name}.{a.name}" for a in node.names]


def _is_module(name: str) -> bool:
    """True when rasid.<x>... names a module or package of rasid (not an attribute of rasid)."""
    parts = name.split(".")
    return len(parts) > 1 and ((ROOT / parts[1]).is_dir() or (ROOT / f"{parts[1]}.py").is_file())


@lru_cache(maxsize=1)
def imports() -> dict[str, frozenset[str]]:
    """Module -> the rasid (and tools, tests) modules it imports anywhere in its body."""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        names = {n for node in ast.walk(tree) for n in _names(node, module, path.name == "__init__.py")}
        out[module] = frozenset(n for n in names if (n.startswith("rasid.") and _is_module(n))
                                or n.split(".")[0] in ("tools", "tests"))
    return out


def package_edges() -> dict[tuple[str, str], list[str]]:
    """(package, imported package) -> the modules that make the edge."""
    edges: dict[tuple[str, str], list[str]] = {}
    for module, names in imports().items():
        source = package_of(module)
        for target in {package_of(n) for n in names} - {source, "rasid"}:
            edges.setdefault((source, target), []).append(module)
    return edges


def test_every_package_has_a_layer():
    packages = {package_of(m) for m in imports()} - {"rasid"}
    missing = sorted(packages - set(layer_of()))
    assert not missing, f"packages {missing} have no layer; add them to LAYERS in {__file__}"


def test_imports_point_down():
    allowed = {(a, b) for a, b, _ in ALLOWED}
    rank = layer_of()
    backward = [f"{src} -> {dst} (in {', '.join(sorted(mods))})"
                for (src, dst), mods in sorted(package_edges().items())
                if src in rank and dst in rank and rank[dst] >= rank[src] and (src, dst) not in allowed]
    assert not backward, ("imports that point up or sideways in the layers of "
                          f"tests/test_architecture.py: {backward}")


def test_allowances_are_still_needed():
    """An allowance whose edge is gone must leave the list, so the list only ever shrinks."""
    edges = package_edges()
    stale = [(a, b) for a, b, _ in ALLOWED if (a, b) not in edges]
    assert not stale, f"remove {stale} from ALLOWED: those imports are gone"


def test_ingest_and_store_import_no_stage():
    found = [(src, dst, mods) for (src, dst), mods in package_edges().items()
             if src in ("ingest", "store") and dst in STAGES]
    assert not found, f"ingest and store must not import a stage: {found}"


def test_production_never_imports_evaluate_or_tools():
    found = []
    for module, names in imports().items():
        if package_of(module) == "evaluate":
            continue
        for name in names:
            if package_of(name) == "evaluate" and module not in EVALUATE_USERS:
                found.append(f"{module} imports {name}")
            if name.split(".")[0] in ("tools", "tests"):
                found.append(f"{module} imports {name}")
    assert not found, found


@pytest.mark.parametrize("source, imported, ok", [
    ("rasid/extract/run.py", "from rasid.pipeline import analyse", False),
    ("rasid/clean/x.py", "def f():\n    from rasid.extract import run", False),
    ("rasid/ingest/x.py", "from ..extract import run", False),
    ("rasid/extract/x.py", "from rasid.arabic.normalize import match_key", True),
    ("rasid/cli/eval_x.py", "import rasid.models", True),
])
def test_the_check_reads_every_kind_of_import(source, imported, ok):
    """The parser sees absolute, function-level and relative imports alike."""
    path = ROOT.parent / source
    module = module_name(path)
    names = {n for node in ast.walk(ast.parse(imported)) for n in _names(node, module, False)}
    target = {package_of(n) for n in names if _is_module(n)} - {package_of(module)}
    assert target, imported
    rank = layer_of()
    assert all(rank[t] < rank[package_of(module)] for t in target) is ok


def test_the_committed_picture_is_current():
    """docs/img/architecture.svg shows exactly today's edges (redraw: python -m tools.import_graph --svg)."""
    import html
    import re

    svg = (ROOT.parent / "docs" / "img" / "architecture.svg").read_text(encoding="utf-8")
    drawn = {tuple(html.unescape(t).split("->")) for t in
             re.findall(r'class="edge">\s*<title>([^<]*)</title>', svg)}
    assert drawn == set(package_edges()), "redraw it: python -m tools.import_graph --svg"
