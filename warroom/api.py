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
    from warroom.ui import data
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
    from warroom.alerts import routes as alert_routes
    from warroom.pull import routes as pull_routes
    return [Route("/api/health", health, methods=["GET"]), *camsim.routes(), *cctv_routes.routes(),
            *ingest_routes.routes(), *alert_routes.routes(), *pull_routes.routes()]


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
    from warroom.alerts import service as alert_service
    alert_service.start()  # alerts: after every write and every minute (WARROOM_ALERTS_RUN=0: off)
    from warroom.pull import service as pull_service
    try:
        pull_service.start()  # agencies' published files, fetched on their schedules (WARROOM_PULL=0: off)
    except db.DatabaseUnavailable as exc:
        log.warning("pull: not started, database unavailable (%s)", exc.reason)
    yield {}
    pull_service.stop()
    alert_service.stop()
    ingest_routes.stop()
    cctv_routes.stop()
    log.info("War Room stopped")
