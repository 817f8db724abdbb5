"""Small display pieces shared by pages: figure cards, status chips, CSV downloads."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from warroom import export_csv, freshness
from warroom.i18n import t


def card(label: str, value: str, sub: str = "") -> str:
    """HTML for one headline figure (render several with st.markdown in columns)."""
    na = " wr-na" if value in (t("fmt.na", "id"), t("fmt.na", "en")) else ""
    return (f"<div class='wr-card'><div class='wr-label'>{html.escape(label)}</div>"
            f"<div class='wr-value{na}'>{html.escape(value)}</div>"
            f"<div class='wr-sub'>{html.escape(sub)}</div></div>")


def freshness_chip(status: str, lang: str) -> str:
    colour, symbol = freshness.STYLE[status]
    return (f"<span class='wr-chip' style='background:{colour}'>{symbol} "
            f"{html.escape(t(f'freshness.{status}', lang))}</span>")


@st.cache_data(show_spinner=False, max_entries=256)
def _csv_pair(df: pd.DataFrame) -> tuple[bytes, bytes]:
    return export_csv.standard(df), export_csv.excel_indonesia(df)


def downloads(df: pd.DataFrame, stem: str, lang: str, key: str) -> None:
    """Two buttons: standard CSV (comma, dot) and Excel-Indonesia CSV (semicolon, decimal comma)."""
    standard, excel_id = _csv_pair(df)
    left, right = st.columns(2)
    left.download_button(t("common.download_csv", lang), standard, f"{stem}.csv",
                         "text/csv", key=f"{key}_csv", icon=":material/download:")
    right.download_button(t("common.download_csv_id", lang), excel_id, f"{stem}_excel-id.csv",
                          "text/csv", key=f"{key}_csv_id", icon=":material/download:")
