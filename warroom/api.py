"""HTTP routes served by the app's own process (Starlette, via st.App in server.py)."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
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


def _session_cookie(response: Response, request: Request, token: str | None) -> Response:
    from warroom import auth
    if token is None:
        response.delete_cookie(auth.COOKIE_NAME, path="/", httponly=True, samesite="strict")
    else:
        # No max-age: the browser keeps it while it runs; the server ends it when idle (auth).
        response.set_cookie(auth.COOKIE_NAME, token, path="/", httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
    response.headers["Cache-Control"] = "no-store"
    return response


def _with_db(fn, *args):
    from warroom import store as data
    with db.WRITE_LOCK:
        cur = data.connection().cursor()
        try:
            return fn(cur, *args)
        finally:
            cur.close()


async def session_start(request: Request) -> Response:
    """POST /api/session/start?code=ONE-TIME-CODE: the page that signed someone in hands its
    browser a code; this sets the HttpOnly session cookie (a page cannot set cookies)."""
    from warroom import auth
    username = auth.redeem_signin_code(request.query_params.get("code", ""))
    if username is None:
        return _session_cookie(JSONResponse({"error": "invalid or used code"}, status_code=403), request, None)
    try:
        token = await run_in_threadpool(_with_db, auth.start_web_session, username)
    except db.DatabaseUnavailable as exc:
        return JSONResponse({"error": "database unavailable", "reason": exc.reason}, status_code=503)
    return _session_cookie(JSONResponse({"status": "ok"}), request, token)


async def session_end(request: Request) -> Response:
    """POST /api/session/end: revoke this browser's session and clear its cookie."""
    from warroom import auth
    token = request.cookies.get(auth.COOKIE_NAME)
    if token:
        try:
            await run_in_threadpool(_with_db, auth.end_web_session, token)
        except db.DatabaseUnavailable as exc:
            log.warning("sign-out: session not revoked, database unavailable (%s)", exc.reason)
    return _session_cookie(JSONResponse({"status": "ok"}), request, None)


def routes() -> list[Route]:
    from warroom import camsim, ingest_routes
    from warroom.alerts import routes as alert_routes
    from warroom.cctv import routes as cctv_routes
    from warroom.pull import routes as pull_routes
    return [Route("/api/health", health, methods=["GET"]),
            Route("/api/session/start", session_start, methods=["POST"]),
            Route("/api/session/end", session_end, methods=["POST"]),
            *camsim.routes(), *cctv_routes.routes(), *ingest_routes.routes(), *alert_routes.routes(),
            *pull_routes.routes()]


@asynccontextmanager
async def lifespan(app):
    log.info("War Room starting on database %s", resolve_db_path())
    from warroom import request_body
    request_body.watch_stop_signals()  # a stop ends uploads being read instead of waiting for them
    from warroom.cctv import routes as cctv_routes
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
