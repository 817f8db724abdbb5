"""The app's pull scheduler: one thread that runs each due source, one at a time.

Started by warroom.api.lifespan (like the camera service), in the process that owns the
database; WARROOM_PULL=0 leaves it off. `tick(at)` is the whole decision (which sources
are due at `at`), so tests drive it with an injected clock and no sleeping.
"""
from __future__ import annotations

import logging
import os
import threading
from datetime import datetime
from typing import Callable

import duckdb

from warroom.config import now as clock_now
from warroom.pull import run, sources

log = logging.getLogger("warroom.pull")
TICK_S = 20.0

_service: "PullService | None" = None


class PullService:
    def __init__(self, connect: Callable[[], duckdb.DuckDBPyConnection], *, clock: Callable[[], datetime] = clock_now,
                 tick_s: float = TICK_S, fetch=None):
        self.connect, self.clock, self.tick_s, self.fetch = connect, clock, tick_s, fetch
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs = 0

    def tick(self, at: datetime | None = None) -> list[run.RunOutcome]:
        """Run every source due at `at` (default: the clock); returns their outcomes."""
        at = at or self.clock()
        cur = self.connect().cursor()
        try:
            outcomes = []
            for name in sources.due(cur, at):
                if self._stop.is_set():
                    break
                try:
                    outcome = run.run_source(cur, name, at=at, fetch=self.fetch)
                except sources.SourceError:
                    continue   # removed meanwhile
                except Exception:   # recorded with back-off by run_source; the other sources still run
                    log.exception("pull %s: run failed", name)
                    continue
                self.runs += 1
                log.info("pull %s: %s (upload %s)", name, outcome.outcome, outcome.upload_id)
                outcomes.append(outcome)
            return outcomes
        finally:
            cur.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:   # one bad tick must not end the service; it is logged and retried
                log.exception("pull: tick failed")
            self._stop.wait(self.tick_s)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="warroom-pull", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


def service() -> PullService | None:
    return _service


def start() -> PullService | None:
    global _service
    if os.environ.get("WARROOM_PULL", "1") == "0":
        log.info("pull: scheduler is off (WARROOM_PULL=0)")
        return None
    from warroom import store as data
    _service = PullService(data.connection)
    _service.start()
    log.info("pull: scheduler started (every %ss)", TICK_S)
    return _service


def stop() -> None:
    global _service
    if _service is not None:
        _service.stop()
        _service = None
