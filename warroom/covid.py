"""Covid-19 measures that are not SQL: the per-area daily table, transmission level, trend, privacy.

The figures themselves (roll-up, windows, rates) are computed in `queries/covid_daily_by_area.sql`
and kept in the table `covid19_wilayah_harian`, which `refresh_daily` rebuilds. The ingest
loader calls it after a covid19_harian or wilayah upload; `ensure_daily` rebuilds it on
demand when the source changed without it (so pages work either way).
No Streamlit here.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import duckdb
import numpy as np
import pandas as pd

from warroom import datasets, db
from warroom.config import THRESHOLDS, city

DAILY_TABLE = "covid19_wilayah_harian"
SOURCE_KEY = "covid_daily_source"
INDICATORS = ("kasus", "rawat_inap", "meninggal")
RATE_COLUMNS = {"kasus": "kasus_7hari_per_100rb", "rawat_inap": "rawat_inap_7hari_per_100rb",
                "meninggal": "meninggal_7hari_per_100rb"}
# Okabe-Ito colour and a symbol per transmission level, always shown with its word.
LEVEL_STYLE = {1: ("#009E73", "●"), 2: ("#F0E442", "▲"), 3: ("#E69F00", "◆"), 4: ("#D55E00", "■")}
NA_STYLE = ("#999999", "○")
TREND_STYLE = {"naik": ("#D55E00", "▲"), "turun": ("#009E73", "▼"), "stabil": ("#56B4E9", "▶")}
# Counts shown per area and day: suppressed together for anonymous viewers of kelurahan.
COUNT_COLUMNS = ("kasus_baru", "sembuh_baru", "meninggal_baru", "rawat_inap_baru", "dirawat", "isolasi_mandiri",
                 "aktif", "kasus_7hari", "meninggal_7hari", "rawat_inap_7hari", "kasus_kumulatif",
                 "meninggal_kumulatif", "sembuh_kumulatif")


def producer() -> str:
    return datasets.get("covid19_harian").producer


def source_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever covid19_harian or wilayah rows are added, replaced or rolled back."""
    parts = []
    for table in ("covid19_harian", "wilayah"):
        n, s, m = con.execute(f"select count(*), coalesce(sum(upload_id), 0), coalesce(max(upload_id), 0) "
                              f"from {table}").fetchone()
        parts.append(f"{table}:{n}:{s}:{m}")
    return ";".join(parts + [city().kode, producer()])


def refresh_daily(con: duckdb.DuckDBPyConnection, since=None) -> int:
    """Rebuild the per-area daily table from the stored rows; returns its row count.

    Runs in the caller's transaction (the loader's write_transaction). `since` (the first
    date an upload touched) is accepted for the loader's convenience; the table is rebuilt
    whole because cumulative sums and windows after `since` depend on every earlier day.
    """
    con.execute(f"create or replace table {DAILY_TABLE} as " + db.load_query("covid_daily_by_area"),
                {"kota": city().kode, "produsen": producer()})
    db.set_meta(con, SOURCE_KEY, source_fingerprint(con))
    return con.execute(f"select count(*) from {DAILY_TABLE}").fetchone()[0]


def is_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    exists = con.execute("select count(*) from information_schema.tables where table_name = ?",
                         [DAILY_TABLE]).fetchone()[0]
    return bool(exists) and db.get_meta(con, SOURCE_KEY) == source_fingerprint(con)


def ensure_daily(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild the daily table if its source changed; True when it did."""
    if is_fresh(con):
        return False
    with db.WRITE_LOCK:
        if is_fresh(con):
            return False
        with db.write_transaction(con):
            refresh_daily(con)
    return True


# --- transmission level ------------------------------------------------------------------

def _level_of(rates: pd.Series, bounds: tuple[float, float, float]) -> pd.Series:
    r = rates.astype("float64")
    level = np.select([r >= bounds[2], r >= bounds[1], r >= bounds[0], r.notna()], [4, 3, 2, 1], default=0)
    return pd.Series(level, index=rates.index)


def add_levels(df: pd.DataFrame) -> pd.DataFrame:
    """Adds level_ppkm (1-4, <NA> when no indicator is available) and indikator_tersedia
    (';'-joined names of the available indicators), from the unrounded rates."""
    out = df.copy()
    per_indicator = {
        "kasus": _level_of(out["kasus_7hari_per_100rb"], THRESHOLDS.ppkm_cases),
        "rawat_inap": _level_of(out["rawat_inap_7hari_per_100rb"], THRESHOLDS.ppkm_admissions),
        "meninggal": _level_of(out["meninggal_7hari_per_100rb"], THRESHOLDS.ppkm_deaths),
    }
    highest = pd.concat(per_indicator.values(), axis=1).max(axis=1)
    out["level_ppkm"] = highest.where(highest > 0).astype("Int64")
    available = pd.DataFrame({name: out[RATE_COLUMNS[name]].notna() for name in INDICATORS})
    out["indikator_tersedia"] = available.apply(lambda row: ";".join(n for n in INDICATORS if row[n]), axis=1) \
        if len(out) else pd.Series(dtype="object")
    return out


def level_of_rates(kasus=None, rawat_inap=None, meninggal=None) -> int | None:
    """The transmission level of one area and day (None when no indicator is available)."""
    frame = pd.DataFrame({"kasus_7hari_per_100rb": [kasus], "rawat_inap_7hari_per_100rb": [rawat_inap],
                          "meninggal_7hari_per_100rb": [meninggal]}, dtype="float64")
    level = add_levels(frame)["level_ppkm"].iloc[0]
    return None if pd.isna(level) else int(level)


# --- trend ---------------------------------------------------------------------------------

def trend(current, previous) -> str | None:
    """naik / turun / stabil: 7-day cases against the 7 days before, ± THRESHOLDS band."""
    if current is None or previous is None or pd.isna(current) or pd.isna(previous):
        return None
    band = getattr(THRESHOLDS, "covid_trend_percent", 10.0) / 100.0
    if previous == 0:
        return "naik" if current > 0 else "stabil"
    change = (current - previous) / previous
    if change > band:
        return "naik"
    if change < -band:
        return "turun"
    return "stabil"


# --- privacy ---------------------------------------------------------------------------------

def suppress_for_viewer(df: pd.DataFrame, *, anonymous: bool, columns=COUNT_COLUMNS) -> pd.DataFrame:
    """For anonymous viewers, kelurahan counts 1..threshold-1 become missing (charts draw a gap,
    tables show '<5' via fmt.count_for_viewer) and so do the per-100k rates built from them."""
    if not anonymous or df.empty or "tingkat" not in df:
        return df
    out = df.copy()
    kel = out["tingkat"] == "kelurahan"
    limit = THRESHOLDS.suppress_below
    for col in columns:
        if col in out:
            small = kel & out[col].between(1, limit - 1)
            out[col] = out[col].astype("float64").mask(small)
    for name, rate in RATE_COLUMNS.items():
        base = {"kasus": "kasus_7hari", "rawat_inap": "rawat_inap_7hari", "meninggal": "meninggal_7hari"}[name]
        if rate in out and base in df:
            out[rate] = out[rate].mask(kel & df[base].between(1, limit - 1))
    return out


# --- export ----------------------------------------------------------------------------------

def round_half_away(value, places: int = 2):
    """Rounded half away from zero (not banker's rounding); None stays None."""
    if value is None or pd.isna(value):
        return None
    q = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))


PPKM_EXPORT_COLUMNS = ["tanggal", "kode_wilayah", "kasus_7hari_per_100rb", "rawat_inap_7hari_per_100rb",
                       "meninggal_7hari_per_100rb", "positivity_7hari_persen", "level_ppkm", "indikator_tersedia"]


def ppkm_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The covid19_ppkm export: one row per date and area with a population, from its 7th day."""
    ensure_daily(con)
    df = db.query_df(con, "covid_ppkm_weekly")
    df = add_levels(df)
    for col in PPKM_EXPORT_COLUMNS[2:6]:
        df[col] = df[col].map(round_half_away).astype("Float64")
    df["tanggal"] = pd.to_datetime(df["tanggal"]).dt.strftime("%Y-%m-%d")
    return df[PPKM_EXPORT_COLUMNS]


# --- what the page and the wall show -------------------------------------------------------

def level_label(level, lang: str = "id") -> tuple[str, str, str]:
    """(text, colour, symbol) of a transmission level: the colour never stands alone."""
    from warroom.i18n import t
    if level is None or pd.isna(level):
        return t("covid.level.na", lang), NA_STYLE[0], NA_STYLE[1]
    colour, symbol = LEVEL_STYLE[int(level)]
    return t(f"covid.level.{int(level)}", lang), colour, symbol


def trend_label(kind: str | None, lang: str = "id") -> str:
    from warroom.i18n import t
    if kind is None:
        return t("covid.trend.na", lang)
    return f"{TREND_STYLE[kind][1]} {t(f'covid.trend.{kind}', lang)}"


def indicators_label(available: str, lang: str = "id") -> str:
    from warroom.i18n import t
    if not available:
        return t("covid.card.level.none", lang)
    return ", ".join(t(f"covid.indicator.{name}", lang) for name in available.split(";"))


def _value(row: dict, key: str):
    value = row.get(key) if row else None
    return None if value is None or pd.isna(value) else value


def headline_cards(row: dict | None, bor: dict | None, *, anonymous: bool, lang: str = "id") -> list[dict]:
    """The six headline figures of an area on a day, formatted for the viewer.

    row: one row of covid_area_headline; bor: one row of covid_bor_series (or None).
    Each card: key, label, value, sub, colour (or None), symbol (or None).
    """
    from warroom import fmt
    from warroom.i18n import t
    tingkat = (row or {}).get("tingkat", "kota")

    def count(value):
        return fmt.count_for_viewer(value, tingkat=tingkat, anonymous=anonymous, lang=lang)

    cards = []
    cards.append(dict(key="active", label=t("covid.card.active", lang), value=count(_value(row, "aktif")), sub=""))

    # A day inside the area's span without any row counts as 0 new events.
    new = _value(row, "kasus_baru")
    if row and new is None:
        new = 0
    before = _value(row, "kasus_baru_7hari_lalu")
    if row and before is None and row.get("ada_data_7hari_lalu") is not None:
        before = 0
    sub = ""
    if new is not None and before is not None:
        diff = new - before
        arrow = "▲" if diff > 0 else "▼" if diff < 0 else "▶"
        hidden = anonymous and tingkat == "kelurahan"
        signed = ("+" if diff > 0 else "−" if diff < 0 else "±") + fmt.number(abs(diff), lang)
        sub = t("covid.card.new.change", lang, arrow=arrow, diff="" if hidden else signed,
                before=count(before))
    cards.append(dict(key="new", label=t("covid.card.new", lang), value=count(new), sub=sub))

    deaths = _value(row, "meninggal_7hari")
    rate = _value(row, "meninggal_7hari_per_100rb")
    cards.append(dict(key="deaths7", label=t("covid.card.deaths7", lang), value=count(deaths),
                      sub=t("covid.card.deaths7.sub", lang, rate=fmt.number(rate, lang, 2))
                      if rate is not None and not (anonymous and tingkat == "kelurahan" and 0 < deaths < THRESHOLDS.suppress_below)
                      else ""))
    cards.append(dict(key="positivity", label=t("covid.card.positivity", lang),
                      value=fmt.percent(_value(row, "positivity_7hari_persen"), lang),
                      sub=t("covid.card.positivity.sub", lang)))
    cards.append(dict(key="bor", label=t("covid.card.bor", lang),
                      value=fmt.percent(_value(bor, "bor_isolasi_persen"), lang),
                      sub=t("covid.card.bor.sub", lang, bor=fmt.percent(_value(bor, "bor_persen"), lang),
                            n=fmt.number(_value(bor, "faskes_melapor") or 0, lang))))
    level_row = add_levels(pd.DataFrame([{c: _value(row, c) for c in RATE_COLUMNS.values()}], dtype="float64"))
    level = level_row["level_ppkm"].iloc[0]
    text, colour, symbol = level_label(level, lang)
    cards.append(dict(key="level", label=t("covid.card.level", lang), value=f"{symbol} {text}",
                      sub=t("covid.card.level.sub", lang,
                            list=indicators_label(level_row["indikator_tersedia"].iloc[0], lang)),
                      colour=colour, symbol=symbol, level=None if pd.isna(level) else int(level)))
    for c in cards:
        c.setdefault("colour", None)
        c.setdefault("symbol", None)
    return cards


def ranking_frame(children: pd.DataFrame, *, anonymous: bool, lang: str = "id") -> pd.DataFrame:
    """Child areas ranked by 7-day cases per 100k (unavailable last), with level and trend."""
    df = add_levels(children)
    df["tren"] = [trend(c, p) for c, p in zip(df["kasus_7hari"], df["kasus_7hari_sebelumnya"])]
    df = suppress_for_viewer(df, anonymous=anonymous)
    return df.sort_values(["kasus_7hari_per_100rb", "nama"], ascending=[False, True], na_position="last",
                          kind="stable").reset_index(drop=True)
