"""The serve layer points one way: views (the read model) <- api, web, export; app joins api and web."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "rasid"
# package -> the rasid packages it must never import
FORBIDDEN = {
    "views": {"api", "web", "export", "cli", "app"},
    "api": {"web", "cli", "app"},
    "web": {"api", "export", "cli", "app"},
    "export": {"api", "web", "cli", "app"},
}


def rasid_imports(path: Path) -> set[str]:
    """Every ``rasid.<x>`` module a file imports, lazily or not."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {n for n in names if n.startswith("rasid.")}
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_serve_packages_import_one_way(package):
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in rasid_imports(path):
            if name.split(".")[1] in FORBIDDEN[package]:
                bad.append(f"{path.relative_to(ROOT.parent)} imports {name}")
    assert not bad, "\n".join(bad)


def test_cli_export_does_not_reach_into_cli_serve():
    names = rasid_imports(ROOT / "cli" / "export.py")
    assert not any(n.startswith("rasid.cli.serve") for n in names), names
