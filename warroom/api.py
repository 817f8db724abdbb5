"""HTTP routes served by the app's own process (Starlette, via st.App in server.py)."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from warroom import db
from warroom.config import resolve_db_path

log = logging.getLogger("warroom")


async def health(request: Request) -> JSONResponse:
    """/api/health: 200 with the schema and data version when the store answers, 503 otherwise."""
    from warroom import store as data
    try:
        cur = data.connection().cursor()
        try:
            body = {"status": "ok", "schema_version": int(db.get_meta(cur, "schema_version", "0")),
                    "data_version": db.data_version(cur)}
        finally:
            cur.close()
        return JSONResponse(body)
    except db.DatabaseUnavailable as exc:
        return JSONResponse({"status": "unavailable", "reason": exc.reason}, status_code=503)


def routes() -> list[Route]:
    from warroom import camsim, cctv_routes, ingest_routes
    return [Route("/api/health", health, methods=["GET"]), *camsim.routes(), *cctv_routes.routes(),
            *ingest_routes.routes()]


@asynccontextmanager
async def lifespan(app):
    log.info("War Room starting on database %s", resolve_db_path())
    from warroom import cctv_routes
    try:
        cctv_routes.start()  # the camera wall's fetcher runs whether or not a browser watches
    except db.DatabaseUnavailable as exc:
        log.warning("cctv: not started, database unavailable (%s)", exc.reason)
    from warroom import ingest_routes
    ingest_routes.start()  # <db>.server.json: where local command lines hand their files
    yield {}
    ingest_routes.stop()
    cctv_routes.stop()
    log.info("War Room stopped")
