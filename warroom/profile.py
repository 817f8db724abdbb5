"""Stage timings of one process, printed to stderr when WARROOM_PROFILE=1.

`mark(name)` prints the seconds since the previous mark (or since `start()`), so a stage is
timed by one line at its end. Off by default: then a mark costs one environment lookup.
bench/ingest.py runs the ingest with it on and adds the stages up per run.
"""
from __future__ import annotations

import os
import sys
import time

_last = time.perf_counter()


def enabled() -> bool:
    return os.environ.get("WARROOM_PROFILE") == "1"


def start() -> None:
    global _last
    _last = time.perf_counter()


def mark(name: str) -> None:
    global _last
    if not enabled():
        return
    now = time.perf_counter()
    sys.stderr.write(f"[profile] {name:<18} {now - _last:8.3f} s\n")
    sys.stderr.flush()
    _last = time.perf_counter()


_laps: dict[str, float] = {}


def lap(name: str) -> None:
    """Add the seconds since the previous mark to the part `name` of a stage that repeats (a
    build in pieces); `laps_done` prints each part once, in the order first seen."""
    global _last
    if not enabled():
        return
    now = time.perf_counter()
    _laps[name] = _laps.get(name, 0.0) + now - _last
    _last = now


def laps_done() -> None:
    if not enabled():
        return
    for name, seconds in _laps.items():
        sys.stderr.write(f"[profile] {name:<18} {seconds:8.3f} s\n")
    sys.stderr.flush()
    _laps.clear()
