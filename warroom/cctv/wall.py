"""The camera wall's rules, without Streamlit: each camera's state for a tile, filters, pages.

A tile's state merges two sources: the recorded checks (queries/cctv_health.sql, shared by
every process) and, in the app's own process, the camera service's memory (the picture
and the state of the fetch seconds ago), whichever is newer.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime

from warroom import cctv
from warroom.cctv.fetcher import CameraService
from warroom.config import THRESHOLDS
from warroom.i18n import t

GRIDS = {"3x3": (3, 3), "4x4": (4, 4), "2x2": (2, 2), "5x5": (5, 5)}
ROTATE_S = 15


def tiles(health_rows: list[dict], svc: CameraService | None, now: datetime) -> list[dict]:
    """Each camera's row with `status`, `picture_at` and `picture_age_s` for its tile."""
    out = []
    for row in health_rows:
        row = dict(row, status=row["measured_status"], picture_at=None, picture_age_s=None)
        if "link" in row:  # only the sanitised form of a stored address reaches a screen
            row["link"] = cctv.public_link(row["link"])
        state = svc.state(row["kode_cctv"]) if svc is not None else None
        if state is not None and state.last_check_at is not None and row["fetched"] and (
                row["last_check_at"] is None or state.last_check_at >= row["last_check_at"]):
            last_ok_at = max((x for x in (state.last_ok_at, row["last_ok_at"]) if x is not None), default=None)
            row.update(last_check_at=state.last_check_at, last_ok=state.last_ok, last_ok_at=last_ok_at,
                       last_error=state.last_error, latency_ms=state.latency_ms)
            row["status"] = cctv.measured_status(
                url="http://x/", last_check_at=state.last_check_at, last_ok=state.last_ok,
                last_ok_at=last_ok_at, now=now, live_s=THRESHOLDS.cctv_live_s)
        snap = svc.cache.get(row["kode_cctv"]) if svc is not None else None
        if snap is not None:
            row["picture_at"] = snap.fetched_at
            row["picture_age_s"] = max(0.0, (now - snap.fetched_at).total_seconds())
        out.append(row)
    return out


def filtered(rows: list[dict], kecamatan: str | None, status: str | None) -> list[dict]:
    return [r for r in rows if (not kecamatan or r["kode_kecamatan"] == kecamatan)
            and (not status or r["status"] == status)]


def counts(rows: list[dict]) -> dict[str, int]:
    out = {s: 0 for s in cctv.STATUSES}
    for r in rows:
        out[r["status"]] += 1
    return out


@dataclass(frozen=True)
class Paging:
    page: int        # 0-based
    pages: int
    rotating: bool


def paging(n: int, per_page: int, pinned: int | None, clock: float | None = None,
           rotate_s: int = ROTATE_S) -> Paging:
    """Which page of cameras to show: the pinned one (1-based, from the URL) or the one the
    clock says, so every wall screen shows the same page at the same time."""
    pages = max(1, math.ceil(n / per_page))
    if pinned is not None:
        return Paging(min(max(pinned, 1), pages) - 1, pages, False)
    clock = time.time() if clock is None else clock
    return Paging(int(clock // rotate_s) % pages, pages, True)


def age_text(seconds: float | None, lang: str) -> str:
    if seconds is None:
        return t("cctv.no_picture", lang)
    s = int(seconds)
    if s < 120:
        n = t("cctv.age.s", lang, n=s)
    elif s < 7200:
        n = t("cctv.age.m", lang, n=s // 60)
    elif s < 2 * 86400:
        n = t("cctv.age.h", lang, n=s // 3600)
    else:
        n = t("cctv.age.d", lang, n=s // 86400)
    return t("cctv.age", lang, age=n)


def problem_text(error: str | None, lang: str, *, detail: bool = True) -> str:
    """A recorded error code in words ('' when there is none). An HTTP status is said in plain
    words (the wall: 'kamera sedang tidak melayani'); with detail, the code follows for the
    technician reading the health table ('... (HTTP 503)')."""
    if not error:
        return ""
    if error.startswith("http_"):
        code = error[5:]
        kind = ("unavailable" if code == "503" else "server" if code.startswith("5")
                else "refused" if code.startswith("4") else "other")
        words = t(f"cctv.error.http.{kind}", lang)
        return f"{words} (HTTP {code})" if detail else words
    try:
        return t(f"cctv.error.{error}", lang)
    except KeyError:
        return error
