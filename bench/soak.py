"""Soak: the wall open in Chromium, rotating and refreshing every few seconds, for N minutes.

    .venv/bin/python -m bench.soak --minutes 30        # by hand (the issue's figure)
    .venv/bin/python -m bench --smoke --only soak      # one minute, in CI

Prints the server's resident memory, the browser's JS heap (after a forced GC, via the
Chrome DevTools Protocol) and the page's DOM node count at the start (after one warm-up
round through every panel, so first-use caches are not counted as growth) and at the end.
Baseline = start, ours = end; goal: growth under 10 %.

Also the change time of every panel change (warroom.wall_probe, checked on every painted
frame): from the server starting the tick to the first complete frame of the new panel;
goal: p95 within 1 s. Frames mixing two panels or showing a partly drawn one are counted.
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from devtools.devserver import CHROMIUM_ARGS, AppServer, build_demo_db
from warroom import wall_probe

PANELS = "ringkasan,peta,covid,kinerja,cctv"   # every panel of the wall
SECONDS = 5          # rotate and refresh interval during the soak
GOAL = 1.10
CHANGE_GOAL_S = 1.0
SHOWN = "() => (document.querySelector('.wr-wallbar[data-shown=true]') || {dataset: {}}).dataset.panel || 'none'"


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def _browser_memory(cdp) -> tuple[float, int]:
    """(JS heap used in MB after a full GC, DOM nodes)."""
    cdp.send("HeapProfiler.collectGarbage")
    used = cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6
    nodes = cdp.send("Memory.getDOMCounters")["nodes"]
    return used, nodes


def soak(minutes: float, db_path: Path | None = None, log=print, panels: str = PANELS) -> dict:
    from playwright.sync_api import sync_playwright
    work = Path(tempfile.mkdtemp(prefix="wall-soak-"))
    try:
        db = work / "warroom.duckdb"
        if db_path:
            shutil.copy(db_path, db)
        else:
            build_demo_db(db)
        server = AppServer(db, work / "server.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                            args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                cdp = page.context.new_cdp_session(page)
                cdp.send("HeapProfiler.enable")
                page.goto(f"{server.url}/layar?embed=true&panels={panels}&rotate={SECONDS}&refresh={SECONDS}")
                page.wait_for_selector(".wr-wallbar", timeout=120_000)

                def current() -> str:
                    # wait_for_function has a timeout (evaluate has none): a hung page fails loudly.
                    return page.wait_for_function(SHOWN, timeout=60_000).json_value()

                # Warm-up: one full round, so every panel has drawn once.
                seen, last = set(), current()
                deadline = time.time() + 600
                while len(seen) < len(panels.split(",")) and time.time() < deadline:
                    page.wait_for_timeout(1000)
                    last = current()
                    seen.add(last)

                def arrive_at(panel: str) -> None:
                    """Wait until the wall switches to `panel`: start and end are measured at the
                    same point of the rotation, so they compare the same things on screen."""
                    was = current()
                    limit = time.time() + 600
                    while time.time() < limit:
                        page.wait_for_timeout(500)
                        now_on = current()
                        if now_on == panel and was != panel:
                            page.wait_for_timeout(2000)
                            return
                        was = now_on

                first = panels.split(",")[0]
                arrive_at(first)
                page.evaluate(wall_probe.INSTALL)
                last = first
                rss0, (heap0, nodes0) = server.rss_mb(), _browser_memory(cdp)
                log(f"start: server RSS {rss0:.1f} MB, JS heap {heap0:.1f} MB, DOM nodes {nodes0}")

                changes, errors = 0, 0
                end = time.time() + minutes * 60
                next_report = time.time() + 60
                while time.time() < end:
                    page.wait_for_timeout(1000)
                    now_panel = current()
                    if now_panel and now_panel != last:
                        changes, last = changes + 1, now_panel
                    errors = max(errors, page.locator("[data-testid=stException]").count())
                    if time.time() >= next_report:
                        next_report += 60
                        heap, nodes = _browser_memory(cdp)
                        log(f"  {changes} rotations: server RSS {server.rss_mb():.1f} MB, "
                            f"JS heap {heap:.1f} MB, DOM nodes {nodes}")
                arrive_at(first)
                rss1, (heap1, nodes1) = server.rss_mb(), _browser_memory(cdp)
                frames = page.evaluate(wall_probe.RESULT)
                change_s = [(c["at"] - c["tickMs"]) / 1000 for c in frames["changes"] if c["tickMs"]]
                log(f"end:   server RSS {rss1:.1f} MB, JS heap {heap1:.1f} MB, DOM nodes {nodes1}; "
                    f"{changes} rotations, exception boxes {errors}")
                log(f"changes: {len(change_s)} measured, p50 {percentile(change_s, .5)} s, "
                    f"p95 {percentile(change_s, .95)} s, max {max(change_s, default=None)} s; "
                    f"mixed frames {len(frames['mixed'])} in {frames['frames']} frames")
                browser.close()
        finally:
            server.stop()
        return {"minutes": minutes, "rotations": changes, "exceptions": errors, "panels": panels,
                "rss": (rss0, rss1), "heap": (heap0, heap1), "nodes": (nodes0, nodes1),
                "change_s": change_s, "mixed_frames": len(frames["mixed"]), "frames": frames["frames"]}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def rows(result: dict) -> list[dict]:
    note = (f"{result['minutes']:g} min, {result['rotations']} rotations every {SECONDS}s "
            f"({result['panels']}), {result['exceptions']} exception boxes")
    out = []
    for measure, key, unit in (("server RSS", "rss", "MB"), ("browser JS heap after GC", "heap", "MB"),
                               ("browser DOM nodes", "nodes", "")):
        start, end = result[key]
        out.append({"benchmark": "soak", "measure": f"{measure} end vs start" + (f" ({unit})" if unit else ""),
                    "ours": round(end, 1), "baseline": round(start, 1),
                    "ratio": round(end / start, 3) if start else None, "goal": f"< {GOAL:.2f}", "note": note})
    p95 = percentile(result["change_s"], .95)
    out.append({"benchmark": "soak", "measure": "panel change, tick to complete frame, p95 (s)",
                "ours": None if p95 is None else round(p95, 2), "baseline": None, "ratio": None,
                "goal": f"<= {CHANGE_GOAL_S:g}",
                "note": f"{len(result['change_s'])} changes; {result['mixed_frames']} mixed frames "
                        f"in {result['frames']} painted frames"})
    return out


def run(smoke: bool) -> list[dict]:
    minutes = 1 if smoke else float(os.environ.get("WARROOM_SOAK_MINUTES", "30"))
    return rows(soak(minutes, log=lambda msg: print(f"[soak] {msg}", file=sys.stderr, flush=True)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--db", type=Path, help="use a copy of this database instead of building the demo")
    ap.add_argument("--panels", default=PANELS, help=f"panels in rotation (default {PANELS})")
    args = ap.parse_args(argv)
    for row in rows(soak(args.minutes, args.db, panels=args.panels)):
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
