"""HTTP side of the camera wall: the browser gets pictures from the app, never from a camera.

GET /api/cctv/{kode}/snapshot.jpg  the latest cached picture of a registered camera (404 if none)
GET /api/cctv/status.json          measured state per camera and the fetcher's figures (no URLs)

`start()`/`stop()` run the camera service for the app's lifetime (warroom.api.lifespan).
WARROOM_CCTV_FETCH=0 leaves it off; WARROOM_CCTV_WORKERS overrides the pool size (benchmarks).
"""
from __future__ import annotations

import logging
import os
import socket
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from warroom import cctv
from warroom.cctv import fetcher as cctv_fetcher
from warroom.config import THRESHOLDS, now

log = logging.getLogger("warroom.cctv")


async def snapshot(request: Request) -> Response:
    svc = cctv_fetcher.service()
    snap = svc.cache.get(request.path_params["kode"]) if svc else None
    if snap is None:
        return Response("no picture", status_code=404, media_type="text/plain",
                        headers={"Cache-Control": "no-store"})
    return Response(snap.image, media_type="image/jpeg", headers={"Cache-Control": "no-store"})


def live_states(svc: cctv_fetcher.CameraService) -> list[dict]:
    """Per fetched camera: measured status (from memory), picture age and last latency."""
    at = now()
    out = []
    for kode, camera in sorted(svc.cameras.items()):
        st = svc.state(kode) or cctv_fetcher.CameraState()
        snap = svc.cache.get(kode)
        out.append({
            "kode_cctv": kode,
            "status": cctv.measured_status(url=camera.url, last_check_at=st.last_check_at, last_ok=st.last_ok,
                                           last_ok_at=st.last_ok_at, now=at, live_s=THRESHOLDS.cctv_live_s),
            "picture_age_s": None if snap is None else round((at - snap.fetched_at).total_seconds(), 2),
            "latency_ms": st.latency_ms,
            "error": st.last_error,
        })
    return out


async def status(request: Request) -> JSONResponse:
    svc = cctv_fetcher.service()
    if svc is None:
        return JSONResponse({"running": False, "cameras": []})
    return JSONResponse({"running": True, "active": svc.active, "peak_active": svc.peak_active, "queued": svc.inflight,
                         "workers": svc.workers, "fetches": svc.fetches, "cache_bytes": svc.cache.total_bytes,
                         "cameras": live_states(svc)})


def routes() -> list[Route]:
    return [Route("/api/cctv/status.json", status, methods=["GET"]),
            Route("/api/cctv/{kode}/snapshot.jpg", snapshot, methods=["GET"])]


def own_base() -> str:
    """This app's own address on loopback, where the simulator answers."""
    from warroom.store import server_config as config
    port = config.get_option("server.port")
    base_path = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")


def _listening(base: str) -> bool:
    port = urlsplit(base).port
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def start() -> cctv_fetcher.CameraService | None:
    if os.environ.get("WARROOM_CCTV_FETCH", "1") == "0":
        log.info("cctv: fetching is off (WARROOM_CCTV_FETCH=0)")
        return None
    from warroom import store as data
    workers = int(os.environ.get("WARROOM_CCTV_WORKERS", THRESHOLDS.cctv_workers))
    base = own_base()
    svc = cctv_fetcher.CameraService(data.connection, cctv.FetchPolicy.for_app(base), workers=workers,
                                     ready=lambda: _listening(base))
    cctv_fetcher.set_service(svc)
    svc.start()
    log.info("cctv: fetching cameras every %ss with %s workers", svc.refresh_s, workers)
    return svc


def stop() -> None:
    svc = cctv_fetcher.service()
    if svc is not None:
        svc.stop()
        cctv_fetcher.set_service(None)
