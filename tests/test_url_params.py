"""The one reader and writer of page options in the URL (warroom/ui/url.py), run in a script
as the pages run it: not-allowed and malformed values read as absent, writes only on change."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from warroom.ui import url
    st.session_state["read"] = (url.get("grid", ("3x3", "4x4")), url.get("empty"), url.get("x", None, "dflt"),
                                url.get_date("tanggal"), url.get_date("rusak"), url.get_int("halaman"),
                                url.get_int("minus"))
    url.put("wilayah", "73.71")
    url.put("operator", "")
    url.put("grid", None)


def test_reads_ignore_what_is_not_allowed_and_writes_remove_empty_values():
    at = AppTest.from_function(_script)
    for k, v in {"grid": "9x9", "empty": "", "tanggal": "2026-11-28", "rusak": "28/11/2026", "halaman": "3",
                 "minus": "-1", "operator": "Telkomsel"}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    from datetime import date
    assert at.session_state["read"] == (None, None, "dflt", date(2026, 11, 28), None, 3, None)
    assert at.query_params["wilayah"] == "73.71"
    assert "operator" not in at.query_params and "grid" not in at.query_params
