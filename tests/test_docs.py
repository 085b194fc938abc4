"""The docs that are generated or quoted from the code stay in step with it."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_current():
    sys.path.insert(0, str(ROOT / "scripts"))
    from gen_cli_docs import OUT, render

    assert OUT.read_text(encoding="utf-8") == render(), "run: python scripts/gen_cli_docs.py"


def test_readme_links_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/test.sh" in readme and "scripts/run.sh" in readme
    ci = [l for l in (ROOT / ".ci" / "run").read_text().splitlines() if l.strip() and not l.startswith(("#", "set ", "cd "))]
    assert ci == ["bash scripts/test.sh"]
