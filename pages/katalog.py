"""Katalog: the datasets, their sources, schemas, conflicts, audit log and exports."""
import streamlit as st

from warroom.ui import katalog_page, page

# Wide: tables of reports, datasets and users need the room (also when opened by direct URL).
st.set_page_config(layout="wide")
ctx = page.setup("katalog")
st.title(ctx.t("nav.katalog"))
st.caption(ctx.t("katalog.intro"))
katalog_page.render(ctx)
