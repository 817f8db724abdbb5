"""Demo build speed: the vectorised generator (numpy + one DataFrame insert per block)
against the row-by-row way (the same rows inserted with executemany), side by side.

    python -m bench.demo [--smoke]

Times are CPU seconds of this process (all threads), steadier than wall time on a
shared machine. The 10-million-row Covid table (`init --demo --scale 90`) is only reachable when the
build runs at hundreds of thousands of rows per second; the baseline shows why.
"""
from __future__ import annotations

import argparse
import time
from datetime import date

from warroom import db, demo, reference

AS_OF = date(2026, 11, 28)
TEN_MILLION = 10_000_000


def _store():
    con = db.open_store(":memory:", create=True)
    reference.load_reference(con)
    return con


def _ours(scale: int) -> tuple[float, int]:
    con = _store()
    start = time.process_time()
    counts = demo.load_demo(con, as_of=AS_OF, scale=scale, seed=7371)
    seconds = time.process_time() - start
    con.close()
    return seconds, counts["covid19_harian"]


def _row_by_row(sample: int) -> tuple[float, int]:
    """Insert `sample` of the same demo rows one statement per row (what a naive loader does)."""
    source = _store()
    demo.load_demo(source, as_of=AS_OF, scale=1, seed=7371)
    rows = source.execute("SELECT * FROM covid19_harian ORDER BY tanggal, kode_wilayah LIMIT ?", [sample]).fetchall()
    source.close()
    target = _store()
    placeholders = ", ".join("?" * len(rows[0]))
    start = time.process_time()
    with db.write_transaction(target):
        target.executemany(f"INSERT INTO covid19_harian VALUES ({placeholders})", rows)
    seconds = time.process_time() - start
    target.close()
    return seconds, len(rows)


def run(smoke: bool) -> list[dict]:
    big, sample = (4, 2_000) if smoke else (10, 20_000)
    _ours(1)                                   # warm-up: imports, file caches
    small_s, small_rows = _ours(1)
    big_s, big_rows = _ours(big)
    base_s, base_rows = _row_by_row(sample)
    # Each extra scale step only adds Covid rows, so the difference is the generator's own rate.
    marginal_rate = (big_rows - small_rows) / max(big_s - small_s, 1e-9)
    base_rate = base_rows / base_s
    ours_10m = small_s + (TEN_MILLION - small_rows) / marginal_rate
    return [
        {"benchmark": "demo", "measure": "demo build at --scale 1 (CPU s)", "ours": small_s, "baseline": None,
         "ratio": None, "goal": "a few seconds", "note": f"{small_rows:,} covid rows + the other datasets"},
        {"benchmark": "demo", "measure": f"covid rows/s (--scale {big} minus 1) vs executemany",
         "ours": marginal_rate, "baseline": base_rate, "ratio": marginal_rate / base_rate, "goal": "ratio > 10",
         "note": f"baseline: {base_rows:,} of the same rows inserted one statement each"},
        {"benchmark": "demo", "measure": "estimated CPU seconds for 10M covid rows",
         "ours": ours_10m, "baseline": TEN_MILLION / base_rate, "ratio": (TEN_MILLION / base_rate) / ours_10m,
         "goal": "ours < 300", "note": "extrapolated; `init --demo --scale 90` measured in README 'Data choices'"},
    ]


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--smoke", action="store_true")
    for row in run(ap.parse_args().smoke):
        print(row)
