"""Peta: the city map (areas coloured by a measure, cameras, towers, health facilities).

The page draws it with filters bound to the URL and a detail panel opened by clicking;
the wall draws the same map full height with a large legend and no widgets (its settings
come from the URL too: ?ukuran=level&tingkat=kelurahan&lapisan=wilayah,label,cctv).
"""
from __future__ import annotations

import html
from datetime import date

import streamlit as st

from warroom import datasets, fmt, geo, peta, safe_text
from warroom.config import city, today
from warroom.peta import deck as peta_deck
from warroom.peta import plot as peta_plot
from warroom.ui import data, url, widgets
from warroom.ui.charts import cached_figure

PAGE_MAP_PX = (860, 620)  # the map column is ~700-1100 px wide: fit the city into the narrower
WALL_MAP_PX = (1450, 860)

CSS = """
<style>
.wr-legend {font-size: 0.9rem; line-height: 1.5;}
.wr-legend h4 {font-size: 0.95rem; margin: .6rem 0 .2rem 0; padding: 0;}
.wr-legend .item {display: flex; align-items: center; gap: .45rem; white-space: nowrap;}
.wr-legend .sw {display: inline-block; width: 1.1em; height: 1.1em; border: 1px solid #333; flex: none;}
.wr-legend .dot {border-radius: 50%;}
.wr-legend .ring {border-radius: 50%; background: transparent !important; border-width: .22em; border-style: solid;}
.wr-legend.wall {font-size: 2.3vh; line-height: 1.3;}
.wr-legend.wall h4 {font-size: 2.5vh; color: #f2f5fa; margin: .8vh 0 .2vh 0;}
.wr-legend.wall .item {color: #f2f5fa;}
.wr-peta-stamp {font-size: 2.3vh; color: #c9d1e0; margin-top: .6rem;}
</style>
"""


# ---------------------------------------------------------------- options from and to the URL

def default_date() -> date:
    """The newest Covid data date (not after today), so the map opens on figures that exist."""
    latest = data.query("peta_covid_terakhir", produsen=datasets.get("covid19_harian").producer)["tanggal"].iloc[0]
    if fmt.is_missing(latest):
        return today()
    return min(latest.date() if hasattr(latest, "date") else latest, today())


def options_from_url(ctx) -> peta.Options:
    tanggal = url.get_date("tanggal") or default_date()
    layers = url.raw("lapisan")
    lapisan = tuple(x for x in layers.split(",") if x in peta.LAYERS) if layers is not None else peta.DEFAULT_LAYERS
    tingkat = url.get("tingkat", peta.LEVELS) or url.get("level", peta.LEVELS, "kecamatan")
    return peta.Options(tanggal=min(tanggal, today()), tingkat=tingkat,
                        ukuran=url.get("ukuran", peta.MEASURES, "kasus_100k"), lapisan=lapisan,
                        operator=url.get("operator"), penyedia=url.get("penyedia"),
                        lang=ctx.lang, anonymous=ctx.anonymous)


def _to_url(opts: peta.Options) -> None:
    wanted = {"tingkat": opts.tingkat, "ukuran": opts.ukuran, "tanggal": opts.tanggal.isoformat(),
              "lapisan": ",".join(opts.lapisan), "operator": opts.operator or "", "penyedia": opts.penyedia or ""}
    for k, v in wanted.items():
        url.put(k, v)


def filters(ctx, opts: peta.Options, operators: list[str], providers: list[str]) -> peta.Options:
    """The filter widgets, starting from the URL; the chosen values are written back to it."""
    t = ctx.t
    # The level switch needs room for both words ("Kecamatan | Kelurahan") on a 1440-px laptop.
    row = st.columns([1.7, 2.0, 1.1, 1.1, 1.1])
    tingkat = row[0].segmented_control(t("peta.filter.tingkat"), peta.LEVELS, default=opts.tingkat,
                                       format_func=lambda v: t(f"peta.tingkat.{v}"), key="peta_tingkat")
    ukuran = row[1].selectbox(t("peta.filter.ukuran"), peta.MEASURES, index=peta.MEASURES.index(opts.ukuran),
                              format_func=lambda v: t(f"peta.measure.{v}"), key="peta_ukuran")
    tanggal = row[2].date_input(t("peta.filter.tanggal"), value=opts.tanggal, max_value=today(),
                                format="DD/MM/YYYY", key="peta_tanggal")
    semua = t("peta.filter.semua")
    operator = row[3].selectbox(t("peta.filter.operator"), [None, *operators],
                                index=([None, *operators].index(opts.operator) if opts.operator in operators else 0),
                                format_func=lambda v: semua if v is None else v, key="peta_operator")
    penyedia = row[4].selectbox(t("peta.filter.penyedia"), [None, *providers],
                                index=([None, *providers].index(opts.penyedia) if opts.penyedia in providers else 0),
                                format_func=lambda v: semua if v is None else v, key="peta_penyedia")
    lapisan = st.pills(t("peta.filter.lapisan"), peta.LAYERS, selection_mode="multi", default=list(opts.lapisan),
                       format_func=lambda v: t(f"peta.layer.{v}"), key="peta_lapisan")
    chosen = peta.Options(tanggal=tanggal or opts.tanggal, tingkat=tingkat or opts.tingkat, ukuran=ukuran,
                          lapisan=tuple(x for x in peta.LAYERS if x in (lapisan or [])),
                          operator=operator, penyedia=penyedia, lang=ctx.lang, anonymous=ctx.anonymous)
    _to_url(chosen)
    return chosen


# ---------------------------------------------------------------- data (cached by data version)

@st.cache_resource(show_spinner=False, max_entries=4)
def _kelurahan_index(version: int, path: str) -> geo.Areas:
    return geo.Areas.from_db(data.cursor(), "kelurahan")


@st.cache_data(show_spinner=False, max_entries=64)
def _map_data(key: tuple, version: int, path: str) -> peta.MapData:
    tanggal, tingkat, ukuran, lapisan, operator, penyedia, lang, anonymous = key
    opts = peta.Options(date.fromisoformat(tanggal), tingkat, ukuran, lapisan, operator, penyedia, lang, anonymous)
    return peta.load(data.cursor(), opts, _kelurahan_index(version, path))


def _key(opts: peta.Options) -> tuple:
    return (opts.tanggal.isoformat(), opts.tingkat, opts.ukuran, opts.lapisan, opts.operator, opts.penyedia,
            opts.lang, opts.anonymous)


def map_data(opts: peta.Options) -> peta.MapData:
    return _map_data(_key(opts), data.data_version(), str(data.db_path()))


# ---------------------------------------------------------------- pieces

def legend_html(sections: list[dict], *, wall: bool = False) -> str:
    parts = [f"<div class='wr-legend{' wall' if wall else ''}' role='list'>"]
    for s in sections:
        parts.append(f"<h4>{html.escape(s['title'])}</h4>")
        for it in s["items"]:
            shape = {"dot": " dot", "ring": " ring"}.get(it["shape"], "")
            style = f"border-color:{it['colour']}" if it["shape"] == "ring" else f"background:{it['colour']}"
            sym = f"{html.escape(it['symbol'])} " if it["symbol"] and it["shape"] != "square" else ""
            parts.append(f"<div class='item' role='listitem'><span class='sw{shape}' style='{style}'></span>"
                         f"{sym}{html.escape(it['label'])}</div>")
    parts.append("</div>")
    return "".join(parts)


def freshness_line(ctx, md: peta.MapData) -> str:
    covid = max((a["data_sampai"] for a in md.areas if a["data_sampai"]), default=None)
    updated = data.query("peta_pembaruan")["terakhir"].max()
    return ctx.t("peta.freshness", covid=fmt.long_date(covid, ctx.lang),
                 updated=fmt.datetime_local(None if fmt.is_missing(updated) else updated.to_pydatetime(), ctx.lang))


def thinning_notes(ctx, md: peta.MapData) -> list[str]:
    out = []
    for name, rows in (("cctv", md.cctv), ("menara", md.menara), ("faskes", md.faskes)):
        if name in md.options.lapisan and len(rows) > peta.MAX_POINTS:
            out.append(ctx.t("peta.thinned", layer=ctx.t(f"peta.layer.{name}"), n=fmt.number(len(rows), ctx.lang),
                             m=int(peta.CELL_M)))
    return out


def selected_object(state) -> tuple[str, dict] | None:
    try:
        objects = state["selection"]["objects"]
    except (KeyError, TypeError):
        return None
    for layer, objs in (objects or {}).items():
        if objs:
            return layer, objs[0]
    return None


def detail(ctx, md: peta.MapData, chosen: tuple[str, dict] | None) -> None:
    """The detail panel beside the map for the clicked area or object."""
    t = ctx.t
    st.markdown(f"#### {t('peta.detail.title')}")
    if chosen is None:
        st.caption(t("peta.detail.hint"))
        return
    layer, obj = chosen
    if obj.get("jenis") == "kelompok":
        st.write(t("peta.detail.group", n=fmt.number(obj.get("count"), ctx.lang)))
        return
    kode = obj.get("kode")
    if layer == "wilayah":
        area = next((a for a in md.areas if a["kode"] == kode), None)
        if area:
            _area_detail(ctx, md, area)
        return
    rows = {"cctv": md.cctv, "menara": md.menara, "faskes": md.faskes}.get(layer, [])
    row = next((r for r in rows if r["kode"] == kode), None)
    if row is None:
        st.caption(t("peta.detail.hint"))
        return
    {"cctv": _cctv_detail, "menara": _menara_detail, "faskes": _faskes_detail}[layer](ctx, row)


def _kv(pairs: list[tuple[str, str]]) -> None:
    st.markdown("\n".join(f"- {html.escape(k)}: **{safe_text.text(v)}**" for k, v in pairs))


def _area_detail(ctx, md: peta.MapData, area: dict) -> None:
    t, opts = ctx.t, md.options
    st.markdown(f"**{t('peta.tingkat.' + opts.tingkat)} {safe_text.text(area['nama'])}** · `{area['kode']}`")
    _kv(peta.area_figures(area, opts))
    if area["level"]:
        st.caption(t("peta.level.note"))
    if opts.tingkat == "kelurahan":
        st.caption(t("peta.detail.population_estimate"))
    trend = data.query("peta_covid_trend", kode=area["kode"], tanggal=opts.tanggal, hari=28,
                       produsen=datasets.get("covid19_harian").producer)
    st.markdown(f"**{t('peta.detail.trend')}**")
    if ctx.anonymous and opts.tingkat == "kelurahan":
        trend["kasus_baru"] = trend["kasus_baru"].map(
            lambda v: fmt.count_for_viewer(v, tingkat="kelurahan", anonymous=True, lang=ctx.lang))
        st.dataframe(trend, hide_index=True, height=220)
    else:
        from warroom.ui.charts import area_bar_chart
        st.plotly_chart(area_bar_chart(trend, "tanggal", "kasus_baru", t("peta.detail.new_cases"), ctx.lang),
                        width="stretch", theme=None, config={"displayModeBar": False}, key=f"peta_trend_chart_{area['kode']}")
        widgets.downloads(trend, f"kasus_harian_{area['kode']}", ctx.lang, key=f"peta_trend_{area['kode']}")
    st.markdown(f"**{t('peta.detail.inside')}**")
    inside = [r for rows in (md.cctv, md.menara, md.faskes) for r in rows
              if (r["kode_wilayah"] or "") == area["kode"] or (r["kode_wilayah"] or "").startswith(area["kode"] + ".")]
    if not inside:
        st.caption(t("peta.detail.none_inside"))
        return
    st.dataframe([{t("peta.problem.dataset"): t(f"peta.layer.{r['jenis']}"), t("peta.problem.kode"): r["kode"],
                   t("peta.problem.nama"): r.get("nama") or r.get("operator", ""),
                   "status": _status_word(ctx, r)} for r in inside], hide_index=True, height=220)


def _status_word(ctx, r: dict) -> str:
    if r["jenis"] == "cctv":
        return f"{peta.CCTV_STATUS[r['status']][1]} {ctx.t('peta.cctv.' + r['status'])}"
    if r["jenis"] == "menara":
        return f"{peta.IZIN_STATUS[r['status']][1]} {ctx.t('peta.izin.' + r['status'])}"
    return f"BOR {fmt.percent(r['bor'], ctx.lang)}"


def _cctv_detail(ctx, r: dict) -> None:
    t = ctx.t
    st.markdown(f"**{t('peta.layer.cctv')} {safe_text.text(r['kode'])}** · {safe_text.text(r['nama'])}")
    _kv([("Status", _status_word(ctx, r)), (t("peta.cctv.last_seen"), r["terakhir_aktif"]),
         (t("peta.detail.wilayah"), r["kode_wilayah"])])
    if r["stream"]:  # the app's own snapshot route, or a sanitised RTSP/HLS link (cctv.viewer_link)
        base = (st.get_option("server.baseUrlPath") or "").strip("/")
        link = (f"/{base}" if base else "") + r["stream"] if r["stream"].startswith("/") else r["stream"]
        st.link_button(t("peta.cctv.stream"), link, icon=":material/videocam:")
    else:
        st.caption(t("peta.cctv.no_stream"))


def _menara_detail(ctx, r: dict) -> None:
    t = ctx.t
    st.markdown(f"**{t('peta.layer.menara')} {safe_text.text(r['kode'])}**")
    _kv([(t("peta.menara.operator"), r["operator"]), (t("peta.menara.penyedia"), r["penyedia"]),
         (t("peta.menara.izin"), _status_word(ctx, r)), (t("peta.menara.berakhir").capitalize(), r["izin_berakhir"]),
         (t("peta.menara.tinggi"), f"{fmt.number(r['tinggi_m'], ctx.lang)} m" if r["tinggi_m"] is not None
          else t("fmt.na")), (t("peta.detail.wilayah"), r["kode_wilayah"])])


def _faskes_detail(ctx, r: dict) -> None:
    t = ctx.t
    st.markdown(f"**{safe_text.text(r['nama'])}** ({t('peta.faskes.' + r['jenis_faskes'])})")
    _kv([(t("peta.faskes.beds"), fmt.number(r["tt_total"], ctx.lang)),
         (t("peta.faskes.occupied"), fmt.number(r["tt_terisi"], ctx.lang)),
         ("BOR", fmt.percent(r["bor"], ctx.lang)), (t("peta.faskes.reported"), r["tanggal"]),
         (t("peta.detail.wilayah"), r["kode_wilayah"])])


def problems(ctx, md: peta.MapData) -> None:
    st.subheader(ctx.t("peta.problems.title"))
    rows = peta.problem_rows(md)
    if not rows:
        st.caption(ctx.t("peta.problems.none"))
        return
    st.caption(ctx.t("peta.problems.note"))
    import pandas as pd
    df = pd.DataFrame(rows)
    st.dataframe(df, hide_index=True, width="stretch")
    widgets.downloads(df, "peta_masalah_data", ctx.lang, key="peta_problems")


# ---------------------------------------------------------------- the panel

def render(ctx, *, wall: bool = False) -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    opts = options_from_url(ctx)
    if wall:
        _wall(ctx, opts, map_data(opts))
        return
    base = map_data(opts)
    opts = filters(ctx, opts, base.operators, base.providers)
    md = map_data(opts)
    left, right = st.columns([3.2, 1])
    with left:
        deck = peta_deck.build(md, width_px=PAGE_MAP_PX[0], height_px=PAGE_MAP_PX[1])
        state = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="peta_map",
                                height=PAGE_MAP_PX[1], alt=_alt(ctx, md))
        st.caption(freshness_line(ctx, md))
        for note in thinning_notes(ctx, md):
            st.caption(note)
    with right:
        _inset(ctx, md)
        st.markdown(legend_html(peta_deck.legend(md)), unsafe_allow_html=True)
        detail(ctx, md, selected_object(state))
    problems(ctx, md)


def _inset(ctx, md: peta.MapData) -> None:
    """Islands far out at sea in a small map of their own (the main map frames the mainland)."""
    deck = peta_deck.build_inset(md, width_px=300, height_px=INSET_PX)
    if deck is not None:
        name = peta_plot.islands_name(md) or ctx.t("peta.inset")
        st.markdown(f"**{html.escape(name)}**")
        st.pydeck_chart(deck, height=INSET_PX, key="peta_inset")


INSET_PX = 200


def _alt(ctx, md: peta.MapData) -> str:
    return ctx.t("peta.alt", n=len(md.areas), tingkat=ctx.t(f"peta.tingkat.{md.options.tingkat}").lower(),
                 ukuran=ctx.t(f"peta.measure.{md.options.ukuran}").lower())


@cached_figure
def _wall_figure(key: tuple, version: int, path: str, width_px: int, height_px: int, scale: float):
    return peta_plot.figure(_map_data(key, version, path), width_px=width_px, height_px=height_px, scale=scale)


def _wall(ctx, opts: peta.Options, md: peta.MapData) -> None:
    # The map is the whole panel: a little taller than the other panels' charts.
    height = round(1.15 * (getattr(ctx, "chart_height", 0) or WALL_MAP_PX[1] / 1.15))
    # Marks and names grow with the screen's CSS height (1 at 1080 CSS px: HD, or 4K at 200 %).
    scale = float(getattr(ctx, "scale", 1.0) or 1.0)
    left, right = st.columns([4.2, 1])
    with left:
        # SVG, not pydeck: see warroom/peta/plot.py (a rotating wall kept every deck.gl instance).
        fig = _wall_figure(_key(opts), data.data_version(), str(data.db_path()), round(WALL_MAP_PX[0] * scale), height, scale)
        st.plotly_chart(fig, width="stretch", theme=None, key="peta_wall_map", config={"staticPlot": True})
    with right:
        st.markdown(f"<div class='wr-legend wall'><h4>{html.escape(city().nama)}</h4></div>", unsafe_allow_html=True)
        st.markdown(legend_html(peta_deck.legend(md), wall=True), unsafe_allow_html=True)
        st.markdown(f"<div class='wr-peta-stamp'>{html.escape(freshness_line(ctx, md))}</div>", unsafe_allow_html=True)
