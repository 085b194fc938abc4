#!/usr/bin/env bash
# The main job on a fresh machine: installs Rasid in .venv, ingests the seed reports (or the
# folder/files given) into the default SQLite file rasid.db, and serves the web UI and API
# at http://127.0.0.1:8000 until Ctrl-C.   scripts/run.sh [PATH...]
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .

if [ "$#" -eq 0 ]; then
  set -- ../shared/corpus/seeds
fi
.venv/bin/rasid ingest "$@"
.venv/bin/rasid stats
exec .venv/bin/rasid serve
