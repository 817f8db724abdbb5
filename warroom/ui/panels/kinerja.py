"""Kinerja OPD traffic lights: agencies × recent months coloured by band, a word or symbol in
every cell. The page draws it inside its layout; the wall draws it full screen (wall=True)."""
from __future__ import annotations

import html

import streamlit as st

from warroom import fmt, freshness, kinerja, safe_text
from warroom.config import THRESHOLDS, today
from warroom.ui import data, widgets

WALL_MONTHS = 6
WALL_MAX_ROWS = 22
# The wall's panel area: 720 of 1080 CSS px (warroom.wall.CHART_HEIGHT_PX), as a share of the screen.
WALL_AREA_VH = 100 * 720 / 1080
# The grid may be as tall as that area; the period/legend line above it and the late-reporters
# line below it fit in the rest of the screen.
WALL_GRID_SHARE = 1.0

CSS = """
<style>
.wr-tl {border-collapse: separate !important; border-spacing: 3px !important; width: 100%; font-variant-numeric: tabular-nums;}
.wr-tl th {color: #e6ebf5; font-weight: 700; text-align: center; padding: 0 .3rem; white-space: nowrap;}
.wr-tl th.wr-tl-opd {text-align: left;}
.wr-tl, .wr-tl tr, .wr-tl td, .wr-tl th, .wr-tl thead, .wr-tl tbody {border: none !important;}
.wr-tl td {text-align: center; border-radius: .25rem; font-weight: 700; white-space: nowrap; padding: 0 .3rem;}
.wr-tl td.wr-tl-opd {text-align: left; color: #ffffff; background: transparent; font-weight: 600;
                     overflow: hidden; text-overflow: ellipsis; max-width: 22rem;}
.wr-tl-legend {display: flex; flex-wrap: wrap; gap: .4rem .8rem; margin: .4rem 0;}
.wr-tl-legend span {padding: .05rem .55rem; border-radius: .25rem; font-weight: 700;}
</style>
"""


def band_word(state: str, lang: str) -> str:
    return kinerja_t(f"kinerja.band.{state}", lang)


def kinerja_t(key: str, lang: str, **kw) -> str:
    from warroom.i18n import t
    return t(key, lang, **kw)


def cell_text(state: str, skor, lang: str) -> str:
    """Symbol and score (one decimal); the legend maps each symbol to its word."""
    symbol = kinerja.BAND_STYLE[state][2]
    if skor is None:
        return f"{symbol} {band_word(state, lang)}" if state == kinerja.NOT_REPORTED else symbol
    return f"{symbol} {fmt.number(kinerja.round_half_away(skor, 1), lang, 1)}"


def legend_html(lang: str, font: str = "15px") -> str:
    items = []
    for state in (*kinerja.BANDS, kinerja.NOT_REPORTED, kinerja.NOT_AVAILABLE):
        bg, fg, symbol = kinerja.BAND_STYLE[state]
        bound = dict(THRESHOLDS.kinerja_bands).get(state)
        rule = ""
        if state in kinerja.BANDS:
            i = kinerja.BANDS.index(state)
            upper = THRESHOLDS.kinerja_bands[i - 1][1] if i else None
            rule = (f" ≥{fmt.number(bound, lang)}" if upper is None else
                    f" <{fmt.number(upper, lang)}" if bound == float("-inf") else
                    f" {fmt.number(bound, lang)}–<{fmt.number(upper, lang)}")
        items.append(f"<span style='background:{bg};color:{fg}'>{symbol} {html.escape(band_word(state, lang))}"
                     f"{html.escape(rule)}</span>")
    return f"<div class='wr-tl-legend' style='font-size:{font}'>{''.join(items)}</div>"


def grid_html(rows: list[dict], months: list[str], lang: str, *, font: str = "15px", row: str = "30px",
              long_names: bool = True) -> str:
    head = "".join(f"<th>{html.escape(kinerja.month_label(m, lang))}</th>" for m in months)
    body = []
    for row in rows:
        name = row["nama_opd"] if long_names and isinstance(row["nama_opd"], str) else row["singkatan"]
        cells = []
        for state, skor in row["cells"]:
            bg, fg, _ = kinerja.BAND_STYLE[state]
            word = band_word(state, lang)
            cells.append(f"<td style='background:{bg};color:{fg};height:{row}' title='{html.escape(word)}'>"
                         f"{html.escape(cell_text(state, skor, lang))}</td>")
        body.append(f"<tr style='height:{row}'><td class='wr-tl-opd' title='{safe_text.text(row['nama_opd'])}'>"
                    f"{safe_text.text(name)}</td>{''.join(cells)}</tr>")
    return (f"<div style='overflow-x:auto'><table class='wr-tl' style='font-size:{font}'><thead><tr>"
            f"<th class='wr-tl-opd'>{html.escape(kinerja_t('kinerja.col.agency', lang))}</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")


def newest_reported_month(scores) -> str | None:
    reported = scores.loc[scores["n_tersedia"] > 0, "bulan"]
    return None if reported.empty else str(reported.max())


def stamp_html(scores, lang: str, font_px: int = 18) -> str:
    newest = newest_reported_month(scores)
    status = freshness.status("monthly", newest, today())
    period = kinerja.month_label(newest, lang) if newest else kinerja_t("fmt.na", lang)
    return (f"<div style='font-size:{font_px}px'>{widgets.freshness_chip(status, lang)} "
            f"{html.escape(kinerja_t('kinerja.stamp', lang, period=period))}"
            "</div>")


def render(ctx, *, wall: bool = False) -> None:
    """The traffic lights for the latest month past its due date (and the months before it)."""
    st.markdown(CSS, unsafe_allow_html=True)
    scores = data.query("kinerja_skor_opd", **kinerja.band_params())
    choices = kinerja.months_with_data(scores)
    if not choices:
        st.info(ctx.t("kinerja.no_data"))
        return
    month = kinerja.default_month(choices, today())
    months = kinerja.recent_months(month, WALL_MONTHS if wall else 12)
    rows = kinerja.traffic_light(scores, months)
    if not wall:
        st.markdown(legend_html(ctx.lang) + grid_html(rows, months, ctx.lang), unsafe_allow_html=True)
        return
    hidden = max(len(rows) - WALL_MAX_ROWS, 0)
    rows = rows[:WALL_MAX_ROWS]
    # Sized in vh so an HD and a 4K wall look alike: the panel area is WALL_AREA_VH of the screen.
    row_vh = min(WALL_GRID_SHARE * WALL_AREA_VH / (len(rows) + 1), 0.085 * WALL_AREA_VH)
    font_vh = max(min(row_vh * 0.55, 0.045 * WALL_AREA_VH), 0.026 * WALL_AREA_VH)
    vh = lambda share: f"{share * WALL_AREA_VH:.2f}vh"  # noqa: E731
    late = kinerja.late_names(data.query("kinerja_pelaporan", **kinerja.reporting_params(month, today())))
    # The wall's own bar carries the title and the freshness stamp (of wall.PANEL_DATASETS); this is the body.
    st.markdown(
        f"<div style='display:flex;align-items:center;gap:1.5vw'>"
        f"<div style='font-size:{vh(0.045)};font-weight:800;white-space:nowrap'>"
        f"{html.escape(ctx.t('kinerja.filter.period'))} {html.escape(kinerja.month_label(month, ctx.lang))}</div>"
        f"{legend_html(ctx.lang, font=vh(0.028))}</div>"
        + grid_html(rows, months, ctx.lang, font=f"{font_vh:.2f}vh", row=f"{row_vh:.2f}vh", long_names=False)
        + (f"<div style='font-size:{vh(0.026)}'>{html.escape(ctx.t('kinerja.wall.more', n=hidden))}</div>" if hidden else "")
        + f"<div style='font-size:{vh(0.038)};line-height:1.4;font-weight:700'>"
        f"{html.escape(late_line(late, month, ctx.lang))}</div>"
        # Streamlit pulls a markdown block's last child up by 1rem and the wall hides overflow
        "<div style='height:1.5rem'></div>",
        unsafe_allow_html=True)


def late_line(names: list[str], month: str, lang: str) -> str:
    period = kinerja.month_label(month, lang)
    if not names:
        return "● " + kinerja_t("kinerja.wall.late_none", lang, period=period)
    shown = ", ".join(names[:8]) + (f" {kinerja_t('kinerja.wall.more', lang, n=len(names) - 8)}" if len(names) > 8 else "")
    return "○ " + kinerja_t("kinerja.wall.late", lang, period=period, names=shown)
