"""Plotly figures shared across sessions.

Building a figure (plotly validates every property) costs more than the rest of a page
run; a figure depends only on its arguments (frames cached by data version, language,
sizes) and nobody changes it once built, so one object serves every session.
"""
from __future__ import annotations

import streamlit as st


def cached_figure(builder):
    return st.cache_resource(show_spinner=False, max_entries=256)(builder)
