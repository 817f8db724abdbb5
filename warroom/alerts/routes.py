"""Local hand-off routes: `python -m warroom alerts check|history` while the app holds the database.

GET /api/local/alerts/check    JSON lines, one per firing alert and object (nothing written or sent)
GET /api/local/alerts/history  JSON lines, newest first (?limit=N&rule=NAME&state=firing|resolved)
Only the local command line (the per-start secret of <db>.server.json) may call them.
"""
from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def _lines(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows).encode("utf-8")


def _check(cur) -> list[dict]:
    from warroom.alerts import rules, service
    return service.check(cur, rules.load_config(), read_only=True)


def _history(cur, limit: int, rule: str | None, state: str | None) -> list[dict]:
    from warroom.alerts import store
    return store.history(cur, limit=limit, rule=rule, state=state)


async def local_check(request: Request) -> Response:
    from warroom.alerts.rules import AlertsConfigError
    from warroom.ingest_routes import _local_only, _with_cursor
    denied = _local_only(request)
    if denied:
        return denied
    try:
        rows = await run_in_threadpool(_with_cursor, _check)
    except AlertsConfigError as exc:
        return JSONResponse({"error": exc.text(request.query_params.get("lang", "id"))}, status_code=422)
    return Response(_lines(rows), media_type="application/x-ndjson; charset=utf-8")


async def local_history(request: Request) -> Response:
    from warroom.ingest_routes import _local_only, _with_cursor
    denied = _local_only(request)
    if denied:
        return denied
    q = request.query_params
    try:
        limit = max(1, min(int(q.get("limit", "100")), 10_000))
    except ValueError:
        return JSONResponse({"error": "limit must be a number"}, status_code=400)
    rows = await run_in_threadpool(_with_cursor, _history, limit, q.get("rule"), q.get("state"))
    return Response(_lines(rows), media_type="application/x-ndjson; charset=utf-8")


def routes() -> list[Route]:
    return [Route("/api/local/alerts/check", local_check, methods=["GET"]),
            Route("/api/local/alerts/history", local_history, methods=["GET"])]
