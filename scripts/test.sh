#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs Debian's chromium, Arabic fonts and
# PostgreSQL (when run as root with apt-get), the Python test dependencies in .venv, then runs
# pytest. Extra arguments go to pytest (scripts/test.sh -k store -x).
set -euo pipefail
cd "$(dirname "$0")/.."

# The tests read the seed reports and data in ../shared (beside the project's root).
if [ ! -d ../shared/corpus/seeds ]; then
  echo "scripts/test.sh: $(cd .. && pwd)/shared/corpus/seeds is missing; put the shared folder beside the project (../shared) and run again" >&2
  exit 2
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=""
  for pkg in chromium fonts-noto-core postgresql; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    echo "Installing Debian packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test,postgres,dask]'

# What the script installed must be used: skipping a browser or database test is a failure here.
export RASID_REQUIRE_BROWSER=1 RASID_REQUIRE_POSTGRES=1
mkdir -p test-artifacts
exec .venv/bin/python -m pytest "$@"
