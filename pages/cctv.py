"""Pemantauan CCTV: the camera wall with filters, one camera large, dark cameras and health."""
import streamlit as st

from warroom.ui import page
from warroom.ui.panels import cctv as camera_wall

# A bookmarked /cctv URL runs this file without app.py: the grid needs the wide layout.
st.set_page_config(layout="wide")
ctx = page.setup("cctv")
st.title(ctx.t("nav.cctv"))
camera_wall.render(ctx)
