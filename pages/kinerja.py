import streamlit as st

from warroom.ui import page

ctx = page.setup("kinerja")
st.title(ctx.t("nav.kinerja"))
st.info(ctx.t("app.not_built"))
