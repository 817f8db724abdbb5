import streamlit as st

from warroom.ui import page

ctx = page.setup("cctv")
st.title(ctx.t("nav.cctv"))
st.info(ctx.t("app.not_built"))
