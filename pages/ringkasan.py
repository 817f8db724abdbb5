"""Ringkasan: the day's headline figures of every part of the war room, and how fresh each dataset is."""
import streamlit as st

from warroom import fmt
from warroom.config import city, today
from warroom.ui import page, widgets
from warroom.ui.panels import ringkasan as panel

st.set_page_config(layout="wide")
ctx = page.setup("ringkasan")
st.title(f"{ctx.t('nav.ringkasan')} · {city().nama}")
st.caption(ctx.t("ringkasan.caption", date=fmt.long_date(today(), ctx.lang)))

panel.render(ctx)

st.subheader(ctx.t("ringkasan.freshness"))
rows = panel.summary()["freshness"]
st.markdown(panel.freshness_html(rows, ctx.lang), unsafe_allow_html=True)
widgets.downloads(panel.freshness_frame(rows, ctx.lang), f"kesegaran_data_{today()}", ctx.lang, "ringkasan_fresh")
