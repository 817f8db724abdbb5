import streamlit as st

from warroom.ui import page

ctx = page.setup("covid")
st.title(ctx.t("nav.covid"))
st.info(ctx.t("app.not_built"))
