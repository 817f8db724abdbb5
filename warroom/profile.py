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
