"""Ringkasan: the day's headline figures of every part of the war room."""
import streamlit as st

from warroom import datasets, fmt, freshness
from warroom.config import city, today
from warroom.ui import data, page, widgets

ctx = page.setup("ringkasan")
st.title(f"{ctx.t('nav.ringkasan')} · {city().nama}")
st.caption(fmt.long_date(today(), ctx.lang))

areas = data.query("wilayah_counts", kota=city().kode).set_index("tingkat")
cols = st.columns(3)
for col, tingkat in zip(cols, ("kota", "kecamatan", "kelurahan")):
    count = int(areas.loc[tingkat, "jumlah"]) if tingkat in areas.index else 0
    population = areas.loc[tingkat, "penduduk"] if tingkat in areas.index else None
    col.markdown(widgets.card(ctx.t(f"ringkasan.areas.{tingkat}"), fmt.number(count, ctx.lang),
                              ctx.t("ringkasan.population", n=fmt.number(population, ctx.lang))),
                 unsafe_allow_html=True)

st.subheader(ctx.t("ringkasan.freshness"))
status = data.query("dataset_status").set_index("dataset")
rows = []
for ds in datasets.all_datasets():
    r = status.loc[ds.name]
    state = freshness.status(ds.frequency, r["data_terbaru"], today())
    rows.append({
        ctx.t("ringkasan.col.dataset"): ds.name,
        ctx.t("ringkasan.col.rows"): fmt.number(r["baris"], ctx.lang),
        ctx.t("ringkasan.col.newest"): r["data_terbaru"] or ctx.t("fmt.na"),
        ctx.t("ringkasan.col.last_upload"): fmt.datetime_local(r["unggahan_terakhir"], ctx.lang)
        if r["oleh"] else ctx.t("fmt.na"),
        ctx.t("ringkasan.col.by"): f"{r['oleh']} ({r['opd_pengirim']})" if r["oleh"] else "",
        ctx.t("ringkasan.col.status"): f"{freshness.STYLE[state][1]} {ctx.t(f'freshness.{state}')}",
    })
st.dataframe(rows, hide_index=True, width="stretch")
