"""Shared fixtures: the real seed reports, the shared data folder, fresh stores."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasid.settings import Settings, load_settings
from rasid.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed_text(number: int) -> str:
    return SEED_FILES[number].read_text(encoding="utf-8")


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"the seed reports are missing: {SEEDS} (../shared must sit beside the project)")
    return SEEDS


@pytest.fixture
def settings() -> Settings:
    """The shipped defaults, with no user file and no RASID_* variables; one worker for speed."""
    return load_settings(environ={}).replace("ingest", workers=1).replace("analysis", enabled=False)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "rasid.db"


@pytest.fixture
def fresh_store(db_path):
    store = open_store(str(db_path))
    yield store
    store.close()


pytest_plugins = ["tests.store_fixtures"]  # the store and PostgreSQL server fixtures
