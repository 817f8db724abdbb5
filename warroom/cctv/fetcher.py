"""The camera wall's engine: fetch every registered camera on a schedule, keep the latest
picture of each in memory, and record each camera's health in `cctv_checks`.

It runs in the app's own process as one scheduler thread and a bounded pool of fetch
threads, started by warroom.api.lifespan, so the wall's browser never reaches a camera
and 200 cameras refresh whether or not anybody watches. Pages and the snapshot route read
`service()`: the cache and the in-memory state; nothing they receive can choose an address.

Health rows are batched: per camera a row at most every `cctv_record_s` and at every change
between success and failure (so uptime stays exact while the table stays small), written
every `cctv_flush_s` under WRITE_LOCK. They are operational records, not agency data, so
writing them does not bump the data version (which would expire every page's cache).
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

import duckdb

from warroom import cctv, db
from warroom.config import THRESHOLDS
from warroom.config import now as clock_now

log = logging.getLogger("warroom.cctv")
HEALTH_EVERY_S = 60
REGISTRY_CHECK_S = 2.0   # how often the scheduler looks whether the cameras may have changed
# While the database is missing or locked, the fetcher and the simulator retry every few
# hundred milliseconds; the log says so once a minute (the README's promise), not each time.
DB_LOG_EVERY_S = 60.0
_db_logged_at: float | None = None
_db_log_lock = threading.Lock()


def log_unavailable(what: str, exc: db.DatabaseUnavailable) -> None:
    """One warning a minute per process that the database is unavailable, however often
    `what` (the fetcher, the simulator) tries it."""
    global _db_logged_at
    with _db_log_lock:
        moment = time.monotonic()
        if _db_logged_at is not None and moment - _db_logged_at < DB_LOG_EVERY_S:
            return
        _db_logged_at = moment
    log.warning("%s: database unavailable (%s); retrying (logged once a minute)", what, exc.reason)


@dataclass
class Camera:
    kode_cctv: str
    url: str


@dataclass
class CameraState:
    last_check_at: datetime | None = None
    last_ok: bool | None = None
    last_ok_at: datetime | None = None
    last_error: str | None = None
    latency_ms: float | None = None
    failures: int = 0
    next_due: float = 0.0          # monotonic seconds
    recorded_at: datetime | None = None
    recorded_ok: bool | None = None


class SnapshotCache:
    """The latest picture per camera, bounded in total bytes (oldest pictures dropped first)."""

    def __init__(self, max_bytes: int = THRESHOLDS.cctv_cache_bytes):
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, cctv.Snapshot] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, snap: cctv.Snapshot) -> None:
        with self._lock:
            old = self._items.pop(snap.kode_cctv, None)
            if old is not None:
                self._bytes -= len(old.image)
            self._items[snap.kode_cctv] = snap
            self._bytes += len(snap.image)
            while self._bytes > self.max_bytes and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.image)

    def get(self, kode_cctv: str) -> cctv.Snapshot | None:
        with self._lock:
            return self._items.get(kode_cctv)

    def keep_only(self, kodes: set[str]) -> None:
        with self._lock:
            for kode in [k for k in self._items if k not in kodes]:
                self._bytes -= len(self._items.pop(kode).image)

    @property
    def total_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)


class CameraService:
    """Fetch scheduler, snapshot cache and health recorder for one database connection."""

    def __init__(self, connect: Callable[[], duckdb.DuckDBPyConnection], policy: cctv.FetchPolicy, *,
                 refresh_s: float = THRESHOLDS.cctv_refresh_s, workers: int = THRESHOLDS.cctv_workers,
                 record_s: float = THRESHOLDS.cctv_record_s, flush_s: float = THRESHOLDS.cctv_flush_s,
                 clock: Callable[[], datetime] = clock_now, ready: Callable[[], bool] | None = None):
        self.connect, self.policy, self.clock, self.ready = connect, policy, clock, ready
        self.refresh_s, self.workers, self.record_s, self.flush_s = refresh_s, workers, record_s, flush_s
        self.cache = SnapshotCache()
        self.states: dict[str, CameraState] = {}
        self.cameras: dict[str, Camera] = {}
        self._pending: list[tuple] = []
        self._lock = threading.Lock()
        self._inflight: set[str] = set()
        self._pool: ThreadPoolExecutor | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.generation = 0            # bumped at every flush: the key of cached health queries
        self.health_rows: list[dict] | None = None   # queries/cctv_health.sql, refreshed in the background
        self._health_busy = threading.Event()
        self.active = 0                # fetches running now (at most `workers`)
        self.peak_active = 0
        self.fetches = 0

    # --- registry -------------------------------------------------------------------------
    def load_registry(self) -> None:
        """The cameras to fetch: every registered camera with an http(s) picture URL."""
        cur = self.connect().cursor()
        try:
            rows = cur.execute("SELECT kode_cctv, url_stream FROM cctv ORDER BY kode_cctv").fetchall()
        finally:
            cur.close()
        cameras = {k: Camera(k, u) for k, u in rows if cctv.is_fetchable(u)}
        with self._lock:
            # A camera whose address changed is a new camera: fetched at once (no back-off
            # carried over), and the picture of its old address is not shown for it.
            moved = {k for k, c in self.cameras.items() if k in cameras and cameras[k].url != c.url}
            self.cameras = cameras
            for kode in list(self.states):
                if kode not in cameras or kode in moved:
                    del self.states[kode]
        self.cache.keep_only(set(cameras) - moved)

    # --- fetching -------------------------------------------------------------------------
    def fetch_one(self, kode: str) -> cctv.FetchResult:
        camera = self.cameras.get(kode)
        if camera is None:  # only registered cameras are ever fetched
            return cctv.FetchResult(False, 0.0, "unregistered")
        result = cctv.fetch_url(camera.url, self.policy)
        self._note(kode, result)
        return result

    def _note(self, kode: str, result: cctv.FetchResult) -> None:
        at = self.clock()
        if result.ok:
            assert result.image is not None   # a successful fetch always carries its image
            self.cache.put(cctv.Snapshot(kode, result.image, at, result.width, result.height))
        with self._lock:
            self.fetches += 1
            st = self.states.setdefault(kode, CameraState())
            st.last_check_at, st.last_ok, st.last_error, st.latency_ms = at, result.ok, result.error, result.latency_ms
            if result.ok:
                st.last_ok_at, st.failures = at, 0
            else:
                st.failures += 1
            if self._own_app_down(kode, result):
                return
            if (st.recorded_at is None or st.recorded_ok != result.ok
                    or (at - st.recorded_at).total_seconds() >= self.record_s):
                self._pending.append((kode, at, result.ok, result.latency_ms, result.error))
                st.recorded_at, st.recorded_ok = at, result.ok

    def _own_app_down(self, kode: str, result: cctv.FetchResult) -> bool:
        """A simulated camera unreachable means the app itself is starting or stopping: that
        says nothing about the camera, so it is not recorded as the camera's failure."""
        camera = self.cameras.get(kode)
        return (not result.ok and result.error == "connect" and camera is not None
                and camera.url.startswith(cctv.CAMSIM_MARKER))

    def run_once(self) -> None:
        """Fetch every registered camera once, concurrently, and wait (tests, benchmarks)."""
        self.load_registry()
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            list(pool.map(self.fetch_one, list(self.cameras)))

    def _submit_due(self) -> None:
        t = time.monotonic()
        with self._lock:
            new = [k for k in self.cameras if k not in self.states]
            for i, kode in enumerate(new):  # spread first fetches over one interval, not all at once
                self.states[kode] = CameraState(next_due=t + self.refresh_s * i / len(new))
            due = [k for k in self.cameras if k not in self._inflight and self.states[k].next_due <= t]
            # A fixed-rate schedule: the next fetch is due refresh_s after this one started.
            for kode in due:
                st = self.states[kode]
                st.next_due = max(st.next_due + self.refresh_s, t)
                self._inflight.add(kode)
        pool = self._pool
        assert pool is not None   # start() creates the pool before the scheduler thread runs
        for kode in due:
            pool.submit(self._scheduled_fetch, kode)

    def _scheduled_fetch(self, kode: str) -> None:
        with self._lock:
            self.active += 1
            self.peak_active = max(self.peak_active, self.active)
        try:
            result = self.fetch_one(kode)
            if not result.ok:
                with self._lock:
                    st = self.states.get(kode)
                    if st is not None:  # failing cameras are retried less often
                        backoff = min(self.refresh_s * 2 ** min(st.failures - 1, 6), THRESHOLDS.cctv_backoff_max_s)
                        st.next_due = time.monotonic() + backoff
        except Exception:  # a fetch must never stop the wall
            log.exception("cctv fetch %s failed unexpectedly", kode)
        finally:
            with self._lock:
                self._inflight.discard(kode)
                self.active -= 1

    @property
    def inflight(self) -> int:
        return len(self._inflight)

    # --- health records -------------------------------------------------------------------
    def flush(self) -> int:
        """Write the pending check rows in one transaction; returns how many."""
        with self._lock:
            rows, self._pending = self._pending, []
        if not rows:
            return 0
        try:
            con = self.connect()  # inside: a missing database keeps the rows for the next flush
            with db.WRITE_LOCK:
                cur = con.cursor()
                try:
                    cur.execute("BEGIN TRANSACTION")
                    cur.executemany("INSERT INTO cctv_checks VALUES (?, ?, ?, ?, ?)", rows)
                    cur.execute("COMMIT")
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                finally:
                    cur.close()
        except Exception:
            with self._lock:  # keep them for the next flush rather than lose them
                self._pending = rows + self._pending
            raise
        with self._lock:
            self.generation += 1
        return len(rows)

    def prune(self, keep_days: int = THRESHOLDS.cctv_keep_days) -> None:
        cutoff = self.clock() - timedelta(days=keep_days)
        with db.WRITE_LOCK:
            cur = self.connect().cursor()
            try:
                cur.execute("DELETE FROM cctv_checks WHERE checked_at < ?", [cutoff])
            finally:
                cur.close()

    # --- the background thread ------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="cctv-fetch")
        self._thread = threading.Thread(target=self._loop, name="cctv-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        try:
            self.flush()
        except db.DatabaseUnavailable as exc:
            log_unavailable("cctv (stopping; last checks not written)", exc)
        except Exception:
            log.exception("cctv: could not write the last checks")

    def _data_version(self) -> int:
        cur = self.connect().cursor()
        try:
            return db.data_version(cur)
        finally:
            cur.close()

    def _loop(self) -> None:
        next_registry = next_flush = next_version = 0.0
        seen_version: int | None = None
        next_health = time.monotonic() + 2
        next_prune = time.monotonic() + 60
        while self.ready is not None and not self._stop.is_set() and not self.ready():
            self._stop.wait(0.5)  # the app's own server (the simulator) is not listening yet
        while not self._stop.is_set():
            t = time.monotonic()
            try:
                if t >= next_version:
                    # A camera uploaded (or changed) is fetched, and judged, within seconds,
                    # not at the next half-minute reload.
                    version = self._data_version()
                    if version != seen_version:
                        seen_version, next_registry = version, t
                    next_version = t + REGISTRY_CHECK_S
                if t >= next_registry:
                    self.load_registry()
                    next_registry = t + 30
                self._submit_due()
                if t >= next_flush:
                    self.flush()
                    next_flush = t + self.flush_s
                if t >= next_prune:
                    self.prune()
                    next_prune = t + 3600
                if t >= next_health and not self._health_busy.is_set():
                    # Uptime over 7 days reads every check: computed beside the scheduler,
                    # never in a page's script run (pages read the result).
                    self._health_busy.set()
                    threading.Thread(target=self._refresh_health, name="cctv-health", daemon=True).start()
                    next_health = t + HEALTH_EVERY_S
            except db.DatabaseUnavailable as exc:
                log_unavailable("cctv", exc)
                next_registry = t + 5
            except Exception:
                log.exception("cctv scheduler")
            self._stop.wait(0.2)

    def _refresh_health(self) -> None:
        try:
            cur = self.connect().cursor()
            try:
                rows = cctv.health(cur, self.clock())
            finally:
                cur.close()
            with self._lock:
                self.health_rows = rows
        except db.DatabaseUnavailable as exc:
            log_unavailable("cctv health", exc)
        except Exception:
            log.exception("cctv: health not computed")
        finally:
            self._health_busy.clear()

    # --- what pages read ------------------------------------------------------------------
    def state(self, kode: str) -> CameraState | None:
        with self._lock:
            st = self.states.get(kode)
            return None if st is None else CameraState(**vars(st))


_service: CameraService | None = None


def service() -> CameraService | None:
    """The process's running camera service, if any (started by warroom.api.lifespan)."""
    return _service


def set_service(svc: CameraService | None) -> None:
    global _service
    _service = svc
