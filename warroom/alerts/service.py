"""The alert service: evaluates every rule in the app's process and announces changes.

Started by warroom.api.lifespan (WARROOM_ALERTS_RUN=0 leaves it off). One thread looks at
the data version every POLL_S seconds: a new version (an accepted upload, a rollback) is
evaluated at once; otherwise every EVERY_S seconds for the rules that change with the clock
(a permit comes within 30 days, a camera stays dark, a report becomes late).
`run_once` is the whole step (evaluate, record, deliver), called by the thread and by tests.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime

import duckdb

from warroom import db
from warroom.alerts import deliver, rules, store
from warroom.config import now as clock_now

log = logging.getLogger("warroom.alerts")
POLL_S = 2.0
EVERY_S = 60.0


def _cctv_rows() -> list[dict] | None:
    """The camera service's latest health rows when it runs (it computes them every minute)."""
    from warroom.cctv import fetcher as cctv_fetcher
    svc = cctv_fetcher.service()
    return getattr(svc, "health_rows", None) if svc is not None else None


def run_once(con: duckdb.DuckDBPyConnection, config: rules.Config, *, at: datetime | None = None,
             sender: deliver.Sender | None = None, sleep: Callable[[float], None] = time.sleep,
             send: bool = True, kinds: frozenset[str] | None = None
             ) -> tuple[rules.Evaluation, list[deliver.Message]]:
    """Evaluate every rule (or those of `kinds`), record what started and ended, and (unless
    send=False) announce it."""
    at = at or clock_now()
    store.ensure_tables(con)
    evaluation = rules.evaluate(con, config, rules.Context(at, cctv_rows=_cctv_rows()), kinds=kinds)
    store.sync(con, evaluation, at, {r.name for r in config.rules})
    if not send:
        return evaluation, []
    kw = {"sender": sender} if sender is not None else {}
    return evaluation, deliver.deliver_pending(con, config, at, sleep=sleep, **kw)


class AlertService:
    def __init__(self, connect: Callable[[], duckdb.DuckDBPyConnection], *, poll_s: float = POLL_S,
                 every_s: float = EVERY_S):
        self.connect, self.poll_s, self.every_s = connect, poll_s, every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_run: datetime | None = None
        self.last_version: int | None = None
        self.last_error: str | None = None
        self.runs = 0

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="alerts", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def step(self) -> bool:
        """Evaluate when the data changed or the minute passed; True when it evaluated."""
        cur = self.connect().cursor()
        try:
            version = db.data_version(cur)
            due = self.last_run is None or (time.monotonic() - self._last_mono) >= self.every_s
            if version == self.last_version and not due:
                return False
            config = rules.load_config()
            # new data: every rule; only the minute passed: the rules that change with the clock
            run_once(cur, config, kinds=None if version != self.last_version else rules.TIME_BASED)
            # the version read before: an upload landing during the evaluation is evaluated next
            # time (the evaluation's own Covid table refresh costs one more evaluation, once)
            self.last_version = version
            self.last_run, self._last_mono, self.last_error = clock_now(), time.monotonic(), None
            self.runs += 1
            return True
        finally:
            cur.close()

    _last_mono = 0.0

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.step()
            except rules.AlertsConfigError as exc:
                if self.last_error != str(exc):
                    log.error("alerts: %s", exc.text("en"))
                self.last_error = str(exc)
                self.last_run, self._last_mono = clock_now(), time.monotonic()
            except db.DatabaseUnavailable as exc:
                log.warning("alerts: database unavailable (%s); retrying", exc.reason)
            except Exception:
                log.exception("alerts: evaluation failed")
                self._last_mono = time.monotonic()
                self.last_run = self.last_run or clock_now()
            self._stop.wait(self.poll_s)


_service: AlertService | None = None


def service() -> AlertService | None:
    return _service


def start() -> AlertService | None:
    global _service
    if os.environ.get("WARROOM_ALERTS_RUN", "1") == "0":
        log.info("alerts: evaluation is off (WARROOM_ALERTS_RUN=0)")
        return None
    from warroom import store as data
    _service = AlertService(data.connection)
    _service.start()
    log.info("alerts: evaluating after every write and every %ss", int(EVERY_S))
    return _service


def stop() -> None:
    global _service
    if _service is not None:
        _service.stop()
        _service = None


def check(con: duckdb.DuckDBPyConnection, config: rules.Config, *, read_only: bool = True,
          at: datetime | None = None) -> list[dict]:
    """`alerts check`: every rule now, nothing written, nothing sent; one row per firing alert
    and object, `since` from the recorded history when the app recorded it, else from the data,
    else now."""
    at = at or clock_now()
    evaluation = rules.evaluate(con, config, rules.Context(at, read_only=read_only, cctv_rows=_cctv_rows()))
    recorded = store.started_at(con)
    return [store.finding_row(f, recorded.get(f.key) or f.since or at) for f in evaluation.findings]
