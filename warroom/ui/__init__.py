"""Streamlit helpers shared by the pages. The only part of `warroom` that imports Streamlit."""
