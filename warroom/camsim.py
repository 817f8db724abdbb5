"""The camera simulator: the demo's road cameras, served by the app itself, so the camera
wall looks alive without internet or real cameras.

GET /api/camsim/{kode}.jpg draws a frame (Pillow) with the camera's name, code and the time
in the city's zone, and a little traffic that moves with the clock. Cameras the agency
reports as offline or in maintenance answer 503; `rusak` (broken) cameras hang past the
fetcher's timeout, as a dead camera on a live network does. Only cameras registered with
the simulator's address (warroom.cctv.CAMSIM_MARKER) are simulated; anything else is 404.
"""
from __future__ import annotations

import asyncio
import functools
import hashlib
import io
import os
import threading
import time

from PIL import Image, ImageDraw, ImageFont
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from warroom import cctv, db
from warroom.cctv import fetcher as cctv_fetcher
from warroom.config import THRESHOLDS, city, now

WIDTH, HEIGHT = 640, 360
HANG_S = THRESHOLDS.cctv_total_timeout_s + 4
# Network latency of a real camera, for benchmarks (WARROOM_CAMSIM_DELAY_MS, default none).
DELAY_S = float(os.environ.get("WARROOM_CAMSIM_DELAY_MS", "0")) / 1000
_registry: dict[str, tuple[str, str]] = {}
_registry_at = 0.0
_registry_lock = threading.Lock()


@functools.lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


@functools.lru_cache(maxsize=512)
def _background(kode: str, nama: str) -> tuple[Image.Image, int, int]:
    """The parts of a camera's frame that never change (sky, road, name), drawn once."""
    seed = int(hashlib.sha256(kode.encode()).hexdigest()[:8], 16)
    sky = (20 + seed % 40, 30 + seed // 7 % 40, 50 + seed // 49 % 50)
    img = Image.new("RGB", (WIDTH, HEIGHT), sky)
    d = ImageDraw.Draw(img)
    horizon = 130 + seed % 40
    d.rectangle([0, horizon, WIDTH, HEIGHT], fill=(52, 58, 52))
    left, right = 250 + seed % 60, 390 - seed % 60
    d.polygon([(left, horizon), (right, horizon), (WIDTH - 20, HEIGHT), (20, HEIGHT)], fill=(70, 70, 76))
    for i in range(8):  # lane marks
        y = horizon + (HEIGHT - horizon) * (i / 8) ** 1.6
        d.line([(WIDTH / 2, y), (WIDTH / 2, y + 4 + i * 3)], fill=(230, 230, 200), width=1 + i // 3)
    d.rectangle([0, 0, WIDTH, 58], fill=(0, 0, 0))
    d.text((12, 6), nama[:60], font=_font(22), fill=(255, 255, 255))
    d.rectangle([WIDTH - 118, HEIGHT - 30, WIDTH - 6, HEIGHT - 6], fill=(0, 0, 0))
    d.text((WIDTH - 110, HEIGHT - 28), "SIMULASI", font=_font(17), fill=(230, 159, 0))
    return img, seed, horizon


def draw_frame(kode: str, nama: str, when=None) -> bytes:
    """A JPEG frame: a road in perspective, cars placed by the clock, name and time stamped."""
    when = when or now()
    background, seed, horizon = _background(kode, nama)
    img = background.copy()
    d = ImageDraw.Draw(img)
    t = when.timestamp()
    palette = [(213, 94, 0), (0, 114, 178), (240, 228, 66), (230, 230, 230), (204, 121, 167)]
    for car in range(5):  # cars move down the road with the clock
        phase = ((t / (4 + car) + car * 0.37 + seed % 97 / 97) % 1.0)
        y = horizon + (HEIGHT - horizon) * phase ** 1.8
        scale = 0.15 + 0.85 * phase ** 1.8
        lane = -1 if car % 2 else 1
        x = WIDTH / 2 + lane * (20 + 180 * scale) * 0.6
        w, h = 70 * scale, 38 * scale
        d.rectangle([x - w / 2, y - h, x + w / 2, y], fill=palette[(car + seed) % len(palette)])
    stamp = f"{when.strftime('%d-%m-%Y %H:%M:%S')} {city().zona}"
    d.text((12, 33), f"{kode}  ·  {stamp}", font=_font(17), fill=(240, 228, 66))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=70)
    return out.getvalue()


def _simulated_cameras(connect) -> dict[str, tuple[str, str]]:
    """kode -> (nama_lokasi, status) of cameras registered at the simulator (refreshed every 10 s)."""
    global _registry, _registry_at
    with _registry_lock:
        if time.monotonic() - _registry_at > 10:
            cur = connect().cursor()
            try:
                rows = cur.execute("SELECT kode_cctv, nama_lokasi, status, url_stream FROM cctv").fetchall()
            finally:
                cur.close()
            _registry = {k: (n, s) for k, n, s, u in rows
                         if u and u.startswith(cctv.CAMSIM_MARKER) and u[len(cctv.CAMSIM_MARKER):] == f"{k}.jpg"}
            _registry_at = time.monotonic()
        return _registry


def _connect():
    from warroom import store as data
    return data.connection()


async def frame(request: Request) -> Response:
    kode = request.path_params["kode"]
    try:
        camera = (await run_in_threadpool(_simulated_cameras, _connect)).get(kode)
    except db.DatabaseUnavailable as exc:  # a missing store: an answer, not a traceback
        cctv_fetcher.log_unavailable("camsim", exc)
        return Response("database unavailable", status_code=503, media_type="text/plain",
                        headers={"Retry-After": "5"})
    if camera is None:
        return Response("no such simulated camera", status_code=404, media_type="text/plain")
    nama, status = camera
    if DELAY_S:
        await asyncio.sleep(DELAY_S)
    if status == "rusak":
        await asyncio.sleep(HANG_S)  # a dead camera: the fetcher gives up first
        return Response("camera broken", status_code=504, media_type="text/plain")
    if status != "online":
        return Response(f"camera {status}", status_code=503, media_type="text/plain")
    body = await run_in_threadpool(draw_frame, kode, nama)
    return Response(body, media_type="image/jpeg", headers={"Cache-Control": "no-store"})


def routes() -> list[Route]:
    return [Route("/api/camsim/{kode}.jpg", frame, methods=["GET"])]
