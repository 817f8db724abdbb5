"""POST /api/ingest/{dataset}: the upload endpoint of the running app.

Who may call it: an agency's system with `Authorization: Bearer <token>` (per-OPD API
token; the OPD's sending rights apply), or the local command line with the per-start
secret from `<db>.server.json` (trusted like the command line itself: it names the OPD).
The body is the file; the answer is the ingest result as JSON (200 accepted, 422 refused).
"""
from __future__ import annotations

import json
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from warroom import access, datasets, db, handoff, ingest

log = logging.getLogger("warroom")


def _run(dataset: str, body: bytes, **kw) -> dict:
    from warroom.ui import data
    cur = data.connection().cursor()
    try:
        return ingest.ingest_file(cur, dataset, body, **kw).as_dict()
    finally:
        cur.close()


def _caller(request: Request, cur) -> tuple[str, str, bool] | JSONResponse:
    """(kode_opd, username, trusted) or an error response."""
    if handoff.is_local_secret(request.headers.get(handoff.LOCAL_HEADER)):
        opd = (request.query_params.get("opd") or "").upper()
        if not opd:
            return JSONResponse({"error": "opd missing"}, status_code=400)
        return opd, request.query_params.get("user") or "cli", True
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer "):
        return JSONResponse({"error": "token required"}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})
    opd = handoff.opd_for_token(cur, auth[7:].strip())
    if opd is None:
        return JSONResponse({"error": "invalid or revoked token"}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})
    return opd, f"api:{opd}", False


async def ingest_upload(request: Request) -> JSONResponse:
    from warroom.ui import data
    dataset = request.path_params["dataset"]
    if dataset not in datasets.ALL:
        return JSONResponse({"error": f"unknown dataset {dataset}"}, status_code=404)
    try:
        cur = data.connection().cursor()
    except db.DatabaseUnavailable as exc:
        return JSONResponse({"error": "database unavailable", "reason": exc.reason}, status_code=503)
    try:
        who = _caller(request, cur)
    finally:
        cur.close()
    if isinstance(who, JSONResponse):
        return who
    kode_opd, username, trusted = who
    role = "admin" if kode_opd in ingest.walidata_of(datasets.get(dataset)) else "staf_opd"
    if not trusted and not access.may_send(dataset, role, kode_opd):
        return JSONResponse({"error": f"{kode_opd} may not send {dataset}"}, status_code=403)
    q = request.query_params
    try:
        mapping = json.loads(q["mapping"]) if q.get("mapping") else None
    except ValueError:
        return JSONResponse({"error": "mapping is not JSON"}, status_code=400)
    body = await request.body()
    result = await run_in_threadpool(
        _run, dataset, body, kode_opd=kode_opd, username=username, file_name=q.get("file_name"),
        mapping=mapping, dry_run=q.get("dry_run") == "1", lang=q.get("lang", "id"))
    return JSONResponse({"result": result}, status_code=200 if result["accepted"] else 422)


def _local_only(request: Request) -> JSONResponse | None:
    if not handoff.is_local_secret(request.headers.get(handoff.LOCAL_HEADER)):
        return JSONResponse({"error": "local command line only"}, status_code=403)
    return None


def _with_cursor(fn, *args):
    from warroom.ui import data
    cur = data.connection().cursor()
    try:
        return fn(cur, *args)
    finally:
        cur.close()


async def local_export(request: Request) -> Response:
    """GET /api/local/export/{name}: `python -m warroom export` while the app holds the database."""
    from warroom import exports
    denied = _local_only(request)
    if denied:
        return denied
    name = request.path_params["name"]
    if name not in exports.names():
        return JSONResponse({"error": f"unknown export {name}"}, status_code=404)
    form = request.query_params.get("format", "csv")
    if form not in ("csv", "excel-id"):
        return JSONResponse({"error": f"unknown format {form}; known: csv, excel-id"}, status_code=400)
    body = await run_in_threadpool(_with_cursor, exports.to_bytes, name, form)
    return Response(body, media_type="text/csv; charset=utf-8")


def _backup(cur, target: str) -> dict:
    cur.execute(f"EXPORT DATABASE '{target.replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
    return {"dir": target, "data_version": db.data_version(cur)}


async def local_backup(request: Request) -> JSONResponse:
    """POST /api/local/backup?dir=ABSOLUTE_DIR: `python -m warroom backup` while the app runs."""
    denied = _local_only(request)
    if denied:
        return denied
    target = request.query_params.get("dir", "")
    if not target.startswith("/"):
        return JSONResponse({"error": "dir must be an absolute path"}, status_code=400)
    return JSONResponse(await run_in_threadpool(_with_cursor, _backup, target))


def _rollback(cur, upload_id: int, user: str) -> dict:
    from warroom.rollback import RollbackRefused, rollback_upload
    try:
        s = rollback_upload(cur, upload_id, user)
    except RollbackRefused as exc:
        return {"refused": exc.reason, "later_upload_ids": exc.later_upload_ids}
    return {"upload_id": s.upload_id, "dataset": s.dataset, "rows_removed": s.rows_removed,
            "rows_restored": s.rows_restored}


async def local_rollback(request: Request) -> JSONResponse:
    """POST /api/local/rollback/{upload_id}?user=NAME: `python -m warroom rollback` while the app runs."""
    denied = _local_only(request)
    if denied:
        return denied
    answer = await run_in_threadpool(_with_cursor, _rollback, int(request.path_params["upload_id"]),
                                     request.query_params.get("user") or "cli")
    return JSONResponse(answer, status_code=409 if "refused" in answer else 200)


def routes() -> list[Route]:
    return [Route("/api/ingest/{dataset}", ingest_upload, methods=["POST"]),
            Route("/api/local/export/{name}", local_export, methods=["GET"]),
            Route("/api/local/backup", local_backup, methods=["POST"]),
            Route("/api/local/rollback/{upload_id:int}", local_rollback, methods=["POST"])]


def start() -> None:
    """At app start-up: tell local command lines where to hand their files."""
    from streamlit import config
    from warroom.ui import data
    port = int(config.get_option("server.port") or 8501)
    handoff.write_server_file(data.db_path(), port)
    log.info("ingest hand-off: %s", handoff.server_file(data.db_path()))


def stop() -> None:
    from warroom.ui import data
    handoff.remove_server_file(data.db_path())
