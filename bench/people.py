"""Real browsers during the load benchmark: what a person at a screen sees while the
protocol-level clients keep the server busy.

One Chromium with two tabs at 1920x1080: a wall following its rotation, and a leader
opening the same views as the protocol leaders, one full page load at a time. Reports
how long each page took until Streamlit finished drawing it, the wall panels seen,
and any exception box or empty chart on screen.
"""
from __future__ import annotations

import asyncio
import random
import shutil
import time
from dataclasses import dataclass, field

from devtools.devserver import CHROMIUM_ARGS

SETTLED = ("() => { const a = document.querySelector('[data-testid=stApp]');"
           " return a && a.getAttribute('data-test-connection-state') === 'CONNECTED'"
           " && a.getAttribute('data-test-script-state') === 'notRunning'; }")
# Plotly charts with no trace drawn (the same check as tests/browser/test_pages.py).
EMPTY_PLOTS = ("() => [...document.querySelectorAll('.js-plotly-plot')]"
               ".filter(p => !p.querySelector('.cartesianlayer g.trace .point, .cartesianlayer g.trace path.js-line,"
               " .cartesianlayer g.trace path.js-fill')).length")


@dataclass
class Seen:
    page_loads: list[float] = field(default_factory=list)   # seconds until the page settled
    wall_panels: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


async def _check(page, where: str, seen: Seen) -> None:
    boxes = await page.locator("[data-testid=stException]").count()
    if boxes:
        seen.problems.append(f"{where}: {boxes} exception box(es)")
    empty = await page.evaluate(EMPTY_PLOTS)
    if empty:
        seen.problems.append(f"{where}: {empty} chart(s) drawn empty")


async def _wall_tab(browser, base_url: str, query: str, seconds: float, seen: Seen) -> None:
    page = await browser.new_page(viewport={"width": 1920, "height": 1080})
    end = time.time() + seconds
    start = time.perf_counter()
    await page.goto(f"{base_url}/layar?{query}")
    await page.wait_for_selector(".wr-wallbar", timeout=120_000)
    seen.page_loads.append(time.perf_counter() - start)
    while time.time() < end:
        await asyncio.sleep(2)
        panel = await page.evaluate(
            "() => (document.querySelector('.wr-wallbar[data-shown=true]') || {dataset: {}}).dataset.panel || ''")
        if panel:
            seen.wall_panels.add(panel)
        if await page.locator("[data-testid=stException]").count():
            seen.problems.append(f"wall ({panel}): exception box")
    await page.close()


async def _leader_tab(browser, base_url: str, views, seconds: float, seen: Seen, seed: int) -> None:
    rnd = random.Random(seed)
    page = await browser.new_page(viewport={"width": 1920, "height": 1080})
    end = time.time() + seconds
    while time.time() < end:
        name, query = rnd.choice(views)
        start = time.perf_counter()
        await page.goto(f"{base_url}/{name}" + (f"?{query}" if query else ""))
        await page.wait_for_function(SETTLED, timeout=120_000)
        seen.page_loads.append(time.perf_counter() - start)
        await page.wait_for_timeout(1500)  # let charts finish drawing before looking at them
        await _check(page, f"/{name}?{query}", seen)
        await asyncio.sleep(rnd.uniform(3.0, 10.0))
    await page.close()


async def watch(base_url: str, seconds: float, seen: Seen, *, wall_query: str, views, browsers: int,
                delay: float = 0.0) -> None:
    """`browsers` = 1: a wall tab; 2: a wall tab and a leader tab (one Chromium)."""
    from playwright.async_api import async_playwright
    await asyncio.sleep(delay)
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                              args=CHROMIUM_ARGS)
            tabs = [_wall_tab(browser, base_url, wall_query, seconds - delay, seen)]
            if browsers > 1:
                tabs.append(_leader_tab(browser, base_url, views, seconds - delay, seen, seed=99))
            await asyncio.gather(*tabs)
            await browser.close()
    except Exception as exc:  # a browser that could not finish is a finding, not a crash of the benchmark
        seen.problems.append(f"browser: {type(exc).__name__}: {str(exc)[:160]}")
