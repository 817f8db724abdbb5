"""War Room: entry point and navigation. Start with `make run` (see README)."""
import streamlit as st

from warroom.ui import shell

st.set_page_config(page_title="War Room", page_icon=":material/dashboard:", layout="wide")
shell.run()
