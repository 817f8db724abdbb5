"""Admin: the walidata's desk (accounts, reference data, rollback, password, pull sources)."""
import streamlit as st

from warroom.ui import admin_page, page

# Wide: tables of reports, datasets and users need the room (also when opened by direct URL).
st.set_page_config(layout="wide")
ctx = page.setup("admin")
st.title(ctx.t("nav.admin"))
admin_page.render(ctx)
