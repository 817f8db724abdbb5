"""Load: N concurrent sessions speaking Streamlit's websocket protocol against the app
started as the README starts it, on a fresh demo database.

Wall clients open /layar and follow the server's fragment auto-reruns (as the browser
does for st.fragment(run_every=...)); leader clients switch pages and filters. Reports
script-run round-trip percentiles, errors (exception elements, page not found, broken
sockets), and the server's CPU and memory at start and end. Clients join over the first
`--ramp` seconds; beside them one real Chromium (bench/people.py) shows a wall and a leader's
pages, to confirm what people see under that load.

    python -m bench.load --walls 10 --leaders 20 --seconds 180 --browsers 2
"""
from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import people
from devtools.devserver import AppServer, build_demo_db

LEADER_VIEWS = [
    ("ringkasan", ""),
    ("covid", ""),
    ("covid", "area=73.71.01"),
    ("covid", "area=73.71.14"),
    ("peta", ""),
    ("peta", "level=kelurahan"),
    ("kinerja", ""),
    ("cctv", ""),
]
WALL_QUERY = "embed=true&panels=ringkasan,peta,covid,kinerja&rotate=5&refresh=5"


class Stats:
    def __init__(self):
        self.runs: list[float] = []
        self.errors: list[str] = []


async def _run_once(ws, state: ClientState, stats: Stats, fragments: dict) -> None:
    """Send one rerun request and read messages until the run finishes."""
    start = time.perf_counter()
    await ws.send(BackMsg(rerun_script=state).SerializeToString())
    while True:
        msg = ForwardMsg.FromString(await asyncio.wait_for(ws.recv(), timeout=60))
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                and msg.delta.new_element.WhichOneof("type") == "exception":
            stats.errors.append(f"exception: {msg.delta.new_element.exception.message[:120]}")
        elif kind == "page_not_found":
            stats.errors.append(f"page not found: {state.page_name}")
        elif kind == "auto_rerun":
            fragments[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "script_finished":
            if msg.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                stats.runs.append(time.perf_counter() - start)
                return
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                stats.errors.append("compile error")
                return


async def leader(url: str, seconds: float, stats: Stats, seed: int, delay: float = 0.0) -> None:
    rnd = random.Random(seed)
    end = time.time() + seconds
    await asyncio.sleep(delay)
    try:
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
            while time.time() < end:
                page, query = rnd.choice(LEADER_VIEWS)
                await _run_once(ws, ClientState(page_name=page, query_string=query), stats, {})
                await asyncio.sleep(rnd.uniform(3.0, 10.0))  # a person reading the screen before the next click
    except Exception as exc:  # a broken session is an error, not a crash of the benchmark
        stats.errors.append(f"leader socket: {type(exc).__name__}: {exc}")


async def wall(url: str, seconds: float, stats: Stats, delay: float = 0.0) -> None:
    end = time.time() + seconds
    fragments: dict[str, float] = {}
    await asyncio.sleep(delay)
    try:
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
            await _run_once(ws, ClientState(page_name="layar", query_string=WALL_QUERY), stats, fragments)
            next_due = {fid: time.time() + iv for fid, iv in fragments.items()}
            while time.time() < end:
                if not next_due:
                    await asyncio.sleep(5)
                    await _run_once(ws, ClientState(page_name="layar", query_string=WALL_QUERY), stats, fragments)
                    next_due = {fid: time.time() + iv for fid, iv in fragments.items()}
                    continue
                fid, due = min(next_due.items(), key=lambda kv: kv[1])
                await asyncio.sleep(max(0.0, due - time.time()))
                await _run_once(ws, ClientState(page_name="layar", query_string=WALL_QUERY, fragment_id=fid),
                                stats, fragments)
                next_due[fid] = time.time() + fragments.get(fid, 5)
    except Exception as exc:
        stats.errors.append(f"wall socket: {type(exc).__name__}: {exc}")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def measure(walls: int, leaders: int, seconds: float, db: Path | None = None, ramp: float = 15.0,
            browsers: int = 2) -> dict:
    """Clients join one after another over the first `ramp` seconds (screens switched on and
    people arriving), not all in the same millisecond on a cold server."""
    with tempfile.TemporaryDirectory() as tmp:
        if db is None:
            db = Path(tmp) / "warroom.duckdb"
            build_demo_db(db)
        server = AppServer(db, Path(tmp) / "server.log")
        try:
            url = server.url.replace("http", "ws") + "/_stcore/stream"
            rss_start, cpu_start, t0 = server.rss_mb(), server.cpu_seconds(), time.time()
            walls_stats, leader_stats, seen = Stats(), Stats(), people.Seen()
            rss: list[tuple[float, float]] = []

            async def sample_memory():
                while time.time() - t0 < seconds + ramp:
                    rss.append((time.time() - t0, server.rss_mb()))
                    await asyncio.sleep(2)

            async def main():
                n = walls + leaders
                wall_slots = [i * n // walls for i in range(walls)]  # walls spread among the leaders
                leader_slots = [k for k in range(n) if k not in wall_slots]
                await asyncio.gather(sample_memory(),
                                     *[wall(url, seconds, walls_stats, ramp * k / n) for k in wall_slots],
                                     *[leader(url, seconds, leader_stats, i, ramp * k / n)
                                       for i, k in enumerate(leader_slots)],
                                     *([people.watch(server.url, seconds, seen, wall_query=WALL_QUERY, views=LEADER_VIEWS,
                                                     browsers=browsers, delay=ramp)] if browsers else []))
            asyncio.run(main())
            elapsed = time.time() - t0
            rss_end, cpu_end = server.rss_mb(), server.cpu_seconds()
        finally:
            server.stop()
    runs = walls_stats.runs + leader_stats.runs
    # Warm: every client has joined and seen each view a few times (a third of the run in).
    warm_at = ramp + seconds / 3
    rss_warm = next((mb for t, mb in rss if t >= warm_at), rss_end)
    return {
        "runs": len(runs), "errors": walls_stats.errors + leader_stats.errors,
        "p50": percentile(runs, 50), "p95": percentile(runs, 95), "max": max(runs) if runs else float("nan"),
        "leader_p95": percentile(leader_stats.runs, 95), "wall_p95": percentile(walls_stats.runs, 95),
        "cpu_share": (cpu_end - cpu_start) / elapsed, "rss_start": rss_start, "rss_end": rss_end,
        "rss_warm": rss_warm, "rss_max": max((mb for _, mb in rss), default=rss_end), "warm_at": warm_at,
        "browsers": browsers, "browser_loads": seen.page_loads, "browser_panels": sorted(seen.wall_panels),
        "browser_problems": seen.problems,
    }


def run(smoke: bool) -> list[dict]:
    walls, leaders, seconds, ramp = (2, 3, 30, 5) if smoke else (10, 20, 180, 15)
    m = measure(walls, leaders, seconds, ramp=ramp, browsers=2)
    label = f"{walls} walls + {leaders} leaders + {m['browsers']} Chromium tabs, {seconds}s"
    return [
        {"benchmark": "load", "measure": f"script runs ({label})", "ours": m["runs"], "note": "completed reruns"},
        {"benchmark": "load", "measure": "errors", "ours": len(m["errors"]), "goal": "0",
         "note": "; ".join(sorted(set(m["errors"])))[:200]},
        {"benchmark": "load", "measure": "run p50 s", "ours": m["p50"]},
        {"benchmark": "load", "measure": "run p95 s (all / leaders / walls)", "ours": m["p95"],
         "goal": "< 2 s", "note": f"leaders {m['leader_p95']:.2f} s, walls {m['wall_p95']:.2f} s"},
        {"benchmark": "load", "measure": "Chromium: full page load until drawn, p50 s", "ours": percentile(m["browser_loads"], 50),
         "note": f"{len(m['browser_loads'])} loads (p95 {percentile(m['browser_loads'], 95):.1f} s, HTML+JS+socket+run); "
                 f"wall panels seen: {', '.join(m['browser_panels'])}"},
        {"benchmark": "load", "measure": "Chromium: exception boxes or empty charts", "ours": len(m["browser_problems"]),
         "goal": "0", "note": "; ".join(sorted(set(m["browser_problems"])))[:200]},
        {"benchmark": "load", "measure": "server CPU (cores busy)", "ours": m["cpu_share"], "note": "of 2 cores"},
        {"benchmark": "load", "measure": "server RSS MB end vs warm", "ours": m["rss_end"], "baseline": m["rss_warm"],
         "ratio": m["rss_end"] / m["rss_warm"], "goal": "flat (< 1.10 after warm-up)",
         "note": f"cold start {m['rss_start']:.0f} MB; warm = {m['warm_at']:.0f} s in; max {m['rss_max']:.0f} MB"},
    ]


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--walls", type=int, default=10)
    ap.add_argument("--leaders", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=180)
    ap.add_argument("--db", type=Path, default=None, help="an existing database to copy-free serve (default: fresh demo)")
    ap.add_argument("--ramp", type=float, default=15.0, help="seconds over which the clients join")
    ap.add_argument("--browsers", type=int, default=2, choices=(0, 1, 2),
                    help="Chromium tabs beside the protocol clients: 1 = a wall, 2 = a wall and a leader")
    a = ap.parse_args()
    result = measure(a.walls, a.leaders, a.seconds, a.db, a.ramp, a.browsers)
    errors = result.pop("errors")
    loads = result.pop("browser_loads")
    print(f"{'browser p95':>12}: {percentile(loads, 95):.3f} s over {len(loads)} page loads")
    for k, v in result.items():
        print(f"{k:>12}: {v:.3f}" if isinstance(v, float) else f"{k:>12}: {v}")
    print(f"{'errors':>12}: {len(errors)}", *sorted(set(errors))[:10], sep="\n  ")
