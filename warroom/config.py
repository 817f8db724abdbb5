"""Configuration: the city, file locations and every tunable threshold in one place."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from warroom import ROOT

DATA_DIR = ROOT / "data"
QUERY_DIR = ROOT / "queries"
DEFAULT_DB = DATA_DIR / "warroom.duckdb"


@dataclass(frozen=True, eq=False)
class City:
    kode: str
    nama: str
    kode_provinsi: str
    nama_provinsi: str
    timezone: str
    zona: str
    bbox: tuple[float, float, float, float]
    walidata: tuple[str, ...] = ("DISKOMINFO",)
    reference: dict = field(default_factory=dict)
    # [peta] basemap: a map style URL for a room that is online; empty = no basemap (offline).
    peta: dict = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _reference_path(toml: Path, value: str) -> Path:
    """A reference file named in city.toml: an absolute path as is; a relative one beside the
    city.toml when it is there, else under data/ (the default city's files)."""
    p = Path(value)
    if p.is_absolute():
        return p
    beside = toml.parent / p
    return beside if beside.exists() else DATA_DIR / p


@lru_cache(maxsize=None)
def city() -> City:
    path = Path(os.environ.get("WARROOM_CITY", DATA_DIR / "city.toml"))
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    raw["bbox"] = tuple(raw["bbox"])
    raw["walidata"] = tuple(raw.get("walidata", ("DISKOMINFO",)))
    raw["reference"] = {k: (_reference_path(path, v) if str(v).endswith((".csv", ".geojson")) else v)
                        for k, v in raw.get("reference", {}).items()}
    return City(**raw)


def now() -> datetime:
    """Now in the city's time zone.

    WARROOM_NOW (an ISO instant) freezes the clock: unit tests and the WITA/UTC boundary cases.
    WARROOM_TODAY (YYYY-MM-DD) moves only the calendar date: now is that date plus the real
    time of day in the city's zone, so elapsed-time measures (camera ages, sign-in back-off)
    keep running while every "today" (demo as-of, freshness, due dates, clocks) is pinned.
    WARROOM_NOW wins when both are set.
    """
    frozen = os.environ.get("WARROOM_NOW")
    if frozen:
        dt = datetime.fromisoformat(frozen)
        # An instant given in another zone (e.g. UTC) is the same instant in the city.
        return dt.astimezone(city().tz) if dt.tzinfo else dt.replace(tzinfo=city().tz)
    real = datetime.now(timezone.utc).astimezone(city().tz)
    pinned_day = os.environ.get("WARROOM_TODAY")
    if pinned_day:
        day = date.fromisoformat(pinned_day.strip())
        return datetime.combine(day, real.timetz())
    return real


def today() -> date:
    """'Today' always means today in the city's time zone (data standard)."""
    return now().date()


def resolve_db_path(cli_value: str | os.PathLike | None = None) -> Path:
    """--db wins over WARROOM_DB, which wins over data/warroom.duckdb."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("WARROOM_DB")
    return Path(env) if env else DEFAULT_DB


@dataclass(frozen=True)
class Thresholds:
    # Kelurahan counts from 1 to SUPPRESS_BELOW-1 are shown as "<5" to anonymous viewers.
    suppress_below: int = 5
    # kinerja_opd bands: lower bound (inclusive) of each band, best first.
    kinerja_bands: tuple[tuple[str, float], ...] = (
        ("sangat_baik", 110.0), ("baik", 100.0), ("cukup", 80.0), ("kurang", 60.0), ("sangat_kurang", float("-inf")),
    )
    kinerja_due_days: int = 10
    # Freshness (days) by frequency: fresh up to .._fresh, late up to .._late, stale beyond.
    daily_fresh_days: int = 1
    daily_late_days: int = 3
    monthly_late_days: int = 31
    # PPKM transmission level lower bounds per 100,000 per week: levels 2, 3, 4.
    ppkm_cases: tuple[float, float, float] = (20, 50, 150)
    ppkm_admissions: tuple[float, float, float] = (5, 10, 30)
    ppkm_deaths: tuple[float, float, float] = (1, 2, 5)
    # Covid trend: 7-day cases against the 7 days before; a change beyond ± this percent is naik/turun.
    covid_trend_percent: float = 10.0
    # Ringkasan: towers whose permit ends within this many days count as expiring.
    permit_expiring_days: int = 90
    app_availability_min: float = 95.0
    # Bed occupancy (BOR) at or above this percent is high: the map's band and the bor_tinggi alert.
    bor_high_percent: float = 85.0
    # Sign-in back-off (warroom.auth), per user name as typed AND client address: the first
    # lockout_attempts failures are free, then each further try waits signin_backoff_s, doubling
    # up to signin_backoff_max_s. No hard lock: guesses from one client never lock others out.
    lockout_attempts: int = 5
    signin_backoff_s: float = 30.0
    signin_backoff_max_s: float = 300.0
    # A browser's sign-in (HttpOnly cookie, warroom.auth web sessions) ends after this long unused.
    session_idle_minutes: int = 480
    # Largest file the web upload and POST /api/ingest take (MB); the operator's command line
    # (direct or handed to the running app) has no such cap.
    upload_max_mb: int = 50
    # CCTV wall (warroom.cctv): fetch every camera every cctv_refresh_s; a failing camera is retried
    # less often (up to cctv_backoff_max_s). Timeouts and the size cap bound what one camera can cost.
    cctv_refresh_s: float = 5.0
    cctv_backoff_max_s: float = 60.0
    cctv_connect_timeout_s: float = 2.0
    cctv_read_timeout_s: float = 3.0
    cctv_total_timeout_s: float = 6.0
    cctv_max_bytes: int = 3_000_000
    cctv_workers: int = 32
    cctv_cache_bytes: int = 96_000_000
    # Health: a check row per camera at most every cctv_record_s (and at every ok<->failed change),
    # written in batches every cctv_flush_s; rows older than cctv_keep_days are pruned.
    cctv_record_s: float = 60.0
    cctv_flush_s: float = 30.0
    cctv_keep_days: int = 8
    # Measured status: live = last check ok and no older than the live window; dark = no success
    # for cctv_dark_s; stale in between. A check stands for at most cctv_check_valid_s (uptime).
    cctv_live_s: float = 15.0
    cctv_dark_s: float = 600.0
    cctv_check_valid_s: float = 180.0


THRESHOLDS = Thresholds()
