"""Kinerja OPD: which agencies deliver against their targets, and the Smart City apps."""
import streamlit as st

from warroom.ui import kinerja_page, page

# A bookmarked /kinerja URL runs this file without app.py: the grid needs the wide layout.
st.set_page_config(layout="wide")
ctx = page.setup("kinerja")
st.title(ctx.t("nav.kinerja"))
st.caption(ctx.t("kinerja.caption"))
kinerja_page.render(ctx)
