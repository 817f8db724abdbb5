import streamlit as st

from warroom.ui import page

ctx = page.setup("layar")
st.title(ctx.t("nav.layar"))
st.info(ctx.t("app.not_built"))
