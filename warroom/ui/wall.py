"""The wall on screen: full-screen frame, rotating fragment, clock, freshness stamps, resilience.

The rules (settings, rotation, stamps, playlists) live in warroom.wall; this module draws.
Panels come from warroom/ui/panels/<name>.py (`render(ctx, *, wall=True)`), imported
lazily: a panel whose module does not exist yet shows a "belum tersedia" card. Panels
may read `ctx.chart_height` (CSS px of the panel area for the size hint) and `ctx.size`.

Resilience: every tick first asks the store for its data version. When that or a panel
fails, the panel is drawn again from the query cache of the last good data version
(data.pinned_version), with a discreet warning; the error goes to the server log, the
next tick retries. Nothing here ever shows a traceback.
"""
from __future__ import annotations

import html
import importlib
import logging
import re
import sys
import time
from dataclasses import dataclass
from datetime import date

import streamlit as st
import streamlit.components.v2  # noqa: F401  (st.components.v2: the viewport reporter)

from warroom import access, datasets, db, fmt, freshness, wall
from warroom.config import city, now, today
from warroom.i18n import t
from warroom.ui import data, page, session

log = logging.getLogger("warroom.wall")

STATE = "layar.state"        # one dict per session: tick counter and last good figures
LOG_EVERY_S = 60             # repeat a continuing failure in the log at most once a minute


@dataclass(frozen=True)
class WallContext(page.PageContext):
    size: str = "auto"
    chart_height: int = 720
    scale: float = 1.0          # chart fonts and marks: 1 on a 1080-CSS-px-high screen


# --- the screen's size, read in the browser ------------------------------------------
# st.context knows neither the viewport nor devicePixelRatio. A tiny component reports them
# ("1920x1080@2") after its first draw; the one rerun that follows draws at the right size.
# A 4K TV at 200 % reports 1920x1080 CSS px at DPR 2: its charts are drawn for 1080 CSS px.
HD_HEIGHT_PX = 1080
PANEL_SHARE = 720 / 1080    # the panel area's height as a share of the screen (charts fit in it)
VIEWPORT_JS = """
export default function(component) {
  window.__wrViewportSend = component.setStateValue;      // the latest mount's setter
  if (window.__wrViewportWatch) return;
  const value = () => `${Math.round(window.innerWidth)}x${Math.round(window.innerHeight)}@${window.devicePixelRatio}`;
  let tries = 0;
  // Until the server draws for this size (the swap element names it), say it again every 3 s
  // (a report sent while the first run was busy could be lost); a resize starts over.
  const check = () => {
    const swap = document.querySelector('.wr-swap');
    if (swap && swap.dataset.viewport === value()) { tries = 0; return; }
    if (tries >= 20) return;
    tries += 1;
    window.__wrViewportSent = value();
    window.__wrViewportSend('viewport', `${value()}#${tries}`);
  };
  window.__wrViewportWatch = setInterval(check, 3000);
  window.addEventListener('resize', () => { tries = 0; });
  setTimeout(check, 300);
}
"""
VIEWPORT = re.compile(r"^(\d{2,5})x(\d{2,5})@(\d{1,2}(?:\.\d{1,6})?)$")


@dataclass(frozen=True)
class Viewport:
    width: int      # CSS px
    height: int     # CSS px
    dpr: float      # device pixels per CSS px


def parse_viewport(raw) -> Viewport | None:
    """'1920x1080@2' -> Viewport(1920, 1080, 2.0); anything else (or absurd sizes) -> None."""
    match = VIEWPORT.match(str(raw or ""))
    if not match:
        return None
    w, h, dpr = int(match[1]), int(match[2]), float(match[3])
    if not (320 <= w <= 16384 and 240 <= h <= 16384 and 0.5 <= dpr <= 8):
        return None
    return Viewport(w, h, dpr)


def chart_height_px(size: str, viewport: Viewport | None) -> int:
    """CSS px of the panel area's charts. auto: from the viewport the browser reports (720 at
    1080 CSS px high); hd / 4k name the screen's physical pixels, so a 4K TV at 200 % (DPR 2)
    gets 2160 / 2 = 1080 CSS px like an HD one. Never taller than the real panel area."""
    if viewport is None:
        return wall.CHART_HEIGHT_PX[size]
    css_height = viewport.height if size == "auto" else {"hd": 1080, "4k": 2160}[size] / viewport.dpr
    return max(240, round(PANEL_SHARE * min(css_height, viewport.height)))


def _viewport_probe(state: dict) -> Viewport | None:
    """Mount the reporter (hidden) and return the latest size it reported."""
    global _viewport_component
    if _viewport_component is None:
        _viewport_component = st.components.v2.component("warroom_wall_viewport", js=VIEWPORT_JS)
    known = state.get("viewport")
    try:
        result = _viewport_component(key="wall-viewport", height=0, on_viewport_change=lambda: None)
        reported = str(getattr(result, "viewport", None) or "").split("#")[0]   # "WxH@DPR#try"
    except Exception as exc:  # a browser without the component keeps the URL's size hint
        _log_failure(state, "viewport", exc)
        reported = None
    if reported and reported != known and parse_viewport(reported):
        if state["tick"] >= 0:
            state["hold_tick"] = True      # this rerun redraws the same panel at its new size
        state["viewport"] = reported
    return parse_viewport(state.get("viewport"))


_viewport_component = None


CSS = """
<style>
html {font-size: 1.5vh;}
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarNav"], footer, #MainMenu,
[data-testid="stAppDeployButton"], [data-testid="stMainMenu"], .wr-demo {display: none !important;}
html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {
    overflow: hidden !important; background: #0b0f17 !important; color: #f2f5fa;}
[data-testid="stMain"] {height: 100vh;}
[data-testid="stMainBlockContainer"], .block-container {
    padding: 0 1.2vw !important; max-width: 100% !important; margin: 0 !important;}
[data-testid="stVerticalBlock"] {gap: .6vh;}
[data-stale="true"], .stale-element {opacity: 1 !important; transition: none !important;}
.st-key-wall-stack {display: grid !important; grid-template-columns: minmax(0, 1fr); grid-template-rows: auto;}
.st-key-wall-stack > * {grid-area: 1 / 1 / 2 / 2; min-width: 0;}
[data-testid="stElementContainer"]:has(.wr-panel-end, .wr-swap), .st-key-wall-viewport {display: none !important;}
[class*="st-key-wall-panel-"], div:has(> [class*="st-key-wall-panel-"]) {
    flex: 0 0 85vh !important; height: 85vh !important; max-height: 85vh !important; overflow: hidden !important;}
.wr-wallbar {display: flex; align-items: center; gap: 2vw; height: 11vh; border-bottom: .3vh solid #2a3245;}
.wr-wallbar .wr-where {flex: 1 1 auto; min-width: 0;}
.wr-wallbar .wr-city {font-size: 2.4vh; color: #c9d1e0; letter-spacing: .05em; text-transform: uppercase;}
.wr-wallbar .wr-title {font-size: 5vh; font-weight: 800; line-height: 1.05; white-space: nowrap;}
.wr-wallbar .wr-stamp {font-size: 2.4vh; font-weight: 700; padding: .5vh 1vw; border-radius: 1vh; color: #000;
    white-space: nowrap;}
.wr-wallbar .wr-stamp small {font-weight: 500; font-size: 2.3vh;}
.wr-wallbar .wr-dots {font-size: 2.6vh; letter-spacing: .5vw; color: #56B4E9; white-space: nowrap;}
.wr-wallbar .wr-dots .off {color: #3a4358;}
.wr-wallbar .wr-walldemo {background: #E69F00; color: #000; font-weight: 800; font-size: 2.4vh;
    padding: .3vh .8vw; border-radius: .6vh; white-space: nowrap;}
.st-key-wall-clock {position: fixed; top: 0; right: 1.2vw; height: 11vh; z-index: 10;
    display: flex; align-items: center; width: auto !important;}
.wr-clock {text-align: right; line-height: 1.05;}
.wr-clock .wr-time {font-size: 6vh; font-weight: 800; font-variant-numeric: tabular-nums;}
.wr-clock .wr-date {font-size: 2.4vh; color: #c9d1e0;}
.wr-wallbar .wr-clockspace {width: 17vw; flex: 0 0 auto;}
.wr-wallwarn {font-size: 2.3vh; color: #E69F00; height: 2.9vh; overflow: hidden; white-space: nowrap;}
.wr-wallwarn:empty {display: none;}
.wr-bigcard {height: 78vh; box-sizing: border-box; display: flex; flex-direction: column; justify-content: center; align-items: center;
    text-align: center; border: .3vh dashed #2a3245; border-radius: 1.5vh; color: #c9d1e0;}
.wr-bigcard .wr-big {font-size: 7vh; font-weight: 800; color: #f2f5fa;}
.wr-bigcard .wr-small {font-size: 3vh;}
[class*="st-key-wall-panel-"] .wr-card {padding: 1.2vh 1vw;}
[class*="st-key-wall-panel-"] .wr-card .wr-label {font-size: 2.4vh;}
[class*="st-key-wall-panel-"] .wr-card .wr-value {font-size: 7vh;}
[class*="st-key-wall-panel-"] .wr-card .wr-sub {font-size: 2.3vh;}
</style>
"""
ADMIN_CSS = """
<style>
html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {overflow: auto !important;}
[data-testid="stMain"] {height: auto;}
</style>
"""


# --- set-up ------------------------------------------------------------------------

def _state() -> dict:
    return st.session_state.setdefault(STATE, {"tick": -1, "good_version": None, "status": None,
                                               "demo": False, "playlists": {}, "failing_since": None,
                                               "logged_at": 0.0, "corrections_logged": None})


def _params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


def _playlists(state: dict) -> dict[str, str]:
    try:
        rows = data.query("wall_playlists")
        state["playlists"] = dict(zip(rows["name"], rows["query_string"]))
    except Exception as exc:  # the store is unavailable: the last list read still names the walls
        _log_failure(state, "playlists", exc)
    return state["playlists"]


def setup() -> tuple[WallContext, wall.WallSettings]:
    """Like page.setup, but never stops on a missing database: the wall must keep running."""
    st.markdown(CSS, unsafe_allow_html=True)
    state = _state()
    settings = wall.settings_for(_params(), _playlists(state))
    state["settings"] = settings
    if settings.corrections and state["corrections_logged"] != settings.corrections:
        log.warning("wall URL settings corrected: %s", settings.corrections)
        state["corrections_logged"] = settings.corrections
    try:
        username, role, kode_opd = session.current_user()
    except Exception:
        username, role, kode_opd = None, access.ANONYMOUS, None
    height = chart_height_px(settings.size, _viewport_probe(state))
    ctx = WallContext("layar", settings.lang, username, role, kode_opd, settings.size, height,
                      round(height / wall.CHART_HEIGHT_PX["hd"], 3))
    if not access.may_open("layar", role):
        from warroom.ui import signin
        signin.prompt(ctx)
        st.stop()
    return ctx, settings


# --- the rotating wall -------------------------------------------------------------

def show(ctx: WallContext, settings: wall.WallSettings) -> None:
    _clock(ctx)

    @st.fragment(run_every=settings.tick_seconds)
    def rotating() -> None:
        state = _state()
        if not state.pop("hold_tick", False):
            state["tick"] += 1
        _draw_slots(ctx, settings, state)

    rotating()


# --- double buffering -------------------------------------------------------------
# Two slots stacked in one grid cell, each with its own bar (title, stamp), warning line and
# panel. The slot on screen shows the current panel; the other is drawn with the NEXT panel,
# invisible (opacity 0, not display: none, so its charts are laid out and drawn at their real
# size; not visibility: hidden, which an element inside may override).
# At the change, the first thing the tick sends is one <style> that swaps the two: the new
# panel appears complete in one frame, and no title, stamp or chart of two panels ever share
# the screen. Both slots are then drawn again in place (same positions and keys, so the shown
# one is not redrawn) and the hidden one receives the panel after next.

def slot_plan(state: dict, current: str, following: str | None) -> tuple[int, list[str | None]]:
    """(the slot to show, what each slot holds) for this tick. The current panel goes on
    screen from the slot that already holds it (preloaded by the previous tick); the other
    slot gets the following panel (None: nothing to preload, a one-panel wall)."""
    slots = state.setdefault("slots", [None, None])
    shown = state.setdefault("shown_slot", 0)
    if slots[shown] != current:
        shown = 1 - shown if slots[1 - shown] == current else shown
    slots[shown] = current
    slots[1 - shown] = following if following != current else None
    state["shown_slot"] = shown
    return shown, list(slots)


def _draw_slots(ctx: WallContext, settings: wall.WallSettings, state: dict) -> None:
    index = wall.panel_index(state["tick"], settings)
    following = None
    if len(settings.panels) > 1:
        next_tick = (state["tick"] // settings.ticks_per_panel + 1) * settings.ticks_per_panel
        following = settings.panels[wall.panel_index(next_tick, settings)]
    shown, slots = slot_plan(state, settings.panels[index], following)
    # First, before any query: the swap (one element, so one frame) and when this tick began,
    # for bench/soak.py's change-time measure (epoch ms; the browser shares the clock).
    st.markdown(f"<style>.st-key-wall-slot-{1 - shown}, div:has(> .st-key-wall-slot-{1 - shown}) "
                f"{{opacity: 0 !important; pointer-events: none !important;}}</style>"
                f"<span class='wr-swap' data-slot='{shown}' data-panel='{slots[shown]}' "
                f"data-tick-ms='{int(time.time() * 1000)}' "
                f"data-viewport='{html.escape(state.get('viewport') or '')}'></span>", unsafe_allow_html=True)
    version = _probe(state)
    with st.container(key="wall-stack"):
        for slot in (0, 1):
            with st.container(key=f"wall-slot-{slot}"):
                if slots[slot] is not None:
                    i = settings.panels.index(slots[slot])
                    _draw(ctx, settings, state, i, slot=slot, version=version, shown=slot == shown)


@st.fragment(run_every=10)
def _clock(ctx: WallContext) -> None:
    moment = now()
    with st.container(key="wall-clock"):
        st.markdown(
            f"<div class='wr-clock' role='timer'><div class='wr-time'>{moment:%H.%M}</div>"
            f"<div class='wr-date'>{html.escape(fmt.long_date(moment.date(), ctx.lang))} "
            f"{html.escape(city().zona)}</div></div>", unsafe_allow_html=True)


def _draw(ctx: WallContext, settings: wall.WallSettings, state: dict, index: int, *, slot: int,
          version: int | None, shown: bool) -> None:
    """Bar, warning line, panel of one slot: each drawn in place at the same position every
    tick (no st.empty placeholders before the panel, which would blank it while it draws)."""
    name = settings.panels[index]
    pinned = version is None
    if pinned and state["failing_since"] is None:
        state["failing_since"] = now()
    st.markdown(_bar_html(ctx, settings, state, index, shown=shown), unsafe_allow_html=True)
    warn = st.empty()
    ticker = _alert_ticker(ctx)   # fixed at the bottom: out of the flow, drawn in the warning's element
    warn.markdown(_warning_html(ctx, state if pinned else None) + ticker, unsafe_allow_html=True)
    drawn = False
    if not pinned:
        drawn = _render_panel(ctx, name, state, f"live-{slot}")
        if drawn:
            state["good_version"], state["failing_since"] = version, None
        else:
            # Whatever the failed panel drew before failing is hidden, and the warning shown.
            state["failing_since"] = state["failing_since"] or now()
            st.markdown(f"<style>.st-key-wall-panel-live-{slot}, div:has(> .st-key-wall-panel-live-{slot}) "
                        "{display: none !important;}</style>", unsafe_allow_html=True)
            warn.markdown(_warning_html(ctx, state) + ticker, unsafe_allow_html=True)
    if not drawn and state["good_version"] is not None and state["good_version"] != version:
        with data.pinned_version(state["good_version"]):
            drawn = _render_panel(ctx, name, state, f"pinned-{slot}")
    if not drawn:
        with st.container(key=f"wall-panel-card-{slot}"):
            store_never_opened = pinned and state["good_version"] is None
            _big_card(t("layar.no_data_yet" if store_never_opened else "layar.panel_failed", ctx.lang),
                      t("layar.panel_failed.sub", ctx.lang))
            _end_marker(name)


def _end_marker(name: str) -> None:
    """The panel's last element: a frame whose slot lacks it is partly drawn (browser tests)."""
    st.markdown(f"<div class='wr-panel-end' data-panel='{name}'></div>", unsafe_allow_html=True)


def _warning_html(ctx: WallContext, state: dict | None) -> str:
    if state is None:
        return "<div class='wr-wallwarn'></div>"
    when = state["failing_since"].strftime("%H.%M")
    return (f"<div class='wr-wallwarn' role='status'>⚠ "
            f"{html.escape(t('layar.stale_warning', ctx.lang, when=when))}</div>")


def _alert_ticker(ctx: WallContext) -> str:
    """A line at the bottom of every panel while a critical alert fires (warroom.ui.panels.peringatan)."""
    try:
        from warroom.ui.panels import peringatan
        return peringatan.CSS + peringatan.ticker_html(ctx.lang)
    except Exception:  # alerts never stop the wall
        log.exception("wall: alert ticker failed")
        return ""


def _probe(state: dict) -> int | None:
    """The store's data version and the freshness rows, or None (logged) when it cannot answer."""
    try:
        version = data.data_version()
        rows = data.query("dataset_status")
        state["status"] = dict(zip(rows["dataset"], rows["data_terbaru"]))
        state["demo"] = data.is_demo()
        return version
    except Exception as exc:
        _log_failure(state, "store", exc)
        return None


def _render_panel(ctx: WallContext, name: str, state: dict, attempt: str) -> bool:
    """Draw one panel in its container; False (logged) when it failed."""
    try:
        module = load_panel(name)
        with st.container(key=f"wall-panel-{attempt}"):
            if module is None:
                _big_card(t("layar.not_ready", ctx.lang),
                          t("layar.not_ready.sub", ctx.lang, panel=t(f"layar.panel.{name}", ctx.lang)))
            else:
                module.render(ctx, wall=True)
            _end_marker(name)
        return True
    except Exception as exc:
        # The store gone mid-panel (deleted, moved, restored) is the store's failure, not a fault of
        # the panel: logged as such, so "panel X failed" always means a bug to look at.
        _log_failure(state, "store" if isinstance(exc, db.DatabaseUnavailable) else f"panel {name}", exc)
        return False


def load_panel(name: str):
    """warroom.ui.panels.<name>, or None while that module does not exist yet."""
    module_name = f"warroom.ui.panels.{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    importlib.invalidate_caches()   # a panel file added while the server runs is found
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name in (module_name, "warroom.ui.panels"):
            return None
        raise


def panel_datasets(name: str) -> tuple[str, ...]:
    return wall.PANEL_DATASETS[name]


def _log_failure(state: dict, what: str, exc: Exception) -> None:
    moment = time.monotonic()
    if moment - state.get("logged_at", 0.0) >= LOG_EVERY_S or state.get("failing_since") is None:
        state["logged_at"] = moment
        reason = exc.reason if isinstance(exc, db.DatabaseUnavailable) else type(exc).__name__
        log.error("wall: %s failed (%s); keeping the last good figures", what, reason, exc_info=exc)


# --- pieces --------------------------------------------------------------------------

def _big_card(big: str, small: str) -> None:
    st.markdown(f"<div class='wr-bigcard'><div class='wr-big'>{html.escape(big)}</div>"
                f"<div class='wr-small'>{html.escape(small)}</div></div>", unsafe_allow_html=True)


def stamp_when(newest: str, lang: str) -> str:
    """A stored date or period in words: '2026-11-28' -> '28 November 2026', '2026-11' -> 'November 2026'."""
    from babel.dates import format_date
    try:
        if len(newest) == 10:
            return fmt.long_date(date.fromisoformat(newest), lang)
        if len(newest) == 7:
            return format_date(date.fromisoformat(newest + "-01"), format="LLLL y",
                               locale=fmt.LOCALES[fmt.normalise_lang(lang)])
    except ValueError:
        pass
    return newest


def dataset_title(name: str | None) -> str:
    """The registry's title of a dataset (never its raw id on a screen)."""
    try:
        return datasets.get(name).title
    except Exception:
        return name or ""


def stamp_html(stamp: wall.Stamp, lang: str, panel: str = "") -> str:
    colour, symbol = freshness.STYLE[stamp.status]
    word = t(f"freshness.{stamp.status}", lang)
    detail = ""
    if stamp.newest:
        when = stamp_when(stamp.newest, lang)
        detail = (f" <small>· {html.escape(t('layar.stamp.as_of', lang, when=when))} "
                  f"({html.escape(dataset_title(stamp.dataset))})</small>")
    return (f"<span class='wr-stamp' data-status='{stamp.status}' data-panel='{panel}' style='background:{colour}'>"
            f"{symbol} {html.escape(word)}{detail}</span>")


def _bar_html(ctx: WallContext, settings: wall.WallSettings, state: dict, index: int, *, shown: bool = True) -> str:
    name = settings.panels[index]
    newest = state["status"] or {}
    stamp = wall.panel_stamp(panel_datasets(name), newest,
                             {ds.name: ds.frequency for ds in datasets.all_datasets()}, today())
    n = len(settings.panels)
    dots = "".join("●" if i == index else "<span class='off'>●</span>" for i in range(n))
    demo = f"<span class='wr-walldemo'>⚠ {html.escape(t('layar.demo', ctx.lang))}</span>" if state["demo"] else ""
    return (f"<div class='wr-wallbar' data-panel='{name}' data-shown='{str(shown).lower()}'>"
            f"<div class='wr-where'><div class='wr-city'>War Room · {html.escape(city().nama)}</div>"
            f"<div class='wr-title'>{html.escape(t(f'layar.panel.{name}', ctx.lang))}</div></div>"
            f"{stamp_html(stamp, ctx.lang, panel=name)}{demo}"
            f"<span class='wr-dots' role='img' aria-label='{html.escape(t('layar.progress', ctx.lang, i=index + 1, n=n))}'>{dots}</span>"
            f"<span class='wr-clockspace'></span></div>")


# --- admin: playlists ----------------------------------------------------------------

def admin_playlists(ctx: WallContext) -> None:
    """A small form for the walidata to name a set of wall settings (shown to role admin only)."""
    if ctx.role != "admin":
        return
    st.markdown(ADMIN_CSS, unsafe_allow_html=True)
    with st.expander(t("layar.admin.title", ctx.lang), expanded=False):
        with st.form("wall_playlist_form", clear_on_submit=False):
            name = st.text_input(t("layar.admin.name", ctx.lang), key="wall_playlist_name")
            query = st.text_input(t("layar.admin.query", ctx.lang), help=t("layar.admin.query.help", ctx.lang),
                                  value=wall.WallSettings().query_string(), key="wall_playlist_query")
            submitted = st.form_submit_button(t("layar.admin.save", ctx.lang))
        if submitted:
            try:
                with db.WRITE_LOCK:
                    saved = wall.save_playlist(data.cursor(), name, query, ctx.username)
                st.success(t("layar.admin.saved", ctx.lang, name=saved.playlist))
            except wall.PlaylistRefused as exc:
                st.error(t("layar.admin.refused", ctx.lang, problems=wall.problem_text(exc, ctx.lang)))
        rows = data.query("wall_playlists")
        if len(rows):
            st.caption(t("layar.admin.saved_list", ctx.lang))
            st.dataframe(rows[["name", "query_string", "created_by"]], hide_index=True)
        st.caption(t("layar.admin.preview", ctx.lang))

