import streamlit as st

from warroom.ui import page

ctx = page.setup("admin")
st.title(ctx.t("nav.admin"))
st.info(ctx.t("app.not_built"))
