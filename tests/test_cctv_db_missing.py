"""While the database file is missing, the camera simulator answers 503 and the fetcher keeps
retrying, and the log says so once a minute, not on every try (issue 15, item 9)."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest
from test_cctv_camsim import call

from warroom import camsim, cctv, db
from warroom.cctv import fetcher as cctv_fetcher
from warroom.cctv.fetcher import CameraService


def _missing():
    raise db.DatabaseUnavailable("missing", "/nowhere/warroom.duckdb")


@pytest.fixture(autouse=True)
def fresh_log_clock(monkeypatch):
    monkeypatch.setattr(cctv_fetcher, "_db_logged_at", None)


def _records(caplog):
    return [r for r in caplog.records if r.name.startswith("warroom")]


def test_the_simulator_answers_503_and_logs_one_line(monkeypatch, caplog):
    monkeypatch.setattr(camsim, "_connect", _missing)
    monkeypatch.setattr(camsim, "_registry_at", 0.0)
    caplog.set_level(logging.DEBUG)
    answers = {call(camsim.frame, kode=f"SIM-{i % 7}").status_code for i in range(200)}
    assert answers == {503}
    records = _records(caplog)
    assert [(r.levelname, r.exc_info) for r in records] == [("WARNING", None)]
    assert "database unavailable (missing)" in records[0].getMessage()


class _Ticks:
    """Stands in for the scheduler's stop event: lets the loop run `n` rounds, then stops it."""

    def __init__(self, n: int):
        self.n = n

    def is_set(self) -> bool:
        return self.n <= 0

    def wait(self, timeout=None) -> bool:
        self.n -= 1
        return self.is_set()

    def set(self) -> None:
        self.n = 0

    def clear(self) -> None:
        pass


def test_the_fetcher_retrying_a_missing_database_logs_one_line(caplog):
    svc = CameraService(_missing, cctv.FetchPolicy(), flush_s=0.0,
                        clock=lambda: datetime(2026, 11, 28, 2, tzinfo=timezone.utc))
    svc._pending = [("CAM-1", datetime(2026, 11, 28, 2, tzinfo=timezone.utc), True, 1.0, None)]
    svc._stop = _Ticks(300)          # 300 rounds: a minute of retries at 200 ms
    caplog.set_level(logging.DEBUG)
    svc._loop()
    svc._refresh_health()
    records = _records(caplog)
    assert [(r.levelname, r.exc_info) for r in records] == [("WARNING", None)]
    assert "cctv: database unavailable (missing)" in records[0].getMessage()
    assert len(svc._pending) == 1    # the unwritten check is kept for later, not lost


def test_after_a_minute_it_is_said_again(monkeypatch, caplog):
    moments = iter([1000.0, 1030.0, 1061.0])
    monkeypatch.setattr(cctv_fetcher.time, "monotonic", lambda: next(moments))
    caplog.set_level(logging.DEBUG)
    exc = db.DatabaseUnavailable("missing", "/nowhere/warroom.duckdb")
    for _ in range(3):
        cctv_fetcher.log_unavailable("camsim", exc)
    assert len(_records(caplog)) == 2
