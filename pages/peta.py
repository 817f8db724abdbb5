"""Peta: the city map of areas, cameras, towers and health facilities, drawn without internet."""
import streamlit as st

from warroom.ui import page
from warroom.ui.panels import peta as peta_panel

st.set_page_config(layout="wide")
ctx = page.setup("peta")
st.title(ctx.t("nav.peta"))
st.caption(ctx.t("peta.title"))
peta_panel.render(ctx)
