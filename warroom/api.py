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
    return [Route("/api/health", health, methods=["GET"])]


@asynccontextmanager
async def lifespan(app):
    log.info("War Room starting on database %s", resolve_db_path())
    yield {}
    log.info("War Room stopped")
