"""Pemantauan CCTV: the camera wall with filters, one camera large, dark cameras and health."""
import streamlit as st

from warroom.ui import page
from warroom.ui.panels import cctv as camera_wall

ctx = page.setup("cctv")
st.title(ctx.t("nav.cctv"))
camera_wall.render(ctx)
