"""Ingest (POST /api/articles, behind the write token) and streamed exports."""
from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import Any, Literal, Union

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import StreamingResponse

from rasid.api import schemas as s
from rasid.api.auth import require_write
from rasid.api.deps import ApiContext
from rasid.api.envelope import success
from rasid.errors import InputError, RasidError
from rasid.export import FORMATS, iter_export
from rasid.store.base import EventFilter
from rasid.views.params import event_filter


class IngestUnavailable(RasidError):
    code = "ingest_unavailable"
    http_status = 503


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def ingest_result(received: int, result: Any) -> s.IngestResult:
    """Whatever the pipeline hook returns (a summary dict or per-article results) as IngestResult."""
    if isinstance(result, dict):
        data = {k: _plain(v) for k, v in result.items()}
        data.setdefault("results", [])
        return s.IngestResult(received=received, **{k: v for k, v in data.items() if k != "received"})
    results = _plain(list(result or []))
    return s.IngestResult(received=received, results=[r if isinstance(r, dict) else {"value": r} for r in results])


def build(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix="/api")
    limit = ctx.settings.max_ingest_records

    def write_guard(request: Request) -> None:
        # The Guard middleware checks the token before the body is read; checked here too so the
        # route stays closed wherever it is mounted.
        require_write(request, ctx.settings.write_token)

    @router.post("/articles", status_code=201, response_model=s.Envelope[s.IngestResult], tags=["articles"],
                 summary="Ingest articles (needs the write token)",
                 responses={401: {"model": s.ErrorEnvelope}, 403: {"model": s.ErrorEnvelope},
                            503: {"model": s.ErrorEnvelope}})
    def post_articles(_auth: None = Depends(write_guard),
                      body: Union[s.ArticleIn, list[s.ArticleIn]] = Body(..., description="one article or a list")):
        records = [a.model_dump() for a in (body if isinstance(body, list) else [body])]
        if len(records) > limit:
            raise InputError(f"{len(records)} articles in one request; send at most {limit} per request")
        if ctx.ingest is None:
            raise IngestUnavailable("this server has no ingest pipeline wired in; ingest with: rasid ingest FILE")
        result = ctx.ingest(ctx.store, records)
        ctx.catalog.invalidate()
        return success(ingest_result(len(records), result), status=201)

    @router.get("/export", tags=["export"], summary="Stream the events as csv, acled, json, geojson or hxl",
                response_class=StreamingResponse,
                responses={200: {"description": "the export file", "content": {
                    "text/csv": {}, "application/json": {}, "application/geo+json": {}}}})
    def export(format: Literal["csv", "acled", "json", "geojson", "hxl"] = Query("csv", description="file format"),
               level: Literal["event", "mention"] = Query("event", description="merged events or per-article mentions"),
               flt: EventFilter = Depends(event_filter)):
        media_type, extension = FORMATS[format]
        chunks = iter_export(ctx.store, format, flt, level, ctx.record_context())
        name = f"rasid-events-{format}.{extension}"
        return StreamingResponse(chunks, media_type=media_type,
                                 headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return router
