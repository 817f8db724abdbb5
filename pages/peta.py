import streamlit as st

from warroom.ui import page

ctx = page.setup("peta")
st.title(ctx.t("nav.peta"))
st.info(ctx.t("app.not_built"))
