"""Copy a whole SQLite record into an empty PostgreSQL database, table by table, so the API benchmark
compares both backends on the same record (and a record analysed once on a loaded machine serves both).

    python benchmarks/copy_record.py benchmarks/out/api.db postgresql://postgres@127.0.0.1:PORT/rasid_pgapi

Opens the PostgreSQL store first (which applies its migrations), refuses a database that holds
articles unless --replace, then streams every table with COPY in one transaction. The search
vectors are built from the terms the SQLite record keeps in its FTS5 table, with the same
``to_tsvector('simple', …)`` the PostgreSQL store uses on ingest. Ends with VACUUM ANALYZE.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BATCH = 2000


def pg_columns(conn, table: str) -> list[str]:
    rows = conn.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                        "AND table_name = %s ORDER BY ordinal_position", (table,)).fetchall()
    return [r[0] for r in rows]


def pg_tables(conn) -> list[str]:
    rows = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                        "AND table_type = 'BASE TABLE' AND table_name <> '_migrations' ORDER BY table_name").fetchall()
    return [r[0] for r in rows]


def stream(conn, table: str, columns: list[str], rows) -> int:
    count = 0
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def copy_articles(conn, source: sqlite3.Connection) -> int:
    """Staged with their terms as text, then inserted with the tsvector built from them."""
    columns = [c for c in pg_columns(conn, "articles") if c != "terms"]
    conn.execute("CREATE TEMP TABLE staged_articles (LIKE articles) ON COMMIT DROP")
    conn.execute("ALTER TABLE staged_articles DROP COLUMN terms, ADD COLUMN terms_text TEXT NOT NULL")
    picked = ", ".join(f"a.{c}" for c in columns)
    rows = source.execute(f"SELECT {picked}, f.terms FROM articles a JOIN articles_fts f ON f.rowid = a.rowid")
    count = stream(conn, "staged_articles", [*columns, "terms_text"], rows)
    listed = ", ".join(columns)
    conn.execute(f"INSERT INTO articles ({listed}, terms) "
                 f"SELECT {listed}, to_tsvector('simple', terms_text) FROM staged_articles")
    return count


def copy_all(sqlite_path: str, url: str, replace: bool) -> None:
    import psycopg

    from rasid.store import open_store

    with open_store(url) as store:  # applies the migrations
        held = store.count_articles()
    if held and not replace:
        raise SystemExit(f"{url} already holds {held:,} articles; give --replace to empty it first")
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    with psycopg.connect(url) as conn:
        tables = pg_tables(conn)
        version = conn.execute("SELECT n FROM record_version").fetchone()[0]
        conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
        # A new record: a version no running server has cached answers under (rasid.api.cache).
        conn.execute("INSERT INTO record_version VALUES (1, %s)", (version + 1,))
        for table in (t for t in tables if t != "record_version"):
            started = time.perf_counter()
            if table == "articles":
                count = copy_articles(conn, source)
            else:
                columns = pg_columns(conn, table)
                count = stream(conn, table, columns, source.execute(f"SELECT {', '.join(columns)} FROM {table}"))
            print(f"{table:<18}{count:>9,} rows  {time.perf_counter() - started:6.1f} s")
        conn.execute("SELECT setval(pg_get_serial_sequence('rejections', 'seq'), "
                     "COALESCE((SELECT MAX(seq) FROM rejections), 0) + 1, false)")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sqlite", help="the SQLite record (a file path)")
    parser.add_argument("url", help="the PostgreSQL database (postgresql://…)")
    parser.add_argument("--replace", action="store_true", help="empty the PostgreSQL database's tables first")
    args = parser.parse_args()
    if not Path(args.sqlite).is_file():
        raise SystemExit(f"{args.sqlite}: no such SQLite file; build one with: python benchmarks/api.py")
    started = time.perf_counter()
    copy_all(args.sqlite, args.url, args.replace)
    print(f"copied in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
