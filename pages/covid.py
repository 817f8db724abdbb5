"""Covid-19: where it is spreading, how fast, and whether hospitals cope (official DINKES figures)."""
import html

import streamlit as st

from warroom import covid, fmt, safe_text
from warroom.config import city
from warroom.ui import data, page, widgets
from warroom.ui.panels import covid as panel

st.set_page_config(layout="wide")
ctx = page.setup("covid")
st.markdown(panel.CSS, unsafe_allow_html=True)
first, last = panel.data_dates()
if last is None:
    st.title(ctx.t("nav.covid"))
    st.info(ctx.t("covid.no_data"))
    panel.context_section(ctx)   # a parent region's series (e.g. the province) is still shown, as context
    st.stop()

title = st.empty()  # the title names the area the filters below pick
areas = data.query("covid_areas", kota=city().kode)
kode, dari, sampai = panel.filters(ctx, areas, first, last)
area = areas.set_index("kode_wilayah").loc[kode]
title.title(ctx.t("covid.title", area=safe_text.text(area["nama"])))   # a name from data: inert text
# The chip says how fresh the newest data is; the range's end is named only when it is not that day.
shown_as_of = (ctx.t("covid.source", producer=covid.producer()) if sampai == last else
               ctx.t("covid.as_of", date=fmt.long_date(sampai, ctx.lang), producer=covid.producer()))
st.markdown(panel.freshness_line(last, ctx.lang) + " <span class='wr-covid-note'>· "
            + html.escape(shown_as_of) + "</span>", unsafe_allow_html=True)

# --- headline cards ------------------------------------------------------------------
conflicts = panel.open_conflicts(kode, dari, sampai)
on_day = conflicts[conflicts["tanggal"].astype(str).str[:10] == sampai.isoformat()] if not conflicts.empty else conflicts
bor_today = panel.bor_on(kode, sampai)
cards = panel.mark_high_bor(covid.headline_cards(panel.headline(kode, sampai), bor_today,
                                                 anonymous=ctx.anonymous, lang=ctx.lang), bor_today, ctx.lang)
st.markdown(panel.cards_html(cards, flagged=not on_day.empty, lang=ctx.lang), unsafe_allow_html=True)
st.caption(ctx.t("covid.level.note"))
if not conflicts.empty:
    st.warning(ctx.t("covid.conflict.detail", n=len(conflicts), producer=covid.producer()))
if ctx.anonymous and area["tingkat"] == "kelurahan":
    st.caption(ctx.t("covid.suppressed_note"))

# --- daily cases and active cases ------------------------------------------------------
raw = data.query("covid_area_series", kode=kode, dari=dari, sampai=sampai)
series = covid.suppress_for_viewer(raw, anonymous=ctx.anonymous)
numbers = covid.suppress_for_viewer(raw, anonymous=ctx.anonymous, marker="<5")
left, right = st.columns([3, 2])
with left:
    st.subheader(ctx.t("covid.chart.daily"))
    daily = panel.daily_frame(series)
    corrections = panel.correction_days(kode, dari, sampai)
    st.plotly_chart(panel.correction_chart(daily, corrections, ctx.lang), width="stretch", theme=None,
                    key="covid_daily")
    if not corrections.empty:
        st.caption(ctx.t("covid.correction.note", n=int(corrections["baris"].sum())))
    widgets.downloads(panel.daily_frame(numbers), f"covid_harian_{kode}", ctx.lang, "covid_daily_dl")
with right:
    st.subheader(ctx.t("covid.chart.active"))
    st.plotly_chart(panel.active_chart(series, ctx.lang), width="stretch", theme=None, key="covid_active")
    widgets.downloads(numbers[["tanggal", "kode_wilayah", "aktif", "kasus_kumulatif", "sembuh_kumulatif",
                              "meninggal_kumulatif", "cfr_persen"]], f"covid_aktif_{kode}", ctx.lang, "covid_active_dl")

# --- transmission level timeline ---------------------------------------------------------
st.subheader(ctx.t("covid.chart.level"))
levels = panel.level_frame(series)
st.plotly_chart(panel.level_chart(levels, ctx.lang), width="stretch", theme=None, key="covid_levels")
widgets.downloads(levels, f"covid_tingkat_transmisi_{kode}", ctx.lang, "covid_levels_dl")

# --- child areas: ranking and small multiples ------------------------------------------------
if area["tingkat"] != "kelurahan":
    st.subheader(ctx.t("covid.chart.ranking"))
    ranked = covid.ranking_frame(data.query("covid_children_at_date", kode=kode, tanggal=sampai))
    shown, ranking_numbers = panel.ranking_table(ranked, anonymous=ctx.anonymous, lang=ctx.lang)
    st.markdown(panel.ranking_html(shown, ranked["level_ppkm"], ctx.lang), unsafe_allow_html=True)
    widgets.downloads(ranking_numbers, f"covid_peringkat_{kode}_{sampai}", ctx.lang, "covid_rank_dl")

    st.subheader(ctx.t("covid.chart.multiples"))
    shared = st.toggle(ctx.t("covid.multiples.shared"), value=True, key="covid_multiples_shared",
                       help=ctx.t("covid.multiples.shared.help"))
    children = covid.suppress_for_viewer(data.query("covid_children_series", kode=kode, dari=dari, sampai=sampai),
                                         anonymous=ctx.anonymous)
    st.plotly_chart(panel.multiples_chart(children, ctx.lang, shared=shared), width="stretch", theme=None,
                    key="covid_multiples")
    widgets.downloads(children[["tanggal", "kode_wilayah", "nama", "kasus_baru", "kasus_rerata_7hari",
                                "kasus_7hari_per_100rb"]], f"covid_per_wilayah_{kode}", ctx.lang, "covid_multiples_dl")

# --- the parent region's series as context ---------------------------------------------------
city_raw = raw if kode == city().kode else data.query("covid_area_series", kode=city().kode, dari=dari, sampai=sampai)
panel.context_section(ctx, dari, sampai, city_raw)
