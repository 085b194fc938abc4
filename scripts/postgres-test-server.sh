#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests: its own data folder, 127.0.0.1 only.
#
#   scripts/postgres-test-server.sh [start] [DIR]   start (or find running) a server in DIR,
#                                                   print its URL on stdout; DIR defaults to a
#                                                   new folder under ${TMPDIR:-/tmp}
#   scripts/postgres-test-server.sh stop DIR        stop it and delete DIR
#
# Example:
#   dir=$(mktemp -d) && url=$(scripts/postgres-test-server.sh start "$dir")
#   RASID_TEST_POSTGRES_URL=$url python -m pytest tests/test_store.py
#   scripts/postgres-test-server.sh stop "$dir"
#
# Needs Debian's `postgresql` package (or any initdb/pg_ctl; set PG_BIN to their folder). It
# does not use or touch the package's own cluster. initdb refuses to run as root, so as root the
# server runs as the `postgres` system user; as anyone else, as that user. Both commands are
# idempotent: starting a running DIR prints its URL again, stopping a stopped DIR does nothing.
# The server trusts every local connection: it is for tests, never for data you keep.
set -euo pipefail

DB_NAME=rasid_test
DB_USER=postgres
MARKER=rasid-test-server

say() { echo "postgres-test-server: $*" >&2; }
die() { say "$*"; exit 1; }

find_bin() {
    if [[ -n "${PG_BIN:-}" ]]; then
        [[ -x "$PG_BIN/initdb" ]] || die "PG_BIN=$PG_BIN has no initdb; point it at PostgreSQL's bin folder"
        echo "$PG_BIN"; return
    fi
    # Debian keeps the server binaries out of PATH, one folder per major version: take the newest.
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$newest" && -x "$newest/initdb" ]]; then echo "$newest"; return; fi
    if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
    die "PostgreSQL server binaries not found; install them with: apt-get install -y postgresql (or set PG_BIN)"
}

# Run a command as the server's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [[ $(id -u) -ne 0 ]]; then "$@"; return; fi
    id postgres >/dev/null 2>&1 || die "no 'postgres' system user; install Debian's postgresql package or run as a non-root user"
    if command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- "$@"
    else
        su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
    fi
}

free_port() {
    # Ask the kernel for a free port; without Python, guess one (start_server retries).
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
        2>/dev/null || echo $((20000 + RANDOM % 40000))
}

pick_locale() {
    # C.UTF-8 classifies Arabic letters like a real deployment would; plain C is the fallback.
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then echo C.UTF-8; else echo C; fi
}

is_running() {
    [[ -f "$1/data/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" status -D "$1/data" >/dev/null 2>&1
}

url_of() {
    echo "postgresql://$DB_USER@127.0.0.1:$(cat "$1/port")/$DB_NAME"
}

init_cluster() {
    local dir=$1
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    chmod 700 "$dir"
    as_owner test -w "$dir" || die "the server's user cannot write to $dir (is a parent folder private?); give a folder under /tmp"
    touch "$dir/$MARKER"
    rm -rf "$dir/data"  # what a failed earlier initdb left
    as_owner "$BIN/initdb" -D "$dir/data" -U "$DB_USER" -A trust -E UTF8 --locale="$(pick_locale)" \
        >"$dir/initdb.log" 2>&1 || die "initdb failed; see $dir/initdb.log"
    mkdir -p "$dir/sock"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir/sock" "$dir/$MARKER"
    return 0
}

start_server() {
    local dir=$1 attempt port
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        # fsync off and small buffers: the data is thrown away, speed is what matters.
        if as_owner "$BIN/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/server.log" -o \
            "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB -c max_connections=100" \
            >/dev/null 2>&1; then
            echo "$port" >"$dir/port"
            return 0
        fi
        say "start on port $port failed (attempt $attempt); retrying"
    done
    tail -n 20 "$dir/server.log" >&2 2>/dev/null || true
    die "the server did not start; see $dir/server.log"
}

create_db() {
    local dir=$1
    local exists
    exists=$(as_owner "$BIN/psql" -h "$dir/sock" -p "$(cat "$dir/port")" -U "$DB_USER" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")
    if [[ "$exists" != 1 ]]; then
        as_owner "$BIN/createdb" -h "$dir/sock" -p "$(cat "$dir/port")" -U "$DB_USER" -E UTF8 -T template0 "$DB_NAME" \
            || die "createdb failed; see $dir/server.log"
    fi
}

cmd_start() {
    local dir=${1:-}
    if [[ -z "$dir" ]]; then
        dir=$(mktemp -d "${TMPDIR:-/tmp}/rasid-pg.XXXXXX")
    fi
    local parent
    parent=$(cd "$(dirname "$dir")" 2>/dev/null && pwd) || die "the parent folder of $dir does not exist"
    dir=$parent/$(basename "$dir")
    cd /  # the server's user may not be allowed into our working folder
    if [[ -e "$dir" && ! -f "$dir/$MARKER" && -n "$(ls -A "$dir")" ]]; then
        die "$dir is not empty and is not a test server folder; give an empty or new folder"
    fi
    if is_running "$dir"; then
        say "already running in $dir"
    else
        [[ -f "$dir/data/PG_VERSION" ]] || init_cluster "$dir"
        start_server "$dir"
    fi
    create_db "$dir"
    url_of "$dir" | tee "$dir/url"
    say "stop it with: $0 stop $dir"
}

cmd_stop() {
    local dir=${1:?usage: $0 stop DIR}
    cd /
    if [[ ! -e "$dir" ]]; then say "nothing to stop in $dir"; return 0; fi
    [[ -f "$dir/$MARKER" ]] || die "$dir is not a test server folder; not touching it"
    if is_running "$dir"; then
        as_owner "$BIN/pg_ctl" stop -w -t 60 -m immediate -D "$dir/data" >/dev/null || die "pg_ctl stop failed; see $dir/server.log"
    fi
    rm -rf "$dir"
}

BIN=$(find_bin)
case "${1:-start}" in
    start) shift || true; cmd_start "${1:-}" ;;
    stop) shift; cmd_stop "${1:-}" ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) if [[ $# -eq 1 && "$1" != -* ]]; then cmd_start "$1"; else die "usage: $0 [start] [DIR] | stop DIR"; fi ;;
esac
