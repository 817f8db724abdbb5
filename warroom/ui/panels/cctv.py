"""Pemantauan CCTV: the camera wall — the latest picture of every road camera, page by page.

Pictures come from the app itself (/api/cctv/<kode>/snapshot.jpg, filled by the camera
service of warroom.cctv.fetcher), never from the camera: the browser never learns a camera
address. The grid refreshes itself every few seconds in a fragment; pages rotate by the
clock. The page adds filters bound to the URL (?kecamatan=73.71.04&status=dark&grid=4x4),
a large view of one camera with its place on a small map (?kamera=KODE), the dark cameras
and every camera's health with downloads; the wall shows the grid alone.
"""
from __future__ import annotations

import html
import time

import pandas as pd
import pydeck as pdk
import streamlit as st

from warroom import cctv, fmt, safe_text
from warroom.cctv import fetcher as cctv_fetcher
from warroom.cctv import wall as cctv_wall
from warroom.config import THRESHOLDS, city, now
from warroom.ui import data, url, widgets

# Tiles redraw twice per fetch interval: a picture on screen is then at most one fetch
# interval plus half of one old (goal: under two intervals).
REDRAW_S = THRESHOLDS.cctv_refresh_s / 2

CSS = """
<style>
.wr-cam {background:#161b26; border:1px solid #2a3245; border-radius:.4rem; overflow:hidden; margin-bottom:.3rem;}
.wr-cam-frame {position:relative; width:100%; aspect-ratio:16/9; background:#0b0e14;}
.wr-cam-frame img {width:100%; height:100%; object-fit:cover; display:block;}
.wr-cam-none {position:absolute; inset:0; display:flex; align-items:center; justify-content:center;
              color:#c9d1e0; font-size:.95rem; font-style:italic; text-align:center; padding:1.8rem .5rem 0 .5rem;
              overflow:hidden;}
.wr-cam-badge {position:absolute; bottom:.35rem; left:.35rem; padding:.05rem .5rem; border-radius:1rem;
               font-weight:800; color:#000; font-size:.9rem;}
.wr-cam-age {position:absolute; bottom:.35rem; right:.35rem; padding:.05rem .45rem; border-radius:.3rem;
             background:rgba(0,0,0,.72); color:#fff; font-size:.85rem; font-variant-numeric:tabular-nums;}
.wr-cam-text {padding:.25rem .5rem .35rem .5rem;}
.wr-cam-name {color:#fff; font-weight:700; font-size:1rem; white-space:nowrap; overflow:hidden; text-overflow:ellipsis;}
.wr-cam-meta {color:#c9d1e0; font-size:.85rem; white-space:nowrap; overflow:hidden; text-overflow:ellipsis;}
.wr-cam-link {color:#56B4E9;}
.wr-wall {padding-bottom:1.2rem;}
.wr-wall .wr-cam {position:relative; margin:0;}
.wr-wall .wr-cam-frame {aspect-ratio:auto; height:calc((78vh - var(--rows) * 1vh) / var(--rows));}
.wr-wall .wr-cam-text {position:absolute; top:0; left:0; right:0; background:rgba(0,0,0,.78); padding:.2rem .5rem;}
/* The wall: every text at least 24 px at 1080 (2.3vh), read from across the room. */
.wr-wall .wr-cam-name {font-size:2.4vh;} .wr-wall .wr-cam-meta {font-size:2.3vh;}
.wr-wall .wr-cam-badge {font-size:2.3vh;} .wr-wall .wr-cam-age {font-size:2.3vh;}
.wr-wall .wr-cam-none {padding-top:6vh; font-size:2.3vh;}
.wr-cam-grid {display:grid; gap:.8vh .6vw;}
.wr-cam-counts {font-size:2.3vh; color:#c9d1e0; margin-bottom:.4vh;}
.wr-cam-big img {width:100%; border-radius:.4rem; display:block;}
.st-key-cctv-activity {display:none;}
</style>
"""


# ------------------------------------------------------------------ data

@st.cache_data(show_spinner=False, max_entries=64)
def _health(path: str, version: int, generation: int, bucket: int) -> list[dict]:
    # Keyed by the data version (new cameras), the service's flush count (new checks) and a
    # 30-second bucket (ages move on even when nothing is written).
    return cctv.health(data.cursor(), now())


def camera_rows() -> list[dict]:
    """Each camera's tile state. In the running app the camera service keeps the health rows
    up to date in the background (a 7-day uptime reads every check); elsewhere, and right
    after the cameras changed, the query runs here."""
    svc = cctv_fetcher.service()
    rows = svc.health_rows if svc is not None else None
    if rows is None or {r["kode_cctv"] for r in rows} != _registered(str(data.db_path()), data.data_version()):
        rows = _health(str(data.db_path()), data.data_version(), svc.generation if svc else -1,
                       int(time.time() // 30))
    return cctv_wall.tiles(rows, svc, now())


@st.cache_data(show_spinner=False, max_entries=8)
def _registered(path: str, version: int) -> set[str]:
    return {r[0] for r in data.cursor().execute("SELECT kode_cctv FROM cctv").fetchall()}


def snapshot_src(row: dict) -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    version = int(row["picture_at"].timestamp() * 1000)
    return html.escape(f"{prefix}{cctv.snapshot_route(row['kode_cctv'])}?v={version}")


# ------------------------------------------------------------------ URL-bound options

def grid_from_url(wall: bool) -> tuple[int, int]:
    return cctv_wall.GRIDS[url.get("grid", cctv_wall.GRIDS) or ("4x4" if wall else "3x3")]


def pinned_page() -> int | None:
    return url.get_int("halaman")


def filters(ctx, rows: list[dict]) -> tuple[str | None, str | None]:
    kecamatan_names = dict(sorted({(r["kode_kecamatan"], r["kecamatan"]) for r in rows if r["kode_kecamatan"]}))
    left, mid, right = st.columns([2, 2, 1])
    kec_options = ["", *kecamatan_names]
    kec = left.selectbox(ctx.t("cctv.filter.kecamatan"), kec_options,
                         index=kec_options.index(url.get("kecamatan", kecamatan_names) or ""),
                         format_func=lambda k: kecamatan_names.get(k, ctx.t("cctv.filter.all")), key="cctv_kec")
    status_options = ["", *cctv.STATUSES]
    status = mid.selectbox(ctx.t("cctv.filter.status"), status_options,
                           index=status_options.index(url.get("status", cctv.STATUSES) or ""),
                           format_func=lambda s: status_word(s, ctx.lang) if s else ctx.t("cctv.filter.all"),
                           key="cctv_status")
    grid_options = list(cctv_wall.GRIDS)
    grid = right.selectbox(ctx.t("cctv.filter.grid"), grid_options,
                           index=grid_options.index(url.get("grid", cctv_wall.GRIDS) or "3x3"), key="cctv_grid")
    url.put("kecamatan", kec)
    url.put("status", status)
    url.put("grid", grid if grid != "3x3" else None)
    return kec or None, status or None


# ------------------------------------------------------------------ pieces of the screen

def status_word(status: str, lang: str) -> str:
    from warroom.i18n import t
    return t(f"cctv.status.{status}", lang)


def badge(status: str, lang: str) -> str:
    colour, symbol = cctv.STYLE[status]
    return (f"<span class='wr-cam-badge' style='background:{colour}'>{symbol} "
            f"{html.escape(status_word(status, lang))}</span>")


def agency_word(status: str | None, lang: str) -> str:
    from warroom.i18n import t
    return t(f"cctv.status_opd.{status}", lang) if status else t("fmt.na", lang)


def tile_html(row: dict, lang: str) -> str:
    from warroom.i18n import t
    name = safe_text.text(row["nama_lokasi"])
    if row["status"] == cctv.LINK:
        inner = f"<div class='wr-cam-none'>{html.escape(t('cctv.link_short', lang))}</div>"
        age = ""
    elif row["picture_at"] is not None:
        inner = f"<img class='wr-cam-img' src='{snapshot_src(row)}' alt='{name}'>"
        age = f"<span class='wr-cam-age'>{html.escape(cctv_wall.age_text(row['picture_age_s'], lang))}</span>"
    else:
        reason = cctv_wall.problem_text(row["last_error"], lang, detail=False) or t("cctv.no_picture", lang)
        inner = f"<div class='wr-cam-none'>{html.escape(reason)}</div>"
        age = ""
    meta = " · ".join(x for x in (row["kecamatan"] or "", t("cctv.agency", lang, status=agency_word(
        row["status_opd"], lang))) if x)
    return (f"<div class='wr-cam' data-kode='{safe_text.text(row['kode_cctv'])}' data-status='{row['status']}'>"
            f"<div class='wr-cam-frame'>{inner}{badge(row['status'], lang)}{age}</div>"
            f"<div class='wr-cam-text'><div class='wr-cam-name' title='{name}'>{name}</div>"
            f"<div class='wr-cam-meta'>{safe_text.text(meta)}</div></div></div>")


def counts_line(ctx, rows: list[dict]) -> str:
    c = cctv_wall.counts(rows)
    return ctx.t("cctv.counts", **c)


def grid(ctx, rows: list[dict], cols: int, per_page: int, *, wall: bool) -> None:
    """One page of tiles. On the page each tile has a button opening the camera large."""
    pg = cctv_wall.paging(len(rows), per_page, None if wall else (pinned_page() or held_page(len(rows), per_page)))
    shown = rows[pg.page * per_page:(pg.page + 1) * per_page]
    note = (ctx.t("cctv.page_of", page=pg.page + 1, pages=pg.pages, s=cctv_wall.ROTATE_S) if pg.rotating
            else ctx.t("cctv.page_pinned", page=pg.page + 1, pages=pg.pages))
    if not wall and pinned_page() is None and not pg.rotating:
        note += " · " + ctx.t("cctv.paused" if _pause()["manual"] else "cctv.paused_activity", s=ACTIVITY_PAUSE_S)
    line = (f"{counts_line(ctx, rows)} · {note} · "
            f"{ctx.t('cctv.stamp', time=now().strftime('%H:%M:%S') + ' ' + city().zona)}")
    if wall:  # read from across the room
        st.markdown(f"<div class='wr-cam-counts'>{html.escape(line)}</div>", unsafe_allow_html=True)
    else:
        st.caption(line)
    if wall:
        body = "".join(tile_html(r, ctx.lang) for r in shown)
        st.markdown(f"<div class='wr-wall' style='--rows:{per_page // cols}'><div class='wr-cam-grid' "
                    f"style='grid-template-columns:repeat({cols}, 1fr)'>{body}</div></div>", unsafe_allow_html=True)
        return
    for start in range(0, len(shown), cols):
        columns = st.columns(cols)
        for col, row in zip(columns, shown[start:start + cols]):
            with col:
                st.markdown(tile_html(row, ctx.lang), unsafe_allow_html=True)
                # The camera is bound to the button's callback: the one clicked opens, even if the
                # grid turned its page between the click and this run.
                st.button(ctx.t("cctv.open"), key=f"open_{row['kode_cctv']}", icon=":material/zoom_in:",
                          width="stretch", on_click=_open_camera, args=(row["kode_cctv"],))
    if st.session_state.pop(OPENED, None):
        st.rerun(scope="app")


def location_map(row: dict) -> None:
    point = pd.DataFrame([{"lat": row["latitude"], "lon": row["longitude"], "nama": row["nama_lokasi"]}])
    colour = [int(cctv.STYLE[row["status"]][0][i:i + 2], 16) for i in (1, 3, 5)]
    deck = pdk.Deck(
        map_provider=None,
        initial_view_state=pdk.ViewState(latitude=row["latitude"], longitude=row["longitude"], zoom=14),
        layers=[_boundary_layer(), pdk.Layer("ScatterplotLayer", point, get_position="[lon, lat]",
                                             get_fill_color=colour + [255], get_line_color=[0, 0, 0, 255],
                                             stroked=True, line_width_min_pixels=2, radius_min_pixels=9)],
        tooltip={"text": "{nama}"})
    st.pydeck_chart(deck, height=300)


@st.cache_data(show_spinner=False)
def _kecamatan_geojson(version: int) -> dict:
    import json
    rows = data.cursor().execute(
        "SELECT kode_wilayah, geojson FROM batas_wilayah WHERE tingkat = 'kecamatan'").fetchall()
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kode": k}, "geometry": json.loads(g)} for k, g in rows]}


def _boundary_layer() -> pdk.Layer:
    # No base map (nothing may come from the internet): kecamatan outlines give the place.
    return pdk.Layer("GeoJsonLayer", _kecamatan_geojson(data.data_version()), stroked=True, filled=True,
                     get_fill_color=[40, 48, 66, 160], get_line_color=[201, 209, 224, 200], line_width_min_pixels=1)


def _pct(value, lang: str) -> str:
    return fmt.percent(None if fmt.is_missing(value) else value, lang)


def detail(ctx, rows: list[dict], kode: str) -> None:
    """One camera large, with its place on a small map and its health beside the agency's status."""
    row = next((r for r in rows if r["kode_cctv"] == kode), None)
    if row is None:
        st.warning(ctx.t("cctv.unknown_camera", kode=safe_text.text(kode)))
        return
    with st.container(border=True):
        head, close = st.columns([6, 1])
        head.subheader(safe_text.text(row["nama_lokasi"]))
        if close.button(ctx.t("cctv.close"), key="cctv_close", icon=":material/close:", width="stretch"):
            url.put("kamera", None)
            st.rerun()
        picture, side = st.columns([2, 1])
        with picture:
            if row["status"] == cctv.LINK:
                st.info(ctx.t("cctv.link_only"))
                if row["link"]:
                    st.link_button(ctx.t("cctv.open_link"), row["link"])
            else:
                _big_picture(ctx, kode)
        with side:
            location_map(row)
            facts = [
                ("cctv.detail.code", row["kode_cctv"]),
                ("cctv.col.kecamatan", row["kecamatan"] or ctx.t("fmt.na")),
                ("cctv.detail.measured", f"{cctv.STYLE[row['status']][1]} {status_word(row['status'], ctx.lang)}"),
                ("cctv.detail.agency", agency_word(row["status_opd"], ctx.lang)),
                ("cctv.detail.uptime_24h", _pct(row["uptime_24h"], ctx.lang)),
                ("cctv.detail.uptime_7d", _pct(row["uptime_7d"], ctx.lang)),
                ("cctv.detail.last_ok", cctv_wall.age_text(
                    None if row["last_ok_at"] is None else (now() - row["last_ok_at"]).total_seconds(), ctx.lang)
                    if row["last_ok_at"] is not None else ctx.t("cctv.never")),
                ("cctv.detail.latency", ctx.t("fmt.na") if fmt.is_missing(row["latency_ms"])
                    else f"{fmt.number(row['latency_ms'], ctx.lang)} ms"),
                ("cctv.detail.last_error", cctv_wall.problem_text(row["last_error"], ctx.lang) or "–"),
                ("cctv.detail.terakhir_aktif", fmt.datetime_local(row["terakhir_aktif"], ctx.lang)
                    if not fmt.is_missing(row["terakhir_aktif"]) else ctx.t("fmt.na")),
            ]
            st.markdown("\n".join(f"- **{ctx.t(k)}:** {safe_text.text(v)}" for k, v in facts))


@st.fragment(run_every=REDRAW_S)
def _big_picture(ctx, kode: str) -> None:
    """The opened camera's picture, refreshed like the tiles."""
    row = next((r for r in camera_rows() if r["kode_cctv"] == kode), None)
    if row is not None and row["picture_at"] is not None:
        # Streamlit's own CSS would never scale a small picture up (object-fit: scale-down).
        st.markdown(f"<div class='wr-cam-big'><img style='width:100%;height:auto;max-height:none;"
                    f"object-fit:contain' src='{snapshot_src(row)}' alt='{safe_text.text(row['nama_lokasi'])}'>"
                    f"</div>", unsafe_allow_html=True)
        st.caption(f"{badge_text(row['status'], ctx.lang)} · {cctv_wall.age_text(row['picture_age_s'], ctx.lang)}")
    else:
        reason = (cctv_wall.problem_text(row["last_error"], ctx.lang) if row else "") or ctx.t("cctv.no_picture")
        st.markdown(f"<div class='wr-cam'><div class='wr-cam-frame'><div class='wr-cam-none'>{html.escape(reason)}"
                    f"</div></div></div>", unsafe_allow_html=True)


def badge_text(status: str, lang: str) -> str:
    return f"{cctv.STYLE[status][1]} {status_word(status, lang)}"


def health_table(ctx, rows: list[dict], *, for_screen: bool) -> pd.DataFrame:
    """Each camera's health. On screen missing figures say "tidak tersedia" and times are local;
    for the downloads numbers stay numbers (a missing one is an empty cell)."""
    def uptime(value):
        if for_screen:
            return fmt.percent(value, ctx.lang)
        return None if fmt.is_missing(value) else round(value, 2)

    def moment(value):
        if for_screen:
            return fmt.datetime_local(value, ctx.lang) if value is not None else ctx.t("cctv.never")
        return None if value is None else value.astimezone(city().tz).isoformat(timespec="seconds")

    return pd.DataFrame([{
        ctx.t("cctv.col.kode"): r["kode_cctv"],
        ctx.t("cctv.col.nama"): r["nama_lokasi"],
        ctx.t("cctv.col.kecamatan"): r["kecamatan"],
        ctx.t("cctv.col.status_opd"): agency_word(r["status_opd"], ctx.lang),
        ctx.t("cctv.col.measured"): (f"{cctv.STYLE[r['status']][1]} {status_word(r['status'], ctx.lang)}"
                                     if for_screen else r["status"]),
        ctx.t("cctv.col.uptime_24h"): uptime(r["uptime_24h"]),
        ctx.t("cctv.col.uptime_7d"): uptime(r["uptime_7d"]),
        ctx.t("cctv.col.last_ok"): moment(r["last_ok_at"]),
        ctx.t("cctv.col.problem"): cctv_wall.problem_text(r["last_error"], ctx.lang),
    } for r in rows])


def dark_list(ctx, rows: list[dict]) -> None:
    st.subheader(f"{cctv.STYLE[cctv.DARK][1]} {ctx.t('cctv.dark_title')}")
    dark = [r for r in rows if r["status"] == cctv.DARK]
    if not dark:
        st.success(ctx.t("cctv.dark_none"))
        return
    st.dataframe(health_table(ctx, dark, for_screen=True), hide_index=True, width="stretch")


def health_section(ctx, rows: list[dict]) -> None:
    st.subheader(ctx.t("cctv.health_title"))
    st.caption(ctx.t("cctv.health_note", dark=int(THRESHOLDS.cctv_dark_s // 60)))
    st.dataframe(health_table(ctx, rows, for_screen=True), hide_index=True, width="stretch")
    widgets.downloads(health_table(ctx, rows, for_screen=False), "cctv_kesehatan", ctx.lang, key="cctv_health")


# ------------------------------------------------------------------ the panel

def render(ctx, *, wall: bool = False) -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    rows = camera_rows()
    if not rows:
        st.info(ctx.t("cctv.no_cameras"))
        return
    cols, nrows = grid_from_url(wall)
    if wall:
        _live_grid(ctx, None, None, cols, cols * nrows, wall=True)
        return
    st.caption(ctx.t("cctv.intro", s=int(THRESHOLDS.cctv_refresh_s)))
    kecamatan, status = filters(ctx, rows)
    rotation_controls(ctx)
    kamera = url.get("kamera")
    if kamera:
        detail(ctx, rows, kamera)
    _live_grid(ctx, kecamatan, status, cols, cols * nrows, wall=False)
    dark_list(ctx, cctv_wall.filtered(rows, kecamatan, None))
    health_section(ctx, cctv_wall.filtered(rows, kecamatan, status))


@st.fragment(run_every=REDRAW_S)
def _live_grid(ctx, kecamatan: str | None, status: str | None, cols: int, per_page: int, *, wall: bool) -> None:
    rows = cctv_wall.filtered(camera_rows(), kecamatan, status)
    if not rows:
        st.info(ctx.t("cctv.none"))
        return
    grid(ctx, rows, cols, per_page, wall=wall)


# ------------------------------------------------------------------ pausing the page's rotation
# The page turns every ROTATE_S seconds by the clock. Under a leader's mouse that moved the
# grid while they aimed at a camera: a click, scroll, key or touch anywhere on the page
# (reported by a small component in the browser) holds the current page for
# ACTIVITY_PAUSE_S seconds; the "Jeda" button holds it until pressed again. The wall never pauses.

ACTIVITY_PAUSE_S = 60
PAUSE = "cctv.pause"
OPENED = "cctv.opened"
ACTIVITY_JS = """
export default function(component) {
  const { setStateValue } = component;
  if (window.__wrCctvActivity) { window.__wrCctvActivity.send = setStateValue; return; }
  const watch = window.__wrCctvActivity = {send: setStateValue, last: 0};
  const seen = () => { const now = Date.now();
    if (now - watch.last > 10000) { watch.last = now; watch.send('active', now); } };   // at most every 10 s
  for (const kind of ['pointerdown', 'wheel', 'scroll', 'keydown', 'touchstart'])
    window.addEventListener(kind, seen, {capture: true, passive: true});
}
"""
_activity_component = None


def _pause() -> dict:
    return st.session_state.setdefault(PAUSE, {"page": None, "until": 0.0, "manual": False, "seen": None})


def _hold(page: int | None = None) -> None:
    """Hold the page now on screen (0-based) for ACTIVITY_PAUSE_S seconds from now."""
    pause = _pause()
    pause["until"] = time.time() + ACTIVITY_PAUSE_S
    if page is not None:
        pause["page"] = page


def held_page(n: int, per_page: int) -> int | None:
    """The page to keep on screen (1-based, like ?halaman) while the rotation is paused, else None."""
    pause = _pause()
    if not pause["manual"] and time.time() >= pause["until"]:
        pause["page"] = None
        return None
    if pause["page"] is None:   # paused just now: keep the page the clock shows
        pause["page"] = cctv_wall.paging(n, per_page, None).page
    return pause["page"] + 1


def _open_camera(kode: str) -> None:
    url.put("kamera", kode)
    st.session_state[OPENED] = True
    _hold()


def rotation_controls(ctx) -> None:
    """The pause button, and the reporter of clicks and scrolls in the browser."""
    global _activity_component
    import streamlit.components.v2  # noqa: F401
    if _activity_component is None:
        _activity_component = st.components.v2.component("warroom_cctv_activity", js=ACTIVITY_JS)
    pause = _pause()
    try:
        seen = getattr(_activity_component(key="cctv-activity", height=0, on_active_change=lambda: None),
                       "active", None)
    except Exception:   # no component support: the button still pauses
        seen = None
    if seen and seen != pause["seen"]:
        pause["seen"] = seen
        _hold()
    label = ctx.t("cctv.resume") if pause["manual"] else ctx.t("cctv.pause")
    if st.button(label, key="cctv_pause", icon=":material/play_arrow:" if pause["manual"] else ":material/pause:"):
        pause["manual"] = not pause["manual"]
        if not pause["manual"]:
            pause["until"], pause["page"] = 0.0, None
        st.rerun()
