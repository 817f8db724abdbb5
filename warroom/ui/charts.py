"""Plotly figures shared across sessions.

Building a figure (plotly validates every property) costs more than the rest of a page
run; a figure depends only on its arguments (frames cached by data version, language,
sizes) and nobody changes it once built, so one object serves every session.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from warroom import fmt

# Plotly names months in English only: a date axis gets its ticks from us, and hover
# labels show the date as numbers, which read the same in both languages.
HOVER_DATE = "%d/%m/%Y"


def cached_figure(builder):
    return st.cache_resource(show_spinner=False, max_entries=256)(builder)


def date_ticks(dates, lang: str, most: int = 8) -> tuple[list[date], list[str]]:
    """At most `most` ticks named in the viewer's language: the first of a month ('Agu 2026')
    for spans over two months, else every week from the first day ('5 Nov')."""
    days = pd.to_datetime(pd.Series(dates)).dropna()
    if days.empty:
        return [], []
    first, last = days.min(), days.max()
    if (last - first).days <= 62:
        ticks = list(pd.date_range(first, last, freq="7D"))
        ticks = [d.date() for d in ticks[::max(1, -(-len(ticks) // most))]]
        return ticks, [fmt.day_month(d, lang) for d in ticks]
    months = pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS")
    months = months[months >= first]
    ticks = [m.date() for m in months[::max(1, -(-len(months) // most))]]
    return ticks, [fmt.month_year(d, lang) for d in ticks]


def localise(fig, dates, lang: str, most: int = 8):
    """Date ticks in the viewer's language, numeric hover dates, and 6.000 / 6,000 as the
    viewer writes numbers."""
    ticks, labels = date_ticks(dates, lang, most)
    fig.update_xaxes(tickvals=ticks, ticktext=labels, hoverformat=HOVER_DATE)
    # Plotly groups thousands only when the format asks for it (",").
    fig.update_yaxes(tickformat=",~f", hoverformat=",.1~f")
    fig.update_layout(separators=",." if lang == "id" else ".,", hoverlabel=HOVER_LABEL)
    return fig


# Hover labels: light text on the dark page colour, whatever the trace colour (plotly's
# default took the trace colour, light grey on white for some).
HOVER_LABEL = dict(bgcolor="#1B1F2A", bordercolor="#56B4E9", font=dict(color="#FFFFFF", size=15))


def area_bar_chart(frame, x: str, y: str, y_title: str, lang: str, *, height: int = 200, colour: str = "#0072B2"):
    """A small bar chart of a daily series with Indonesian/English date ticks and an axis
    title in words (the map's detail: st.bar_chart showed 'Nov 08' and 'kasus_baru')."""
    import plotly.graph_objects as go
    fig = go.Figure(go.Bar(x=frame[x], y=frame[y], marker_color=colour, name=y_title,
                           hovertemplate="%{x|" + HOVER_DATE + "}: %{y:,.0f}<extra></extra>"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), paper_bgcolor="rgba(0,0,0,0)",
                      plot_bgcolor="rgba(0,0,0,0)", font=dict(size=13, color="#e6e9ef"), showlegend=False)
    fig.update_xaxes(gridcolor="#2a3245", automargin=True)
    fig.update_yaxes(gridcolor="#2a3245", automargin=True, rangemode="tozero", title=y_title)
    return localise(fig, frame[x], lang, most=4)
