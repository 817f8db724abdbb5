import streamlit as st

from warroom.ui import page

ctx = page.setup("unggah")
st.title(ctx.t("nav.unggah"))
st.info(ctx.t("app.not_built"))
