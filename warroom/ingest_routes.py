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

from warroom import access, datasets, db, handoff, ingest, request_body
from warroom.config import THRESHOLDS
from warroom.i18n import t

log = logging.getLogger("warroom")


def _run(dataset: str, body: bytes, **kw) -> dict:
    from warroom import store as data
    cur = data.connection().cursor()
    try:
        return ingest.ingest_file(cur, dataset, body, **kw).as_dict()
    finally:
        cur.close()


class Caller:
    """Who posts: the OPD, the user name for the log, and the rights."""

    def __init__(self, kode_opd: str, username: str, trusted: bool, walidata_token: bool = False):
        self.kode_opd, self.username, self.trusted, self.walidata_token = kode_opd, username, trusted, walidata_token


def _caller(request: Request, cur) -> Caller | JSONResponse:
    """The caller or an error response."""
    if handoff.is_local_secret(request.headers.get(handoff.LOCAL_HEADER)):
        opd = (request.query_params.get("opd") or "").upper()
        if not opd:
            return JSONResponse({"error": "opd missing"}, status_code=400)
        return Caller(opd, request.query_params.get("user") or "cli", True)
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer "):
        return JSONResponse({"error": "token required"}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})
    info = handoff.token_info(cur, auth[7:].strip())
    if info is None:
        return JSONResponse({"error": "invalid or revoked token"}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})
    opd, walidata_token = info
    return Caller(opd, f"api:{opd}", False, walidata_token)


def upload_limit_bytes() -> int:
    """The web upload's cap (THRESHOLDS.upload_max_mb), for API tokens too."""
    return THRESHOLDS.upload_max_mb * 1024 * 1024


def _too_big(size: int | None, file_name: str | None, lang: str) -> JSONResponse:
    limit = THRESHOLDS.upload_max_mb
    mb = f"> {limit}" if size is None else f"{size / 1024 / 1024:.1f}".replace(".", ",")
    return JSONResponse({"error": "file too large", "limit_mb": limit,
                         "message": t("unggah.refused.too_big", lang, name=file_name or "-", mb=mb, limit=limit)},
                        status_code=413)


async def read_body(request: Request, limit: int | None, file_name: str | None, lang: str) -> bytes | JSONResponse:
    """The body through the one bounded reader (warroom.request_body: idle and total time, a
    server stop), refused 413 when over `limit` bytes: by Content-Length before a byte is
    read, else as soon as more than the limit has arrived."""
    declared = request.headers.get("content-length")
    if declared is not None and not declared.isdigit():
        return JSONResponse({"error": "bad Content-Length"}, status_code=400)
    try:
        return await request_body.read(request, max_bytes=limit)
    except request_body.BodyRefused as exc:
        if exc.status == 413:
            return _too_big(int(declared) if declared and limit and int(declared) > limit else None, file_name, lang)
        return JSONResponse({"error": exc.reason}, status_code=exc.status)


async def ingest_upload(request: Request) -> JSONResponse:
    from warroom import store as data
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
    # Data standard v2: an ordinary token has its OPD staff's rights; the walidata's (send
    # anything, on behalf of any sender) needs a token created with them.
    acts_as_walidata = who.walidata_token and who.kode_opd in ingest.walidata_of(datasets.get(dataset))
    role = "admin" if acts_as_walidata else "staf_opd"
    if not who.trusted and not access.may_send(dataset, role, who.kode_opd):
        return JSONResponse({"error": f"{who.kode_opd} may not send {dataset}"}, status_code=403)
    q = request.query_params
    lang = q.get("lang", "id")
    mapping = _mapping_param(q.get("mapping"))
    if isinstance(mapping, JSONResponse):
        return mapping
    # The operator's command line (local secret) is not under the web cap; every body is
    # read by the bounded reader, so a slow or stalled client cannot hold the server.
    body = await read_body(request, None if who.trusted else upload_limit_bytes(), q.get("file_name"), lang)
    if isinstance(body, JSONResponse):
        return body
    result = await run_in_threadpool(
        _run, dataset, body, kode_opd=who.kode_opd, username=who.username, file_name=q.get("file_name"),
        mapping=mapping, dry_run=q.get("dry_run") == "1", lang=lang,
        forwarding=None if who.trusted else acts_as_walidata)
    return JSONResponse({"result": result}, status_code=200 if result["accepted"] else 422)


def _mapping_param(raw: str | None) -> dict[str, str] | None | JSONResponse:
    """?mapping=: a JSON object {source header: standard column}, else 400 with the reason."""
    if not raw:
        return None
    try:
        mapping = json.loads(raw)
    except ValueError:
        return JSONResponse({"error": "mapping is not JSON"}, status_code=400)
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                for k, v in mapping.items()):
        return JSONResponse({"error": "mapping must be a JSON object {source header: standard column}"},
                            status_code=400)
    return mapping


def _local_only(request: Request) -> JSONResponse | None:
    if not handoff.is_local_secret(request.headers.get(handoff.LOCAL_HEADER)):
        return JSONResponse({"error": "local command line only"}, status_code=403)
    return None


def _with_cursor(fn, *args):
    from warroom import store as data
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
    from warroom import store as data
    from warroom.store import server_config as config
    port = int(config.get_option("server.port") or 8501)
    handoff.write_server_file(data.db_path(), port)
    log.info("ingest hand-off: %s", handoff.server_file(data.db_path()))


def stop() -> None:
    from warroom import store as data
    handoff.remove_server_file(data.db_path())
