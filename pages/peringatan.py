"""Peringatan: what fires now and what fired, with filters; acknowledging (signed in);
a test message per webhook (admin). Public to view, like the wall that shows the same alerts."""
import streamlit as st

from warroom.ui import page, peringatan_page

st.set_page_config(layout="wide")
ctx = page.setup("peringatan")
st.title(ctx.t("nav.peringatan"))
peringatan_page.render(ctx)
