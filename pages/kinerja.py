"""Kinerja OPD: which agencies deliver against their targets, and the Smart City apps."""
import streamlit as st

from warroom import fmt, kinerja
from warroom.config import THRESHOLDS, today
from warroom.ui import data, page, widgets
from warroom.ui import kinerja_tables as tables
from warroom.ui.panels import kinerja as panel

# A bookmarked /kinerja URL runs this file without app.py: the grid needs the wide layout.
st.set_page_config(layout="wide")
ctx = page.setup("kinerja")
st.title(ctx.t("nav.kinerja"))
st.caption(ctx.t("kinerja.caption"))
st.markdown(panel.CSS, unsafe_allow_html=True)


def url_value(key: str, choices: list, default):
    """The URL's value for `key` when it is one of `choices`, else the default."""
    value = st.query_params.get(key)
    return value if value in choices else default


def url_values(key: str, choices: list) -> list:
    return [v for v in st.query_params.get(key, "").split(",") if v in choices]


scores = data.query("kinerja_skor_opd", **kinerja.band_params())
months = kinerja.months_with_data(scores)
if not months:
    st.info(ctx.t("kinerja.no_data"))
else:
    # --- filters, bound to the URL ------------------------------------------------
    agencies = sorted(scores["kode_opd"].unique().tolist())
    names = dict(zip(scores["kode_opd"], scores["nama_opd"].fillna(scores["kode_opd"])))
    f1, f2, f3 = st.columns([1, 2, 2])
    month = f1.selectbox(ctx.t("kinerja.filter.period"), months,
                         index=months.index(url_value("periode", months, kinerja.default_month(months, today()))),
                         format_func=lambda m: kinerja.month_label(m, ctx.lang), key="kinerja_periode")
    agency_choices = ["", *agencies]
    agency = f2.selectbox(ctx.t("kinerja.filter.agency"), agency_choices,
                          index=agency_choices.index(url_value("opd", agency_choices, "")),
                          format_func=lambda k: names.get(k, ctx.t("kinerja.filter.all_agencies")),
                          key="kinerja_opd")
    bands = f3.multiselect(ctx.t("kinerja.filter.band"), list(kinerja.BANDS), default=url_values("kategori", kinerja.BANDS),
                           format_func=lambda b: tables.band_label(b, ctx.lang), key="kinerja_kategori",
                           placeholder=ctx.t("kinerja.filter.all_bands"))
    st.query_params["periode"] = month
    for key, value in (("opd", agency), ("kategori", ",".join(bands))):
        if value:
            st.query_params[key] = value
        elif key in st.query_params:
            del st.query_params[key]

    in_month = scores[scores["bulan"] == month]
    shown = in_month[(in_month["kode_opd"] == agency) if agency else in_month["kode_opd"].notna()]
    if bands:
        shown = shown[shown["kategori"].isin(bands)]
    label = kinerja.month_label(month, ctx.lang)

    # --- traffic lights ---------------------------------------------------------------
    st.subheader(ctx.t("kinerja.grid"))
    grid_months = kinerja.recent_months(month, 12)
    grid_rows = [r for r in kinerja.traffic_light(scores, grid_months) if r["kode_opd"] in set(shown["kode_opd"])]
    if grid_rows:
        st.markdown(panel.stamp_html(scores, ctx.lang, 15) + panel.legend_html(ctx.lang)
                    + panel.grid_html(grid_rows, grid_months, ctx.lang), unsafe_allow_html=True)
    else:
        st.info(ctx.t("kinerja.grid.none_selected"))
    widgets.downloads(tables.grid_download(grid_rows, grid_months), f"kinerja_lampu_{month}", ctx.lang, "kinerja_grid")

    # --- ranking --------------------------------------------------------------------
    st.subheader(ctx.t("kinerja.ranking", period=label))
    band_col = ctx.t("kinerja.col.band")
    if shown["skor"].notna().any():
        st.plotly_chart(tables.ranking_chart(shown, ctx.lang), width="stretch", theme=None, key="kinerja_bars",
                        config={"displayModeBar": False})
    st.dataframe(tables.ranking(shown, ctx.lang).style.apply(tables.band_colours, subset=[band_col]),
                 hide_index=True, width="stretch", height=tables.height(len(shown)))
    widgets.downloads(tables.ranking_download(shown), f"kinerja_skor_{month}", ctx.lang, "kinerja_rank")

    # --- drill into one agency ---------------------------------------------------------
    if agency:
        st.subheader(ctx.t("kinerja.drill", opd=names[agency], period=label))
        capaian = data.query("kinerja_capaian", **kinerja.band_params())
        screen, download = tables.indicators(capaian[capaian["kode_opd"] == agency], month, ctx.lang)
        if screen.empty:
            st.info(ctx.t("kinerja.drill.none"))
        else:
            spark = ctx.t("kinerja.col.sparkline")
            st.dataframe(screen.style.apply(tables.band_colours, subset=[band_col]), hide_index=True, width="stretch",
                         column_config={spark: st.column_config.LineChartColumn(spark, width="medium")})
            widgets.downloads(download, f"kinerja_{agency}_{month}", ctx.lang, "kinerja_drill")
    else:
        st.caption(ctx.t("kinerja.drill.pick"))

    # --- late reporters (the latest month past its due date) ------------------------------
    due_month = kinerja.latest_due_month(today())
    params = kinerja.reporting_params(due_month, today())
    reporting = data.query("kinerja_pelaporan", **params)
    st.subheader(ctx.t("kinerja.late", period=kinerja.month_label(due_month, ctx.lang),
                       due=fmt.long_date(params["jatuh_tempo"], ctx.lang)))
    late = tables.late(reporting, ctx.lang)
    if late.empty:
        st.success(ctx.t("kinerja.late.none", period=kinerja.month_label(due_month, ctx.lang)))
    else:
        st.dataframe(late, hide_index=True, width="stretch")
    widgets.downloads(reporting, f"kinerja_pelaporan_{due_month}", ctx.lang, "kinerja_late")

    # --- data problems -----------------------------------------------------------------
    st.subheader(ctx.t("kinerja.problems"))
    problems = data.query("kinerja_masalah_data")
    if problems.empty:
        st.caption(ctx.t("kinerja.problems.none"))
    else:
        st.caption(ctx.t("kinerja.problems.caption"))
        st.dataframe(tables.problems(problems, ctx.lang), hide_index=True, width="stretch")
        widgets.downloads(problems, "kinerja_masalah_data", ctx.lang, "kinerja_problems")

# --- Smart City apps -------------------------------------------------------------------
st.header(ctx.t("aplikasi.title"))
minimum = THRESHOLDS.app_availability_min
apps = data.query("aplikasi_daftar", ketersediaan_min=minimum)
if apps.empty:
    st.info(ctx.t("aplikasi.none"))
else:
    st.caption(ctx.t("aplikasi.caption", min=fmt.number(minimum, ctx.lang)))
    per_agency = data.query("aplikasi_per_opd", ketersediaan_min=minimum)
    cards = [(ctx.t("aplikasi.total"), len(apps)), (ctx.t("aplikasi.active"), int((apps["status"] == "aktif").sum())),
             (ctx.t("aplikasi.down"), int((apps["peringatan"] == "mati").sum())),
             (ctx.t("aplikasi.below", min=fmt.number(minimum, ctx.lang)), int((apps["peringatan"] == "di_bawah_minimum").sum()))]
    for col, (name, value) in zip(st.columns(4), cards):
        col.markdown(widgets.card(name, fmt.number(value, ctx.lang)), unsafe_allow_html=True)
    st.subheader(ctx.t("aplikasi.registry"))
    alert_col = ctx.t("aplikasi.col.alert")
    st.dataframe(tables.apps(apps, ctx.lang).style.apply(tables.alert_colours, subset=[alert_col]),
                 hide_index=True, width="stretch")
    widgets.downloads(apps, "aplikasi", ctx.lang, "aplikasi_list")
    st.subheader(ctx.t("aplikasi.per_agency"))
    st.dataframe(tables.apps_per_agency(per_agency, ctx.lang), hide_index=True, width="stretch")
    widgets.downloads(per_agency, "aplikasi_per_opd", ctx.lang, "aplikasi_opd")
