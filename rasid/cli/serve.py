"""``rasid serve``: the JSON API and the web UI on one local HTTP server."""
from __future__ import annotations

import dataclasses
import json
import logging
import os
from typing import Any, Callable, Optional

import click

from rasid.cli.common import db_url, with_db

log = logging.getLogger(__name__)
LOOPBACK = ("127.0.0.1", "localhost", "::1")
CONFIG_ENV = "RASID_SERVE_CONFIG"  # how serve hands its options to worker processes


# httptools parses HTTP in C: on the API benchmark it halves p95 against the pure-Python h11
# (docs/api.md). uvloop is left out on purpose: it lengthened the tail here. The subclass answers
# the requests the parser refuses (a URL over 64 KB) with the JSON envelope, not plain text.
HTTP_PARSER = "rasid.api.protocol:EnvelopeHttpTools"


def records_ingest(settings: Any) -> Callable[[Any, list[dict[str, Any]]], dict[str, Any]]:
    """The pipeline behind POST /api/articles: the records go through ingest (as mappings, never as
    paths or URLs the client could choose), then analysis of what is queued."""
    from rasid import pipeline

    def ingest_records(store, records: list[dict[str, Any]]) -> dict[str, Any]:
        # One process: a server thread must not fork a cleaning pool.
        report = pipeline.ingest_records(store, [{k: v for k, v in r.items() if v not in (None, "")} for r in records],
                                         settings, workers=1)
        analysed = None
        if report.changed_ids and settings.analysis.enabled:
            analysed = str(pipeline.analyse(store, settings, workers=1))
        return {"counts": report.counts, "article_ids": report.changed_ids, "exact_copies": report.exact_copies,
                "rejections": [r.message() for r in report.rejections], "analysis": analysed}

    return ingest_records


@click.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1: this machine only).")
@click.option("--port", type=int, default=None, help="Port (default 8000).")
@click.option("--write-token", envvar="RASID_WRITE_TOKEN", default=None, metavar="TOKEN",
              help="Accept POST /api/articles with 'Authorization: Bearer TOKEN'. Without it writing is off. "
                   "Env: RASID_WRITE_TOKEN.")
@click.option("--read-token", envvar="RASID_READ_TOKEN", default=None, metavar="TOKEN",
              help="Require this token for every page and GET (header, or ?token= once in a browser). "
                   "Env: RASID_READ_TOKEN.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Allow cross-origin requests from ORIGIN (repeatable). CORS is off by default.")
@click.option("--page-size", type=click.IntRange(1, 500), default=None, help="Default rows per API page (50).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes; one per core serves more clients at once (SQLite readers run in parallel).")
@with_db
@click.pass_obj
def serve(obj, host, port, write_token, read_token, cors_origins, page_size, workers, db_option):
    """Serve the JSON API (/api/...) and the web UI (/) over HTTP.

    \b
    Examples:
      rasid serve                                  # http://127.0.0.1:8000/
      rasid serve --port 8080 --write-token s3cret
      curl -H 'Authorization: Bearer s3cret' -H 'Content-Type: application/json' \\
           -d '{"title": "...", "text": "...", "outlet": "sana"}' http://127.0.0.1:8080/api/articles
    """
    import uvicorn

    from rasid.api import ServeSettings

    options = ServeSettings(
        host=host or obj.settings.serve.host,
        port=port or obj.settings.serve.port,
        write_token=write_token or None, read_token=read_token or None, cors_origins=tuple(cors_origins),
        page_size=page_size or 50, max_body_bytes=obj.settings.serve.max_body_bytes,
        cache_entries=obj.settings.serve.cache_entries,
    )
    if options.host not in LOOPBACK and not options.read_token:
        click.secho(f"warning: listening on {options.host} without --read-token: anyone who can reach this "
                    "address can read the database", fg="yellow", err=True)
    url = db_url(obj, db_option)
    click.echo(f"Rasid on http://{options.host}:{options.port}/  (API: /api/stories, schema: /openapi.json; "
               f"writing {'on' if options.write_token else 'off'}; {workers} worker(s))", err=True)
    if workers > 1:  # each process builds its own app and store connection from the environment
        os.environ[CONFIG_ENV] = json.dumps({"options": dataclasses.asdict(options), "db": url})
        uvicorn.run("rasid.cli.serve:app_from_environment", factory=True, host=options.host, port=options.port,
                    workers=workers, log_level="info", access_log=False, http=HTTP_PARSER)
        return
    from rasid.app import create_app
    from rasid.store import open_store

    with open_store(url) as store:
        app = create_app(options, store, ingest=records_ingest(obj.settings))
        uvicorn.run(app, host=options.host, port=options.port, log_level="info", access_log=False, http=HTTP_PARSER)


def app_from_environment():
    """A worker process's app, from what ``serve`` put in the environment (settings: defaults and
    RASID_* variables; a --config file is not passed on to workers)."""
    from rasid.app import ServeSettings, create_app
    from rasid.settings import load_settings
    from rasid.store import open_store

    config = json.loads(os.environ[CONFIG_ENV])
    values = config["options"]
    options = ServeSettings(**{**values, "cors_origins": tuple(values["cors_origins"])})
    return create_app(options, open_store(config["db"]), ingest=records_ingest(load_settings(None)))
