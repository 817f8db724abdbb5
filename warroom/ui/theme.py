"""CSS for a wall-readable dark theme: big figures, the demo marker, status chips."""
from __future__ import annotations

import streamlit as st

CSS = """
<style>
.wr-demo {position: fixed; top: .6rem; left: 50%; transform: translateX(-50%); z-index: 1000001; background: #E69F00; color: #000;
          font-weight: 800; letter-spacing: .08em; padding: .15rem .7rem; border-radius: .3rem; font-size: .95rem;}
.wr-card {background: #161b26; border: 1px solid #2a3245; border-radius: .5rem; padding: .8rem 1rem; height: 100%;}
.wr-card .wr-label {font-size: 1rem; color: #c9d1e0; text-transform: uppercase; letter-spacing: .04em;}
.wr-card .wr-value {font-size: 2.6rem; font-weight: 800; color: #ffffff; line-height: 1.15; font-variant-numeric: tabular-nums;}
.wr-card .wr-sub {font-size: .95rem; color: #c9d1e0;}
.wr-chip {display: inline-block; padding: .05rem .5rem; border-radius: 1rem; font-weight: 700; color: #000;}
.wr-na {color: #9aa4b5; font-style: italic;}
</style>
"""


def inject() -> None:
    st.markdown(CSS, unsafe_allow_html=True)
