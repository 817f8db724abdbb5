"""Kinerja OPD: bands, colours, periods of the page and the kinerja_capaian export.

The measures themselves (capaian, band, agency score, trend, reporting status, data
problems) are SQL in queries/kinerja_*.sql; this module feeds them their parameters from
THRESHOLDS and turns their rows into what a screen or a CSV needs. No Streamlit here.
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from warroom import db, kinerja_periods
from warroom.config import THRESHOLDS

BANDS = tuple(name for name, _ in THRESHOLDS.kinerja_bands)  # best first
NOT_AVAILABLE = "tidak_tersedia"
NOT_REPORTED = "belum_lapor"

# Okabe-Ito colours from best (blue) to worst (vermillion), each with a symbol and a
# text colour of sufficient contrast: the word or symbol, never the colour alone, carries the meaning.
BAND_STYLE: dict[str, tuple[str, str, str]] = {
    "sangat_baik": ("#0072B2", "#ffffff", "★"),
    "baik": ("#009E73", "#000000", "●"),
    "cukup": ("#F0E442", "#000000", "◆"),
    "kurang": ("#E69F00", "#000000", "▼"),
    "sangat_kurang": ("#D55E00", "#000000", "✖"),
    NOT_AVAILABLE: ("#3a4150", "#ffffff", "–"),
    NOT_REPORTED: ("#999999", "#000000", "○"),
}
TREND_SYMBOL = {"naik": "▲", "turun": "▼", "tetap": "▶"}

EXPORT_COLUMNS = ["kode_opd", "kode_indikator", "periode", "target", "realisasi", "capaian_persen", "kategori"]


def band_params() -> dict[str, float]:
    """Lower bounds of the bands as named SQL parameters ($sangat_baik, $baik, $cukup, $kurang)."""
    return {name: bound for name, bound in THRESHOLDS.kinerja_bands if bound != float("-inf")}


def band_of(value) -> str | None:
    """The band of a capaian or score (the same rule the SQL applies: read from the
    figure rounded half away from zero to 2 decimals, as it is published)."""
    if value is None or value != value:
        return None
    value = round_half_away(value)
    for name, bound in THRESHOLDS.kinerja_bands:
        if value >= bound:
            return name
    return BANDS[-1]


def latest_due_month(today: date) -> str:
    """The latest month whose report is already past its due date."""
    month = f"{today.year}-{today.month:02d}"
    while kinerja_periods.due_date(month) >= today:
        month = previous_month(month)
    return month


def previous_month(month: str) -> str:
    year, kind, n = kinerja_periods.parse(month)
    if kind != "M":
        raise ValueError(f"not a month: {month!r}")
    return f"{year - 1}-12" if n == 1 else f"{year}-{n - 1:02d}"


def recent_months(last: str, count: int) -> list[str]:
    """`count` months ending with `last`, oldest first."""
    months = [last]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return months[::-1]


def round_half_away(value, places: int = 2) -> Decimal | None:
    """Round as people do (2.675 -> 2.68, -2.675 -> -2.68); None stays None."""
    if value is None or value != value:
        return None
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def capaian(con):
    """Rows of queries/kinerja_capaian.sql (every indicator and period, official rows)."""
    return db.query_df(con, "kinerja_capaian", band_params())


def export_rows(con) -> list[dict]:
    """The kinerja_capaian export: canonical columns, capaian rounded half away from zero to
    2 decimals, empty (None) when not reported or target is 0; one row per indicator and period.
    Plain DB-API rows, no pandas: the command line stays fast."""
    cur = con.execute(db.load_query("kinerja_capaian"), band_params())
    rows = []
    for r in db.rows_as_dicts(cur):
        rows.append({
            "kode_opd": r["kode_opd"], "kode_indikator": r["kode_indikator"], "periode": r["periode"],
            "target": r["target"], "realisasi": r["realisasi"],
            "capaian_persen": round_half_away(r["capaian_persen"]), "kategori": r["kategori"],
        })
    rows.sort(key=lambda row: (row["kode_opd"], row["kode_indikator"], row["periode"]))
    return rows


def _register_export() -> None:
    from warroom import exports

    @exports.register("kinerja_capaian")
    def kinerja_capaian(con):
        return EXPORT_COLUMNS, [tuple(row[c] for c in EXPORT_COLUMNS) for row in export_rows(con)]


_register_export()


def reporting_status(con, month: str, today: date):
    """Rows of queries/kinerja_pelaporan.sql for `month` as seen on `today`."""
    return db.query_df(con, "kinerja_pelaporan", reporting_params(month, today))


def reporting_params(month: str, today: date) -> dict:
    return {"bulan": month, "jatuh_tempo": kinerja_periods.due_date(month), "hari_ini": today}


def cell_state(n_indikator: int, kategori) -> str:
    """What one agency-month cell of the traffic light shows: its band, 'belum_lapor' when
    it has indicators but none reported, 'tidak_tersedia' when it has no indicators at all."""
    if isinstance(kategori, str):
        return kategori
    return NOT_REPORTED if n_indikator else NOT_AVAILABLE


def traffic_light(scores, months: list[str]) -> list[dict]:
    """Rows of the grid (agencies × months) from kinerja_skor_opd rows, ordered by the last
    month's score (best first, agencies without one last): {kode_opd, singkatan, nama_opd, cells}
    with cells[i] = (state, skor or None) for months[i]."""
    wanted = scores[scores["bulan"].isin(months)]
    rows: dict[str, dict] = {}
    for r in wanted.itertuples(index=False):
        row = rows.setdefault(r.kode_opd, {"kode_opd": r.kode_opd, "singkatan": r.singkatan,
                                           "nama_opd": r.nama_opd, "cells": {}})
        skor = None if r.skor != r.skor else float(r.skor)
        row["cells"][r.bulan] = (cell_state(r.n_indikator, r.kategori), skor)
    out = []
    for row in rows.values():
        row["cells"] = [row["cells"].get(m, (NOT_AVAILABLE, None)) for m in months]
        out.append(row)
    last = lambda row: row["cells"][-1][1]  # noqa: E731
    out.sort(key=lambda row: (last(row) is None, -(last(row) or 0), row["kode_opd"]))
    return out


def sparkline(capaian_rows, kode_indikator: str, last_month: str, months: int = 24) -> list[float]:
    """The indicator's available capaian over the `months` months up to `last_month`, oldest
    first (months without a figure are left out: a gap is not a zero)."""
    window = set(recent_months(last_month, months))
    rows = capaian_rows[(capaian_rows["kode_indikator"] == kode_indikator) & capaian_rows["bulan"].isin(window)]
    rows = rows.sort_values(["bulan", "periode"])
    return [float(v) for v in rows["capaian_persen"] if v == v]


def months_with_data(scores) -> list[str]:
    """Months that have at least one indicator, newest first (the period filter's choices)."""
    months = scores.loc[scores["n_indikator"] > 0, "bulan"].unique().tolist()
    return sorted(months, reverse=True)


def default_month(choices: list[str], today: date) -> str | None:
    """The latest month past its due date if it has data, else the newest month with data."""
    if not choices:
        return None
    due = latest_due_month(today)
    older = [m for m in choices if m <= due]
    return older[0] if older else choices[0]


def month_label(month: str, lang: str = "id") -> str:
    """'2026-10' -> 'Okt 2026' (id) / 'Oct 2026' (en)."""
    from babel.dates import format_date

    from warroom.fmt import LOCALES
    from warroom.i18n import normalise_lang
    year, _, n = kinerja_periods.parse(month)
    return format_date(date(year, n, 1), format="MMM y", locale=LOCALES[normalise_lang(lang)])


def late_names(reporting) -> list[str]:
    """Short names of the agencies with indicators not reported, most days late first."""
    late = reporting[reporting["n_belum"] > 0]
    return [str(name) for name in late["singkatan"]]
