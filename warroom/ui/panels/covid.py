"""Covid-19 pieces drawn by the page and the wall: headline cards, charts, ranking, small multiples.

`render(ctx, wall=True)` is the wall panel (the city's figures on the newest day); the page
composes the same pieces with its filters.
"""
from __future__ import annotations

import html
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from warroom import covid, fmt, freshness, safe_text
from warroom.config import city, today
from warroom.ui import data, url
from warroom.ui.charts import HOVER_DATE, cached_figure, localise

GRID = "#2a3245"
AVERAGE_COLOUR = "#E69F00"
BAR_COLOUR = "#56B4E9"
ACTIVE_COLOUR = "#CC79A7"

CSS = """
<style>
.wr-covid-cards {display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: .6rem;
                 margin: .4rem 0;}
.wr-covid-cards .wr-card {border-left: .45rem solid #2a3245;}
.wr-covid-cards .wr-value {font-size: 2.1rem; white-space: nowrap;}
.wr-covid-cards .wr-card.wr-level .wr-value {font-size: 1.6rem; white-space: normal;}
.wr-covid-wall .wr-card {padding: 1.2vh 1vw;}
.wr-covid-wall .wr-card .wr-label {font-size: 2.4vh;}
.wr-covid-wall .wr-card .wr-value {font-size: 7vh; line-height: 1.1;}
.wr-covid-wall .wr-card .wr-sub {font-size: 2.3vh; line-height: 1.25;}
.wr-covid-wall .wr-covid-note, .wr-covid-wall .wr-chip {font-size: 2.3vh;}
.wr-covid-wall .wr-covid-note.wr-level-note {display: -webkit-box; -webkit-line-clamp: 1; -webkit-box-orient: vertical; overflow: hidden;}
.wr-chart-title {font-weight: 700;}
.wr-covid-wall-title {font-size: 2.5vh; font-weight: 700; margin: 0;}
.wr-covid-wall .wr-covid-cards {grid-template-columns: repeat(6, minmax(0, 1fr));}
.wr-covid-wall .wr-covid-cards .wr-card.wr-level .wr-value {font-size: 4.2vh;}
.wr-covid-rank {width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums;}
.wr-covid-rank th {text-align: left; color: #c9d1e0; border-bottom: 1px solid #2a3245; padding: .25rem .5rem;}
.wr-covid-rank td {padding: .2rem .5rem; border-bottom: 1px solid #1c2230; white-space: nowrap;}
.wr-covid-rank td:first-child {white-space: normal;}
.wr-covid-note {color: #c9d1e0; font-size: .9rem;}
.wr-covid-flag {color: #F0E442; font-weight: 700;}
</style>
"""


@st.cache_data(show_spinner=False, max_entries=20)
def _ensured(version: int, path: str) -> bool:
    return covid.ensure_daily(data.cursor())


def ensure() -> None:
    """Rebuild the per-area daily table when the loader has not (checked once per data version)."""
    if _ensured(data.data_version(), str(data.db_path())):
        _ensured.clear()


def data_dates() -> tuple[date | None, date | None]:
    ensure()
    row = data.query("covid_dates", kota=city().kode).iloc[0]
    if pd.isna(row["terakhir"]):
        return None, None
    return pd.Timestamp(row["pertama"]).date(), pd.Timestamp(row["terakhir"]).date()


def headline(kode: str, day: date) -> dict | None:
    df = data.query("covid_area_headline", kode=kode, tanggal=day)
    return None if df.empty else df.iloc[0].to_dict()


def bor_on(kode: str, day: date) -> dict | None:
    df = data.query("covid_bor_series", kode=kode, dari=day, sampai=day, produsen=covid.producer())
    return None if df.empty else df.iloc[0].to_dict()


def cards_html(cards: list[dict], *, flagged: bool = False, lang: str = "id") -> str:
    from warroom.i18n import t
    items = []
    na = (t("fmt.na", "id"), t("fmt.na", "en"))
    for c in cards:
        border = f"border-left-color:{c['colour']}" if c.get("colour") else ""
        value_class = "wr-value wr-na" if c["value"] in na or c["value"].endswith(na) else "wr-value"
        flag = (f" <span class='wr-covid-flag' title='{html.escape(t('covid.conflict', lang))}'>⚠</span>"
                if flagged and c["key"] in ("active", "new", "deaths7") else "")
        items.append(f"<div class='wr-card wr-{c['key']}' style='{border}' data-card='{c['key']}'>"
                     f"<div class='wr-label'>{html.escape(c['label'])}</div>"
                     f"<div class='{value_class}'>{html.escape(c['value'])}{flag}</div>"
                     f"<div class='wr-sub'>{html.escape(c['sub'])}</div></div>")
    return f"<div class='wr-covid-cards'>{''.join(items)}</div>"


TEXT = "#e6e9ef"  # chart text as bright as the page text, for the wall


def _layout(fig: go.Figure, height: int, *, font: int = 14, legend: bool = True) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10),
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", font=dict(size=font, color=TEXT),
                      showlegend=legend, legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
                      hovermode="x unified")
    fig.update_xaxes(gridcolor=GRID, automargin=True)
    fig.update_yaxes(gridcolor=GRID, rangemode="tozero", automargin=True)
    return fig


def daily_frame(series: pd.DataFrame) -> pd.DataFrame:
    """Daily new cases (a day without a row inside the span counts as 0) and the 7-day average."""
    out = series[["tanggal", "kode_wilayah", "tingkat", "kasus_baru", "kasus_rerata_7hari"]].copy()
    out["kasus_baru"] = out["kasus_baru"].where(series["ada_data"], 0)
    return out


@cached_figure
def daily_chart(daily: pd.DataFrame, lang: str, height: int = 340, font: int = 14) -> go.Figure:
    from warroom.i18n import t
    fig = go.Figure()
    fig.add_bar(x=daily["tanggal"], y=daily["kasus_baru"], name=t("covid.chart.daily.new", lang),
                marker_color=BAR_COLOUR, opacity=0.75)
    fig.add_scatter(x=daily["tanggal"], y=daily["kasus_rerata_7hari"], name=t("covid.chart.daily.avg", lang),
                    mode="lines", line=dict(color=AVERAGE_COLOUR, width=3))
    return localise(_layout(fig, height, font=font), daily["tanggal"], lang)


@cached_figure
def active_chart(series: pd.DataFrame, lang: str, height: int = 260) -> go.Figure:
    from warroom.i18n import t
    fig = go.Figure()
    fig.add_scatter(x=series["tanggal"], y=series["aktif"], name=t("covid.chart.active", lang), mode="lines",
                    line=dict(color=ACTIVE_COLOUR, width=3), fill="tozeroy")
    return localise(_layout(fig, height, legend=False), series["tanggal"], lang, most=6)


def level_frame(series: pd.DataFrame) -> pd.DataFrame:
    cols = ["tanggal", "kode_wilayah", "tingkat", *covid.RATE_COLUMNS.values(), "positivity_7hari_persen"]
    return covid.add_levels(series[cols])


@cached_figure
def level_chart(levels: pd.DataFrame, lang: str, height: int = 200, font: int = 14) -> go.Figure:
    """One bar a day, as high as its level, coloured and named per level (word + symbol in the legend)."""
    fig = go.Figure()
    for level, (colour, symbol) in covid.LEVEL_STYLE.items():
        part = levels[levels["level_ppkm"] == level]
        text, _, _ = covid.level_label(level, lang)
        fig.add_bar(x=part["tanggal"], y=[level] * len(part), name=f"{symbol} {text}", marker_color=colour,
                    hovertemplate="%{x|" + HOVER_DATE + "}: " + html.escape(text) + "<extra></extra>")
    fig.update_layout(barmode="overlay", bargap=0)
    fig = _layout(fig, height, font=font)
    fig.update_yaxes(range=[0, 4.2], tickvals=[1, 2, 3, 4], rangemode="normal")
    fig.update_layout(hovermode="closest")
    return localise(fig, levels["tanggal"], lang)


@cached_figure
def multiples_chart(children: pd.DataFrame, lang: str, height_per_row: int = 150, shared: bool = True) -> go.Figure:
    """One small chart per area. shared (default): every chart on the same y scale, so an area
    with few cases does not look as alarming as one with many; else each on its own."""
    from plotly.subplots import make_subplots
    names = list(dict.fromkeys(children["nama"]))
    cols = 5
    rows = max((len(names) + cols - 1) // cols, 1)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=names, shared_xaxes=True,
                        vertical_spacing=0.5 / rows, horizontal_spacing=0.03)
    for i, name in enumerate(names):
        part = children[children["nama"] == name]
        fig.add_scatter(x=part["tanggal"], y=part["kasus_rerata_7hari"], mode="lines", name=name,
                        line=dict(color=AVERAGE_COLOUR, width=2), row=i // cols + 1, col=i % cols + 1,
                        customdata=multiples_hover(part, lang),
                        hovertemplate="%{customdata[0]}<extra></extra>")
    fig = _layout(fig, 60 + rows * height_per_row, font=12, legend=False)
    fig.update_annotations(font_size=13)
    if shared:
        top = pd.to_numeric(children["kasus_rerata_7hari"], errors="coerce").max()
        top = 1.0 if pd.isna(top) or top <= 0 else float(top) * 1.05
        fig.update_yaxes(range=[0, top], rangemode="normal")
    return localise(fig, children["tanggal"], lang, most=2)


def multiples_hover(part: pd.DataFrame, lang: str) -> list[list[str]]:
    """The hover text of each day of one area's small multiple: the same figures, rounded the
    same way (fmt.measure: half away from zero, 2 decimals), as the ranking table and the
    downloads show them."""
    from warroom.i18n import t
    rates = part["kasus_7hari_per_100rb"] if "kasus_7hari_per_100rb" in part else [None] * len(part)
    return [[html.escape(t("covid.hover.multiples", lang, date=fmt.day_month(d, lang), avg=fmt.measure(avg, lang),
                           rate=fmt.measure(rate, lang)))]
            for d, avg, rate in zip(pd.to_datetime(part["tanggal"]).dt.date, part["kasus_rerata_7hari"], rates)]


def ranking_table(ranked: pd.DataFrame, *, anonymous: bool, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table to show, its numbers to download); small kelurahan figures as "<5" for anonymous viewers."""
    from warroom.i18n import t
    hidden = covid.suppress_for_viewer(ranked, anonymous=anonymous, marker=t("fmt.suppressed", lang, n=covid.THRESHOLDS.suppress_below))

    def number(v, decimals=0):
        return v if isinstance(v, str) else fmt.number(v, lang, decimals)

    shown = pd.DataFrame({
        t("covid.col.area", lang): ranked["nama"],
        t("covid.col.rate", lang): [v if isinstance(v, str) else fmt.measure(v, lang)
                                    for v in hidden["kasus_7hari_per_100rb"]],
        t("covid.col.level", lang): [level_text(v, lang) for v in ranked["level_ppkm"]],
        t("covid.col.trend", lang): [covid.trend_label(v, lang) for v in ranked["tren"]],
        t("covid.col.cases7", lang): [number(v) for v in hidden["kasus_7hari"]],
        t("covid.col.active", lang): [number(v) for v in hidden["aktif"]],
        t("covid.col.positivity", lang): [fmt.measure(v, lang) + " %" if not fmt.is_missing(v) else fmt.measure(v, lang)
                                          for v in ranked["positivity_7hari_persen"]],
    })
    download = hidden[["kode_wilayah", "nama", "tanggal", "penduduk", "kasus_7hari", "kasus_7hari_per_100rb",
                       "rawat_inap_7hari_per_100rb", "meninggal_7hari_per_100rb", "positivity_7hari_persen",
                       "level_ppkm", "indikator_tersedia", "tren", "aktif"]]
    return shown, download


def level_text(level, lang: str) -> str:
    text, _, symbol = covid.level_label(level, lang)
    return f"{symbol} {text}"


def level_chip(level, lang: str) -> str:
    text, colour, symbol = covid.level_label(level, lang)
    return (f"<span class='wr-chip' style='background:{colour}'>{symbol} {html.escape(text)}</span>")


def ranking_html(shown: pd.DataFrame, levels: pd.Series, lang: str, font_px: int = 15) -> str:
    """The ranking as an HTML table: the level cell coloured, with its symbol and word."""
    from warroom.i18n import t
    level_col = t("covid.col.level", lang)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in shown.columns)
    body = []
    for (_, row), level in zip(shown.iterrows(), levels):
        cells = []
        for col, value in row.items():
            cells.append(f"<td>{level_chip(level, lang)}</td>" if col == level_col
                         else f"<td>{safe_text.text(value)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f"<table class='wr-covid-rank' style='font-size:{font_px}px'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def freshness_line(newest: date | None, lang: str) -> str:
    from warroom.i18n import t
    state = freshness.status("daily", newest, today())
    colour, symbol = freshness.STYLE[state]
    when = fmt.long_date(newest, lang) if newest else t("fmt.na", lang)
    return (f"<span class='wr-chip' style='background:{colour}'>{symbol} {html.escape(t(f'freshness.{state}', lang))}"
            f"</span> <span class='wr-covid-note'>"
            f"{html.escape(t('covid.freshness', lang, date=when))}</span>")


def render(ctx, *, wall: bool = False) -> None:
    """The city's figures on the newest day of data: cards, daily cases of the last 120 days, levels."""
    st.markdown(CSS, unsafe_allow_html=True)
    first, last = data_dates()
    if last is None:
        st.info(ctx.t("covid.no_data"))
        return
    kode = city().kode
    row = headline(kode, last)
    bor = bor_on(kode, last)
    cards = mark_high_bor(covid.headline_cards(row, bor, anonymous=ctx.anonymous, lang=ctx.lang), bor, ctx.lang)
    wrapper = "wr-covid-wall" if wall else ""
    st.markdown(f"<div class='{wrapper}'>{freshness_line(last, ctx.lang)}"
                f"<div class='wr-covid-note wr-level-note'>{html.escape(ctx.t('covid.level.note'))}</div>"
                f"{cards_html(cards, lang=ctx.lang)}</div>", unsafe_allow_html=True)
    start = max(first, last - timedelta(days=119))
    series = data.query("covid_area_series", kode=kode, dari=start, sampai=last)
    chart_height = int(getattr(ctx, "chart_height", 720))
    font = round(26 * chart_height / 720) if wall else 14  # 26 px at 1080 (the wall's 24 px floor), x2 at 4K
    left, right = st.columns([3, 2])
    with left:
        _chart_title(ctx.t('covid.chart.daily'), wall)
        st.plotly_chart(daily_chart(daily_frame(series), ctx.lang,
                                    height=int(chart_height * 0.62) if wall else 320, font=font),
                        width="stretch", theme=None, config={"displayModeBar": False},
                        key=f"covid_wall_daily_{wall}")
    with right:
        _chart_title(ctx.t('covid.chart.level'), wall)
        st.plotly_chart(level_chart(level_frame(series), ctx.lang,
                                    height=int(chart_height * 0.62) if wall else 320, font=font),
                        width="stretch", theme=None, config={"displayModeBar": False},
                        key=f"covid_wall_level_{wall}")


BOR_HIGH_COLOUR = "#CC79A7"   # the map's colour and symbol (★) for a high bed occupancy


def mark_high_bor(cards: list[dict], bor: dict | None, lang: str) -> list[dict]:
    """The isolation-bed card says so when occupancy is above THRESHOLDS.bor_high_percent (the
    one setting the map uses too): its colour, ★ and the words."""
    from warroom.config import THRESHOLDS
    from warroom.i18n import t
    value = None if bor is None else bor.get("bor_isolasi_persen")
    if value is None or fmt.is_missing(value) or float(value) <= THRESHOLDS.bor_high_percent:
        return cards
    high = t("covid.card.bor.high", lang, high=fmt.number(THRESHOLDS.bor_high_percent, lang))
    return [{**c, "colour": BOR_HIGH_COLOUR, "sub": f"{high} · {c['sub']}"} if c["key"] == "bor" else c
            for c in cards]


def _chart_title(text: str, wall: bool) -> None:
    if wall:
        st.markdown(f"<div class='wr-covid-wall-title'>{html.escape(text)}</div>", unsafe_allow_html=True)
    else:
        st.markdown(f"**{html.escape(text)}**")


# --- the page's filters ---------------------------------------------------------------

def _url_date(key: str, default: date, first: date, last: date) -> date:
    value = url.get_date(key)
    return default if value is None else min(max(value, first), last)


def filters(ctx, areas: pd.DataFrame, first: date, last: date) -> tuple[str, date, date]:
    """Date range and area (city → kecamatan → kelurahan), read from and written to the URL."""
    kota = city().kode
    names = dict(zip(areas["kode_wilayah"], areas["nama"]))
    parents = dict(zip(areas["kode_wilayah"], areas["kode_induk"]))
    tingkat = dict(zip(areas["kode_wilayah"], areas["tingkat"]))
    kecamatan = areas.loc[areas["tingkat"] == "kecamatan", "kode_wilayah"].tolist()
    wanted = url.get("wilayah", names, kota)
    kec_default = wanted if tingkat.get(wanted) == "kecamatan" else parents.get(wanted) \
        if tingkat.get(wanted) == "kelurahan" else ""

    default_from = max(first, last - timedelta(days=179))
    dari = _url_date("dari", default_from, first, last)
    sampai = _url_date("sampai", last, first, last)
    if dari > sampai:
        dari, sampai = default_from, last

    c1, c2, c3 = st.columns([2, 2, 2])
    picked = c1.date_input(ctx.t("covid.filter.dates"), value=(dari, sampai), min_value=first, max_value=last,
                           format="DD/MM/YYYY", key="covid_dates")
    if isinstance(picked, (tuple, list)) and len(picked) == 2:
        dari, sampai = picked
    kec_choices = ["", *kecamatan]
    kec = c2.selectbox(ctx.t("covid.filter.kecamatan"), kec_choices,
                       index=kec_choices.index(kec_default) if kec_default in kec_choices else 0,
                       format_func=lambda k: names.get(k, ctx.t("covid.filter.all_city")), key="covid_kecamatan")
    kel_choices = [""] + (areas.loc[areas["kode_induk"] == kec, "kode_wilayah"].tolist() if kec else [])
    kel = c3.selectbox(ctx.t("covid.filter.kelurahan"), kel_choices,
                       index=kel_choices.index(wanted) if wanted in kel_choices else 0,
                       format_func=lambda k: names.get(k, ctx.t("covid.filter.all_kecamatan")),
                       disabled=not kec, key="covid_kelurahan")
    kode = kel or kec or kota
    url.put("wilayah", kode)
    url.put("dari", dari.isoformat())
    url.put("sampai", sampai.isoformat())
    return kode, dari, sampai


def open_conflicts(kode: str, dari: date, sampai: date) -> pd.DataFrame:
    """Open conflicts on this area or below it in the range. Our own query (fast at 10M rows) rather
    than warroom.conflicts.open_conflicts, which rolls up every sender on each call; resolutions
    the walidata recorded there close a conflict here too."""
    return data.query("covid_conflicts", produsen=covid.producer(), kode=kode, dari=dari, sampai=sampai)


# --- corrections and the parent region's series as context (issue 17) ---------------------

CORRECTION_COLOUR = "#D55E00"
CONTEXT_COLOUR = "#999999"


def correction_days(kode: str, dari: date, sampai: date) -> pd.DataFrame:
    """Days with a source correction (a derived negative daily count) in the area or below it."""
    return data.query("covid_corrections", kode=kode, dari=dari, sampai=sampai, produsen=covid.producer())


@cached_figure
def correction_chart(daily: pd.DataFrame, corrections: pd.DataFrame, lang: str, height: int = 340) -> go.Figure:
    """The daily chart with each source correction drawn as its own marked bar/point: shown, never hidden."""
    from warroom.i18n import t
    fig = go.Figure(daily_chart(daily, lang, height))     # a copy: the cached figure stays as it is
    if not corrections.empty:
        fig.add_scatter(x=corrections["tanggal"], y=corrections["kasus_baru"], mode="markers",
                        name=t("covid.chart.correction", lang),
                        marker=dict(symbol="x", size=12, color=CORRECTION_COLOUR, line=dict(width=2)),
                        customdata=corrections[["kasus_baru", "sembuh_baru", "meninggal_baru"]].values,
                        hovertemplate="%{customdata[0]} / %{customdata[1]} / %{customdata[2]}")
    return fig


def context_sources(parent: str) -> pd.DataFrame:
    return data.query("covid_context_sources", kode=parent)


def context_frame(parent: str, sumber: str, dari: date, sampai: date) -> pd.DataFrame:
    return data.query("covid_context_series", kode=parent, sumber=sumber, dari=dari, sampai=sampai)


@cached_figure
def context_chart(region: pd.DataFrame, region_name: str, city_series: pd.DataFrame, city_name: str,
                  lang: str, height: int = 280) -> go.Figure:
    from warroom.i18n import t
    fig = go.Figure()
    fig.add_scatter(x=region["tanggal"], y=region["kasus_7hari_per_100rb"], mode="lines",
                    name=t("covid.context.series", lang, name=region_name),
                    line=dict(color=CONTEXT_COLOUR, width=3, dash="dot"))
    if not city_series.empty:
        fig.add_scatter(x=city_series["tanggal"], y=city_series["kasus_7hari_per_100rb"], mode="lines",
                        name=t("covid.context.series", lang, name=city_name),
                        line=dict(color=AVERAGE_COLOUR, width=3))
    dates = pd.concat([region["tanggal"], city_series["tanggal"]]) if not city_series.empty else region["tanggal"]
    return localise(_layout(fig, height), dates, lang)


def context_section(ctx, dari: date | None = None, sampai: date | None = None,
                    city_series: pd.DataFrame | None = None) -> bool:
    """The parent region's series (the province) beside the city, per 100,000, with its own source
    named. Returns False when no series of the parent is stored."""
    c = city()
    parent = c.kode_provinsi
    sources = context_sources(parent)
    if sources.empty:
        return False
    src = sources.iloc[0]
    first, last = pd.Timestamp(src["pertama"]).date(), pd.Timestamp(src["terakhir"]).date()
    if sampai is None or sampai < first or (dari is not None and dari > last):
        sampai = last
        dari = max(first, last - timedelta(days=119))
    region = context_frame(parent, src["sumber_opd"], dari, sampai)
    if region.empty:
        return False
    name = region["nama"].iloc[0] or c.nama_provinsi
    st.subheader(ctx.t("covid.context.title", region=name, kota=c.nama))
    st.caption(ctx.t("covid.context.note", region=name, kota=c.nama))
    population = region["penduduk"].iloc[0]
    if pd.isna(population):
        st.info(ctx.t("covid.context.no_population", region=name))
    else:
        city_part = (city_series[["tanggal", "kasus_7hari_per_100rb"]] if city_series is not None
                     and not city_series.empty else pd.DataFrame(columns=["tanggal", "kasus_7hari_per_100rb"]))
        st.plotly_chart(context_chart(region, name, city_part, c.nama, ctx.lang), width="stretch", theme=None,
                        key="covid_context")
    pop_row = data.query("covid_context_population", kode=parent)
    pop_source = pop_row["sumber_penduduk"].iloc[0] if not pop_row.empty else None
    st.caption(ctx.t("covid.context.source", region=name, sender=src["sumber_opd"], files=src["berkas"] or "-",
                     n=fmt.number(int(src["baris"]), ctx.lang),
                     first=fmt.long_date(first, ctx.lang), last=fmt.long_date(last, ctx.lang),
                     population=ctx.t("fmt.na") if pd.isna(population) else fmt.number(int(population), ctx.lang),
                     population_source=pop_source or ctx.t("fmt.na")))
    return True
