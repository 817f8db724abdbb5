"""/api/local/sources/*: `python -m warroom sources ...` while the app holds the database.

Local command line only (the per-start secret of <db>.server.json, warroom.handoff); the
answers never carry a source's auth header.

GET    /api/local/sources               the registry (as `sources list` prints it)
POST   /api/local/sources               register one (JSON body: the add() arguments)
DELETE /api/local/sources/{name}        forget one
POST   /api/local/sources/{name}/run    fetch now; the RunOutcome as JSON
"""
from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from warroom.config import city
from warroom.ingest_routes import _local_only, _with_cursor
from warroom.pull import run, sources


def listing(con) -> list[dict]:
    """Every source as the command line prints it: public URL only, auth as yes/no."""
    return [{"name": s.name, "dataset": s.dataset, "kode_opd": s.kode_opd, "url": sources.public_url(s.url),
             "format": s.format or "auto", "every_minutes": s.schedule.every_minutes, "daily_at": s.schedule.daily_at,
             "auth": s.has_auth, "last_result": s.last_result, "last_error": s.last_error,
             "last_run_at": _local(s.last_run_at), "next_run_at": _local(s.next_run_at),
             "last_ok_upload_id": s.last_ok_upload_id}
            for s in sources.list_sources(con)]


def _local(at) -> str | None:
    return at.astimezone(city().tz).isoformat() if at else None


def _add(con, body: dict) -> dict:
    from warroom.config import now
    try:
        s = sources.add(con, at=now(), **body)
    except sources.SourceError as exc:
        return {"refused": exc.key, "kwargs": exc.kwargs}
    return {"name": s.name}


def _remove(con, name: str, by: str) -> dict:
    try:
        sources.remove(con, name, by)
    except sources.SourceError as exc:
        return {"refused": exc.key, "kwargs": exc.kwargs}
    return {"removed": name}


def _run(con, name: str, lang: str) -> dict:
    try:
        return run.run_source(con, name, lang=lang).as_dict()
    except sources.SourceError as exc:
        return {"refused": exc.key, "kwargs": exc.kwargs}


async def collection(request: Request) -> JSONResponse:
    denied = _local_only(request)
    if denied:
        return denied
    if request.method == "GET":
        return JSONResponse(await run_in_threadpool(_with_cursor, listing))
    try:
        body = json.loads(await request.body())
    except ValueError:
        return JSONResponse({"error": "body is not JSON"}, status_code=400)
    answer = await run_in_threadpool(_with_cursor, _add, body)
    return JSONResponse(answer, status_code=409 if "refused" in answer else 200)


async def one(request: Request) -> JSONResponse:
    denied = _local_only(request)
    if denied:
        return denied
    answer = await run_in_threadpool(_with_cursor, _remove, request.path_params["name"],
                                     request.query_params.get("user") or "cli")
    return JSONResponse(answer, status_code=409 if "refused" in answer else 200)


async def run_now(request: Request) -> JSONResponse:
    denied = _local_only(request)
    if denied:
        return denied
    answer = await run_in_threadpool(_with_cursor, _run, request.path_params["name"],
                                     request.query_params.get("lang", "id"))
    return JSONResponse(answer, status_code=409 if "refused" in answer and "outcome" not in answer else 200)


def routes() -> list[Route]:
    return [Route("/api/local/sources", collection, methods=["GET", "POST"]),
            Route("/api/local/sources/{name}", one, methods=["DELETE"]),
            Route("/api/local/sources/{name}/run", run_now, methods=["POST"])]
