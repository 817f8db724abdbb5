"""Ringkasan: one screen with the day's headline figure of every area and the freshness of
every dataset. The page draws it with wall=False; the wall full screen (wall=True)."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from warroom import covid, fmt, freshness, ringkasan, safe_text
from warroom.config import THRESHOLDS, today
from warroom.i18n import t
from warroom.ui import data
from warroom.ui.panels import covid as covid_panel

CSS = """
<style>
.wr-rk-cards {display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: .6rem; margin: .4rem 0 1rem;}
.wr-rk-cards .wr-card {border-left: .45rem solid #2a3245;}
.wr-rk-cards .wr-value {font-size: 2.3rem;}
.wr-rk-fresh {width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums;}
.wr-rk-fresh th {text-align: left; color: #c9d1e0; border-bottom: 1px solid #2a3245; padding: .25rem .5rem;}
.wr-rk-fresh td {padding: .2rem .5rem; border-bottom: 1px solid #1c2230;}
.wr-rk-wall .wr-rk-cards {grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 1vh 1vw; margin: .5vh 0 1vh;}
.wr-rk-wall .wr-card .wr-label {font-size: 2.4vh;}
.wr-rk-wall .wr-card .wr-value {font-size: 6.2vh; line-height: 1.1;}
.wr-rk-wall .wr-card .wr-sub {font-size: 2.3vh;}
.wr-rk-wall .wr-card .wr-sub {display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;}
.wr-rk-wall .wr-rk-fresh {font-size: 2.3vh;}
.wr-rk-wall .wr-rk-fresh td, .wr-rk-wall .wr-rk-fresh th {padding: .1vh .6vw; line-height: 1.3;}
</style>
"""


@st.cache_data(show_spinner=False, max_entries=20)
def _summary(version: int, path: str, day) -> dict:
    con = data.cursor()
    return {"covid": ringkasan.covid_summary(con), "kinerja": ringkasan.kinerja_summary(con, day),
            "cctv": ringkasan.cctv_summary(con), "menara": ringkasan.menara_summary(con, day),
            "aplikasi": ringkasan.aplikasi_summary(con), "freshness": ringkasan.freshness_rows(con, day)}


def summary() -> dict:
    covid_panel.ensure()
    return _summary(data.data_version(), str(data.db_path()), today())


def _card(key: str, label: str, value: str, sub: str, colour: str | None = None) -> str:
    na = t("fmt.na", "id"), t("fmt.na", "en")
    value_class = "wr-value wr-na" if value in na else "wr-value"
    border = f"border-left-color:{colour}" if colour else ""
    return (f"<div class='wr-card' style='{border}' data-card='{key}'><div class='wr-label'>{html.escape(label)}</div>"
            f"<div class='{value_class}'>{html.escape(value)}</div><div class='wr-sub'>{html.escape(sub)}</div></div>")


def cards(s: dict, *, anonymous: bool, lang: str) -> list[str]:
    c: ringkasan.Covid = s["covid"]
    k: ringkasan.Kinerja = s["kinerja"]
    cam: ringkasan.Cctv = s["cctv"]
    m: ringkasan.Menara = s["menara"]
    app: ringkasan.Aplikasi = s["aplikasi"]
    from warroom import kinerja
    level_text, colour, symbol = covid.level_label(c.level, lang)
    when = fmt.short_date(c.tanggal, lang) if c.tanggal else t("fmt.na", lang)
    period = kinerja.month_label(k.bulan, lang) if k.bulan else t("fmt.na", lang)
    down = ", ".join(a["nama_aplikasi"] for a in app.bermasalah[:4]) + (" …" if len(app.bermasalah) > 4 else "")
    return [
        _card("covid_level", t("ringkasan.covid", lang),
              f"{symbol} Level {c.level}" if c.level else t("fmt.na", lang),
              (f"{level_text.split('· ')[-1]} · " if c.level else "")
              + t("ringkasan.covid.sub", lang, active=fmt.number(c.aktif, lang),
                  trend=covid.trend_label(c.tren, lang), date=when), colour),
        _card("covid_active", t("ringkasan.covid.active", lang), fmt.number(c.aktif, lang),
              t("ringkasan.covid.active.sub", lang, cases=fmt.number(c.kasus_7hari, lang),
                trend=covid.trend_label(c.tren, lang))),
        _card("kinerja", t("ringkasan.kinerja", lang), fmt.percent(k.persen_tercapai, lang),
              t("ringkasan.kinerja.sub", lang, n=fmt.number(k.tercapai, lang), total=fmt.number(k.dinilai, lang),
                period=period)),
        _card("kinerja_late", t("ringkasan.kinerja.late", lang, period=period),
              fmt.number(len(k.terlambat), lang) if k.bulan else t("fmt.na", lang),
              ", ".join(k.terlambat[:8]) + (" …" if len(k.terlambat) > 8 else "")
              if k.terlambat else t("ringkasan.kinerja.late.none", lang)),
        _card("cctv", t("ringkasan.cctv", lang), fmt.percent(cam.persen_online, lang),
              t("ringkasan.cctv.sub", lang, n=fmt.number(cam.online, lang), total=fmt.number(cam.jumlah, lang))),
        _card("menara", t("ringkasan.menara", lang), fmt.number(m.kedaluwarsa, lang),
              t("ringkasan.menara.sub", lang, soon=fmt.number(m.segera_berakhir, lang), days=ringkasan.EXPIRING_DAYS,
                none=fmt.number(m.tanpa_izin, lang), total=fmt.number(m.jumlah, lang))),
        _card("aplikasi", t("ringkasan.aplikasi", lang), fmt.number(len(app.bermasalah), lang),
              (down + " · " if down else t("ringkasan.aplikasi.none", lang) + " · ")
              + t("ringkasan.aplikasi.sub", lang, min=fmt.number(THRESHOLDS.app_availability_min, lang),
                  active=fmt.number(app.aktif, lang), total=fmt.number(app.jumlah, lang))),
    ]


def age_text(row: ringkasan.Freshness, lang: str) -> str:
    if row.age_days is None:
        return t("fmt.na", lang)
    age = t("ringkasan.age.today", lang) if row.age_days == 0 else t("ringkasan.age.days", lang, n=row.age_days)
    return age if row.frequency == "daily" else t("ringkasan.age.of_upload", lang, age=age)


def freshness_frame(rows: list[ringkasan.Freshness], lang: str) -> pd.DataFrame:
    """The freshness table's numbers (for the download)."""
    return pd.DataFrame([{
        "dataset": r.dataset, "frekuensi": r.frequency, "baris": r.rows, "data_terbaru": r.newest,
        "unggahan_terakhir": r.last_upload, "oleh": r.by, "status": r.status, "umur_hari": r.age_days,
    } for r in rows])


def _period_words(newest, lang: str) -> str:
    """'2026-11' -> 'November 2026', a date -> '1 Desember 2026': words on a screen, never ISO."""
    from warroom.ui.wall import stamp_when
    return stamp_when(str(newest)[:10], lang)


def freshness_html(rows: list[ringkasan.Freshness], lang: str, *, wall: bool = False) -> str:
    cols = ["dataset", "status", "newest", "age", "last_upload", "by"] + ([] if wall else ["rows"])
    head = "".join(f"<th>{html.escape(t(f'ringkasan.col.{c}', lang))}</th>" for c in cols)
    body = []
    for r in rows:
        colour, symbol = freshness.STYLE[r.status]
        cells = {
            "dataset": html.escape(r.title),
            "status": f"<span class='wr-chip' style='background:{colour}'>{symbol} "
                      f"{html.escape(t(f'freshness.{r.status}', lang))}</span>",
            "newest": html.escape(_period_words(r.newest, lang) if r.newest else t("fmt.na", lang)),
            "age": html.escape(age_text(r, lang)),
            "last_upload": html.escape(fmt.datetime_local(r.last_upload, lang) if r.last_upload else t("fmt.na", lang)),
            "by": safe_text.text(r.by or "–"),
            "rows": html.escape(fmt.number(r.rows, lang)),
        }
        body.append("<tr>" + "".join(f"<td>{cells[c]}</td>" for c in cols) + "</tr>")
    return (f"<table class='wr-rk-fresh' data-table='freshness'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def render(ctx, *, wall: bool = False) -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    s = summary()
    wrapper = "wr-rk-wall" if wall else ""
    st.markdown(f"<div class='{wrapper}'><div class='wr-rk-cards'>{''.join(cards(s, anonymous=ctx.anonymous, lang=ctx.lang))}"
                f"</div>{'' if not wall else freshness_html(s['freshness'], ctx.lang, wall=True)}</div>",
                unsafe_allow_html=True)
    if not wall:
        from warroom.ui.panels import peringatan
        peringatan.ringkasan_section(ctx)
