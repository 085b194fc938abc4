"""Store fixtures: every backend (SQLite always, PostgreSQL when a server is there).

PostgreSQL comes from RASID_TEST_POSTGRES_URL, or else a throwaway server started once per
session by scripts/postgres-test-server.sh. Without PostgreSQL binaries its tests are skipped,
unless RASID_REQUIRE_POSTGRES=1 (CI) turns the skip into a failure. Registered as a pytest
plugin in conftest.py, so the session server is shared by every test module.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest

from rasid.store import open_store

SERVER_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "postgres-test-server.sh"

# -- fixtures


def _postgres_missing() -> str:
    """Why PostgreSQL tests cannot run here, or "" when they can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'rasid[postgres]')"
    if os.environ.get("RASID_TEST_POSTGRES_URL"):
        return ""
    pg_bin = os.environ.get("PG_BIN")
    if pg_bin and os.path.exists(os.path.join(pg_bin, "initdb")):
        return ""
    if glob.glob("/usr/lib/postgresql/*/bin/initdb") or shutil.which("initdb"):
        return ""
    return "no PostgreSQL server binaries (apt-get install -y postgresql) and RASID_TEST_POSTGRES_URL is not set"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    reason = _postgres_missing()
    if reason:
        if os.environ.get("RASID_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"RASID_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    if os.environ.get("RASID_TEST_POSTGRES_URL"):
        yield os.environ["RASID_TEST_POSTGRES_URL"]
        return
    # Not under pytest's tmp_path: that sits in a root-only folder the postgres user cannot enter.
    folder = tempfile.mkdtemp(prefix="rasid-pg-")
    started = subprocess.run(["bash", str(SERVER_SCRIPT), "start", folder], capture_output=True, text=True, timeout=180)
    if started.returncode != 0:
        pytest.fail(f"{SERVER_SCRIPT.name} could not start PostgreSQL:\n{started.stderr}")
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run(["bash", str(SERVER_SCRIPT), "stop", folder], capture_output=True, timeout=120)


@contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A URL whose search_path is a new empty schema, dropped afterwards."""
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            joiner = "&" if "?" in url else "?"
            yield f"{url}{joiner}options={quote(f'-csearch_path={schema}')}"
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    with fresh_schema(postgres_url) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        url = str(tmp_path / "rasid.db")
        with open_store(url) as opened:
            yield opened
        return
    with fresh_schema(request.getfixturevalue("postgres_url")) as url:
        with open_store(url) as opened:
            yield opened


def backend(store) -> str:
    return store.url.split(":", 1)[0]


