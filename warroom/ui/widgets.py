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


def downloads(df: pd.DataFrame, stem: str, lang: str, key: str, kinds: dict[str, str] | None = None) -> None:
    """Two buttons: standard CSV (comma, dot) and Excel-Indonesia CSV (semicolon, decimal comma),
    both from THE writer (warroom.export_csv); `kinds` declares columns the schema does not know.

    The files are written when a button is clicked (Streamlit calls the function then), not on
    every run: most runs, and every wall refresh, download nothing."""
    files(lambda: export_csv.standard(df, kinds), lambda: export_csv.excel_indonesia(df, kinds), stem, lang, key)


def files(standard, excel_id, stem: str, lang: str, key: str) -> None:
    """The two download buttons for two deferred writers (callables returning bytes)."""
    left, right = st.columns(2)
    left.download_button(t("common.download_csv", lang), standard, f"{stem}.csv",
                         "text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    right.download_button(t("common.download_csv_id", lang), excel_id,
                          f"{stem}_excel-id.csv", "text/csv", key=f"{key}_csv_id",
                          icon=":material/download:", on_click="ignore")
