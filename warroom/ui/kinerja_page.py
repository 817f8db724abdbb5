"""Kinerja OPD page: the agencies against their targets (filters bound to the URL, traffic
lights, ranking, one agency's indicators, late reporters, data problems) and the Smart City apps."""
from __future__ import annotations

import streamlit as st

from warroom import fmt, kinerja
from warroom.config import THRESHOLDS, today
from warroom.ui import data, url, widgets
from warroom.ui import kinerja_tables as tables
from warroom.ui.panels import kinerja as panel


def render(ctx) -> None:
    st.markdown(panel.CSS, unsafe_allow_html=True)
    agency_sections(ctx)
    apps_section(ctx)


def agency_sections(ctx) -> None:
    scores = data.query("kinerja_skor_opd", **kinerja.band_params())
    months = kinerja.months_with_data(scores)
    if not months:
        st.info(ctx.t("kinerja.no_data"))
        return
    names = dict(zip(scores["kode_opd"], scores["nama_opd"].fillna(scores["kode_opd"])))
    month, agency, bands = _filters(ctx, scores, months, names)
    in_month = scores[scores["bulan"] == month]
    shown = in_month[(in_month["kode_opd"] == agency) if agency else in_month["kode_opd"].notna()]
    if bands:
        shown = shown[shown["kategori"].isin(bands)]
    label = kinerja.month_label(month, ctx.lang)
    _traffic_lights(ctx, scores, shown, month)
    _ranking(ctx, shown, month, label)
    _drill(ctx, agency, names, month, label)
    _late_reporters(ctx)
    _data_problems(ctx)


def _filters(ctx, scores, months: list[str], names: dict) -> tuple[str, str, list[str]]:
    """Period, agency and bands, bound to the URL (a link opens the same view)."""
    agencies = sorted(scores["kode_opd"].unique().tolist())
    f1, f2, f3 = st.columns([1, 2, 2])
    month = f1.selectbox(ctx.t("kinerja.filter.period"), months,
                         index=months.index(url.get("periode", months, kinerja.default_month(months, today()))),
                         format_func=lambda m: kinerja.month_label(m, ctx.lang), key="kinerja_periode")
    agency_choices = ["", *agencies]
    agency = f2.selectbox(ctx.t("kinerja.filter.agency"), agency_choices,
                          index=agency_choices.index(url.get("opd", agency_choices, "") or ""),
                          format_func=lambda k: names.get(k, ctx.t("kinerja.filter.all_agencies")),
                          key="kinerja_opd")
    bands = f3.multiselect(ctx.t("kinerja.filter.band"), list(kinerja.BANDS), default=url.get_list("kategori", kinerja.BANDS),
                           format_func=lambda b: tables.band_label(b, ctx.lang), key="kinerja_kategori",
                           placeholder=ctx.t("kinerja.filter.all_bands"))
    url.put("periode", month)
    url.put("opd", agency)
    url.put("kategori", ",".join(bands))
    return month, agency, bands


def _traffic_lights(ctx, scores, shown, month: str) -> None:
    st.subheader(ctx.t("kinerja.grid"))
    grid_months = kinerja.recent_months(month, 12)
    grid_rows = [r for r in kinerja.traffic_light(scores, grid_months) if r["kode_opd"] in set(shown["kode_opd"])]
    if grid_rows:
        st.markdown(panel.stamp_html(scores, ctx.lang, 15) + panel.legend_html(ctx.lang)
                    + panel.grid_html(grid_rows, grid_months, ctx.lang), unsafe_allow_html=True)
    else:
        st.info(ctx.t("kinerja.grid.none_selected"))
    widgets.downloads(tables.grid_download(grid_rows, grid_months), f"kinerja_lampu_{month}", ctx.lang, "kinerja_grid")


def _ranking(ctx, shown, month: str, label: str) -> None:
    st.subheader(ctx.t("kinerja.ranking", period=label))
    band_col = ctx.t("kinerja.col.band")
    if shown["skor"].notna().any():
        st.plotly_chart(tables.ranking_chart(shown, ctx.lang), width="stretch", theme=None, key="kinerja_bars",
                        config={"displayModeBar": False})
    st.dataframe(tables.ranking(shown, ctx.lang).style.apply(tables.band_colours, subset=[band_col]),
                 hide_index=True, width="stretch", height=tables.height(len(shown)))
    widgets.downloads(tables.ranking_download(shown), f"kinerja_skor_{month}", ctx.lang, "kinerja_rank")


def _drill(ctx, agency: str, names: dict, month: str, label: str) -> None:
    """One agency's indicators, when one is chosen."""
    if not agency:
        st.caption(ctx.t("kinerja.drill.pick"))
        return
    st.subheader(ctx.t("kinerja.drill", opd=names[agency], period=label))
    capaian = data.query("kinerja_capaian", **kinerja.band_params())
    screen, download = tables.indicators(capaian[capaian["kode_opd"] == agency], month, ctx.lang)
    if screen.empty:
        st.info(ctx.t("kinerja.drill.none"))
        return
    band_col, spark = ctx.t("kinerja.col.band"), ctx.t("kinerja.col.sparkline")
    st.dataframe(screen.style.apply(tables.band_colours, subset=[band_col]), hide_index=True, width="stretch",
                 column_config={spark: st.column_config.LineChartColumn(spark, width="medium")})
    widgets.downloads(download, f"kinerja_{agency}_{month}", ctx.lang, "kinerja_drill")


def _late_reporters(ctx) -> None:
    """The latest month past its due date: who has not reported."""
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


def _data_problems(ctx) -> None:
    st.subheader(ctx.t("kinerja.problems"))
    problems = data.query("kinerja_masalah_data")
    if problems.empty:
        st.caption(ctx.t("kinerja.problems.none"))
    else:
        st.caption(ctx.t("kinerja.problems.caption"))
        st.dataframe(tables.problems(problems, ctx.lang), hide_index=True, width="stretch")
        widgets.downloads(problems, "kinerja_masalah_data", ctx.lang, "kinerja_problems")


def apps_section(ctx) -> None:
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
