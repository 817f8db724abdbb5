"""CCTV wall: 200 cameras refreshing every 5 s, fetched by the app's own camera service from
its own simulator (each frame delayed like a camera on a city network), on this machine.

Side by side: our bounded pool of fetch threads (cctv_workers) against the baseline of one
fetch at a time (a naive loop over the cameras). Both run the app as the README starts it,
each on a free port, against a database of 200 online simulated cameras. Sampled twice
a second from /api/cctv/status.json: the age of the oldest picture a tile would draw, fetch
concurrency; and the server's CPU and memory from /proc. The server's CPU includes drawing
the simulator's 40 frames a second (in a real deployment the cameras do that).

    python -m bench.cctv [--smoke] [--cameras 200] [--delay-ms 150] [--seconds 60]
"""
from __future__ import annotations

import argparse
import json
import os
import time
import urllib.request
from collections import Counter
from pathlib import Path

from devtools.devserver import AppServer
from warroom import cctv, db, lineage, reference
from warroom.config import THRESHOLDS

WORK = Path("/tmp/cctv/bench")
REDRAW_S = THRESHOLDS.cctv_refresh_s / 2   # warroom.ui.panels.cctv.REDRAW_S (no Streamlit import here)


def build_db(path: Path, cameras: int) -> None:
    if path.exists():
        path.unlink()
    con = db.open_store(path, create=True)
    try:
        reference.load_reference(con)
        kel = [r[0] for r in con.execute("SELECT kode_wilayah FROM wilayah WHERE tingkat = 'kelurahan' "
                                         "ORDER BY kode_wilayah").fetchall()]
        upload = lineage.new_upload(con, dataset="cctv", kode_opd="DISHUB", username="bench", file_name=None,
                                    sha256=None, status="accepted", rows_total=cameras, is_demo=True)
        rows = [(f"BENCH-{i:03d}", f"Kamera uji {i}", -5.14 + (i % 20) * 0.002, 119.42 + (i // 20) * 0.002,
                 kel[i % len(kel)], "online", f"{cctv.CAMSIM_MARKER}BENCH-{i:03d}.jpg", upload)
                for i in range(cameras)]
        con.executemany("INSERT INTO cctv (kode_cctv, nama_lokasi, latitude, longitude, kode_wilayah, status, "
                        "url_stream, terakhir_aktif, sumber_opd, upload_id) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, "
                        "'DISHUB', ?)", rows)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def status(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/api/cctv/status.json", timeout=5) as r:
        return json.loads(r.read())


def measure(label: str, workers: int, cameras: int, delay_ms: int, seconds: float, warmup: float) -> dict:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"{label}.duckdb"
    build_db(path, cameras)
    saved = {k: os.environ.get(k) for k in ("WARROOM_CCTV_WORKERS", "WARROOM_CAMSIM_DELAY_MS")}
    os.environ.update(WARROOM_CCTV_WORKERS=str(workers), WARROOM_CAMSIM_DELAY_MS=str(delay_ms))
    try:
        server = AppServer(path, WORK / f"{label}.log")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    try:
        # The goal holds "while all cameras answer": sample once every camera has a picture
        # (or after `warmup` seconds, when some never got one: that is then reported).
        started = time.time()
        while time.time() - started < warmup:
            if all(c["picture_age_s"] is not None for c in status(server.url)["cameras"]):
                break
            time.sleep(0.5)
        first_complete = time.time() - started
        cpu0, t0, fetches0 = server.cpu_seconds(), time.time(), status(server.url)["fetches"]
        oldest, missing, active, rss = 0.0, 0, [], []
        while time.time() - t0 < seconds:
            s = status(server.url)
            ages = [c["picture_age_s"] for c in s["cameras"]]
            missing = max(missing, sum(a is None for a in ages))
            oldest = max(oldest, max((a for a in ages if a is not None), default=float("inf")))
            active.append(s["active"])
            rss.append(server.rss_mb())
            time.sleep(0.5)
        s = status(server.url)
        elapsed = time.time() - t0
        errors = Counter(c["error"] for c in s["cameras"] if c["error"])
        return {"oldest_s": oldest, "missing": missing, "peak_active": s["peak_active"],
                "mean_active": sum(active) / len(active), "cpu_pct": 100 * (server.cpu_seconds() - cpu0) / elapsed,
                "rss_mb": max(rss), "fetch_per_s": (s["fetches"] - fetches0) / elapsed,
                "cache_mb": s["cache_bytes"] / 1e6, "workers": s["workers"],
                "first_complete_s": first_complete, "failing": sum(errors.values()), "errors": dict(errors),
                "latency_ms": sorted(c["latency_ms"] or 0 for c in s["cameras"])[len(s["cameras"]) // 2]}
    finally:
        server.stop()


def run(smoke: bool, cameras: int = 200, delay_ms: int = 150, seconds: float | None = None) -> list[dict]:
    seconds = seconds or (12 if smoke else 60)
    refresh = THRESHOLDS.cctv_refresh_s
    warmup = 30 if smoke else 60
    ours = measure("ours", THRESHOLDS.cctv_workers, cameras, delay_ms, seconds, warmup)
    base = measure("baseline", 1, cameras, delay_ms, seconds, warmup)
    note = f"{cameras} cameras, refresh {refresh:g} s, {delay_ms} ms camera latency, {seconds:g} s sampled"

    def row(measure_, a, b, goal="", extra=""):
        ratio = (a / b) if b not in (0, None) and a is not None and b != float("inf") else None
        return {"benchmark": "cctv", "measure": measure_, "ours": a, "baseline": b, "ratio": ratio,
                "goal": goal, "note": extra or note}

    return [
        row("oldest picture a tile draws (s)", ours["oldest_s"], base["oldest_s"], f"<= {2 * refresh:g}"),
        row("oldest on screen, worst case (s)", ours["oldest_s"] + REDRAW_S, base["oldest_s"] + REDRAW_S,
            f"<= {2 * refresh:g}", f"drawn age + the tiles' redraw interval ({REDRAW_S:g} s)"),
        row("every camera has a picture after (s)", ours["first_complete_s"], base["first_complete_s"],
            f"<= {2 * refresh:g}", f"from the app answering; sampling starts then (at most {warmup} s)"),
        row("cameras without a picture", ours["missing"], base["missing"], "0"),
        row("cameras failing at the end", ours["failing"], base["failing"], "0",
            f"ours {ours['errors'] or 'none'}; baseline {base['errors'] or 'none'}"),
        row("fetch time, median (ms)", ours["latency_ms"], base["latency_ms"], "",
            f"{delay_ms} ms of it is the simulated camera"),
        row("fetches per second", ours["fetch_per_s"], base["fetch_per_s"], f">= {cameras / refresh:g}"),
        row("fetch concurrency, peak", ours["peak_active"], base["peak_active"], f"<= {ours['workers']}"),
        row("fetch concurrency, mean", ours["mean_active"], base["mean_active"]),
        row("server CPU (% of one core)", ours["cpu_pct"], base["cpu_pct"], "",
            "includes drawing the simulator's frames"),
        row("server RSS, peak (MB)", ours["rss_mb"], base["rss_mb"]),
        row("snapshot cache (MB)", ours["cache_mb"], base["cache_mb"], f"<= {THRESHOLDS.cctv_cache_bytes / 1e6:g}"),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--cameras", type=int, default=200)
    ap.add_argument("--delay-ms", type=int, default=150)
    ap.add_argument("--seconds", type=float, default=None)
    args = ap.parse_args()
    for r in run(args.smoke, args.cameras, args.delay_ms, args.seconds):
        print(f"{r['measure']:<36} ours {r['ours']!s:>10.10}  baseline {r['baseline']!s:>10.10}  "
              f"goal {r['goal']:<8} {r['note']}")


if __name__ == "__main__":
    main()
