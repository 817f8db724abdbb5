import streamlit as st

from warroom.ui import page

ctx = page.setup("katalog")
st.title(ctx.t("nav.katalog"))
st.info(ctx.t("app.not_built"))
