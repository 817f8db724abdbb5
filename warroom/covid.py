"""Covid-19 measures that are not SQL: the per-area daily table, transmission level, trend, privacy.

The figures themselves (roll-up, windows, rates) are computed by `warroom/covid_grid.py` and
kept in the table `covid19_wilayah_harian`, which `refresh_daily` brings up to date. The ingest
loader calls it after a covid19_harian or wilayah upload; `ensure_daily` rebuilds it on
demand when the source changed without it (so pages work either way).
No Streamlit here, and pandas only inside the functions pages use: the loader and the
command line import this module.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import duckdb

from warroom import datasets, db, exports
from warroom.config import THRESHOLDS, city
from warroom.missing import is_missing, or_none

_missing = is_missing   # the former local name (other branches may still call it): the same function

DAILY_TABLE = "covid19_wilayah_harian"
SOURCE_KEY = "covid_daily_source"
# Bump when warroom/covid_grid.py changes what it stores: the table is rebuilt (3: the grid;
# 4: a view over narrower stored tables; 5: counts as INTEGER while they fit).
DAILY_VERSION = 5
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
    for table, extra in (("covid19_harian", "0"), ("wilayah", "coalesce(sum(penduduk), 0) || '/' || count(penduduk)")):
        n, s, m, e = db.one_row(con, f"select count(*), coalesce(sum(upload_id), 0), coalesce(max(upload_id), 0), "
                                f"{extra} from {table}")
        parts.append(f"{table}:{n}:{s}:{m}:{e}")
    return ";".join(parts + [city().kode, producer(), f"v{DAILY_VERSION}"])


# A full build, or a change reaching far back, is computed this many days at a time; None:
# as many as covid_grid.PIECE_CELLS area-days (memory). Tests set a few days to show the seams.
CHUNK_DAYS: int | None = None
BEHIND_TABLE = "covid_wilayah_harian_sementara"   # read-only connections: see ppkm_export


def _incremental_start(con: duckdb.DuckDBPyConnection, since) -> date | None:
    """The first day to recompute after a change on or after `since`, or None for a full build
    (no table yet, population or program changed, or the change reaches the table's first week)."""
    if since is None or not _table_exists(con):
        return None
    stored, current = db.get_meta(con, SOURCE_KEY) or "", source_fingerprint(con)
    if stored.split(";")[1:] != current.split(";")[1:]:       # wilayah, city, producer, version
        return None
    first, last = db.one_row(con, db.load_query("covid_dates"), {"kota": city().kode})
    if first is None:
        return None
    since = date.fromisoformat(str(since)[:10]) if not isinstance(since, date) else since
    since = min(since, last + timedelta(days=1))
    return None if since - timedelta(days=7) < first else since


def refresh_daily(con: duckdb.DuckDBPyConnection, since=None) -> int:
    """Bring the per-area daily table up to date with the stored rows; returns its row count.

    Runs in the caller's transaction (the loader's write_transaction). With `since` (the first
    date an upload or rollback touched) only the days from there are recomputed, carrying each
    area's cumulative sums from the stored table; otherwise, or when that is not safe, the
    table is rebuilt whole.
    """
    from warroom import covid_grid
    covid_grid.build(con, DAILY_TABLE, kota=city().kode, produsen=producer(),
                     start=_incremental_start(con, since), days=CHUNK_DAYS)
    db.set_meta(con, SOURCE_KEY, source_fingerprint(con))
    return db.scalar(con, f"select count(*) from {DAILY_TABLE}")


def _table_exists(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(db.scalar(con, "select count(*) from information_schema.tables where table_name = ?",
                          [DAILY_TABLE]))


def is_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    return _table_exists(con) and db.get_meta(con, SOURCE_KEY) == source_fingerprint(con)


def mark_fresh(con: duckdb.DuckDBPyConnection) -> None:
    """Record the stored rows as the table's source without recomputing it: only for a change
    that kept every value (rows sent again unchanged get a new upload_id, nothing else)."""
    db.set_meta(con, SOURCE_KEY, source_fingerprint(con))


def changed_since(con: duckdb.DuckDBPyConnection):
    """The first date new uploads touched since the last refresh, when the stored rows are exactly
    the old ones plus those uploads (rows they replaced sit in covid19_harian__replaced); None
    when anything else happened (a rollback, a direct edit): then only a full build is safe."""
    stored = (db.get_meta(con, SOURCE_KEY) or "").split(";")[0].split(":")
    if len(stored) < 4 or stored[0] != "covid19_harian":
        return None
    n_old, s_old, m_old = (int(v) for v in stored[1:4])
    kept_n, kept_s, new_min = db.one_row(con,
        "select count(*) filter (where upload_id <= $m), coalesce(sum(upload_id) filter (where upload_id <= $m), 0), "
        "min(tanggal) filter (where upload_id > $m) from covid19_harian", {"m": m_old})
    gone_n, gone_s, gone_min = db.one_row(con,
        "select count(*), coalesce(sum(upload_id), 0), min(tanggal) from covid19_harian__replaced "
        "where replaced_by > $m and upload_id <= $m", {"m": m_old})
    if kept_n + gone_n != n_old or kept_s + gone_s != s_old:
        return None
    dates = [d for d in (new_min, gone_min) if d is not None]
    return min(dates) if dates else None


def ensure_daily(con: duckdb.DuckDBPyConnection) -> bool:
    """Bring the daily table up to date if its source changed (only the days new uploads
    touched, when that can be told); True when it did."""
    if is_fresh(con):
        return False
    with db.WRITE_LOCK:
        if is_fresh(con):
            return False
        with db.write_transaction(con):
            refresh_daily(con, since=changed_since(con) if _table_exists(con) else None)
    return True


# --- transmission level ------------------------------------------------------------------

def _indicator_level(rate, bounds: tuple[float, float, float]) -> int | None:
    if is_missing(rate):
        return None
    if rate >= bounds[2]:
        return 4
    if rate >= bounds[1]:
        return 3
    return 2 if rate >= bounds[0] else 1


def transmission(kasus=None, rawat_inap=None, meninggal=None) -> tuple[int | None, str]:
    """(level, available indicators ';'-joined) from the unrounded weekly rates per 100k:
    the highest level any available indicator reaches; None when none is available."""
    levels = {"kasus": _indicator_level(kasus, THRESHOLDS.ppkm_cases),
              "rawat_inap": _indicator_level(rawat_inap, THRESHOLDS.ppkm_admissions),
              "meninggal": _indicator_level(meninggal, THRESHOLDS.ppkm_deaths)}
    known = {name: level for name, level in levels.items() if level is not None}
    available = [name for name in INDICATORS if name in known]
    return (max(known[n] for n in available) if available else None), ";".join(available)


def level_of_rates(kasus=None, rawat_inap=None, meninggal=None) -> int | None:
    return transmission(kasus, rawat_inap, meninggal)[0]


def add_levels(df):
    """Adds level_ppkm (1-4, <NA> when no indicator is available) and indikator_tersedia."""
    out = df.copy()
    pairs = [transmission(k, r, m) for k, r, m in zip(out["kasus_7hari_per_100rb"],
                                                       out["rawat_inap_7hari_per_100rb"],
                                                       out["meninggal_7hari_per_100rb"])]
    out["level_ppkm"] = [p[0] for p in pairs]
    out["level_ppkm"] = out["level_ppkm"].astype("Int64")
    out["indikator_tersedia"] = [p[1] for p in pairs]
    return out


# --- trend ---------------------------------------------------------------------------------

def trend(current, previous) -> str | None:
    """naik / turun / stabil: 7-day cases against the 7 days before, ± THRESHOLDS band."""
    if is_missing(current) or is_missing(previous):
        return None
    band = THRESHOLDS.covid_trend_percent / 100.0
    if previous == 0:
        return "naik" if current > 0 else "stabil"
    change = (current - previous) / previous
    if change > band:
        return "naik"
    if change < -band:
        return "turun"
    return "stabil"


# --- privacy ---------------------------------------------------------------------------------

def suppress_for_viewer(df, *, anonymous: bool, columns=COUNT_COLUMNS, marker: str | None = None):
    """For anonymous viewers, kelurahan counts 1..threshold-1 are hidden, and so are the per-100k
    rates built from them: missing (charts draw a gap) or, with `marker` ("<5"), that text (downloads)."""
    if not anonymous or df.empty or "tingkat" not in df:
        return df
    out = df.copy()
    kel = out["tingkat"] == "kelurahan"
    limit = THRESHOLDS.suppress_below

    def hide(col, small):
        if marker is None:
            out[col] = out[col].astype("float64").mask(small)
        else:
            out[col] = out[col].astype("object").where(~small, marker)

    for col in columns:
        if col in out:
            hide(col, kel & df[col].between(1, limit - 1))
    # figures that give a small count back: a rate times the population, an average times 7
    derived = {"kasus_7hari_per_100rb": "kasus_7hari", "rawat_inap_7hari_per_100rb": "rawat_inap_7hari",
               "meninggal_7hari_per_100rb": "meninggal_7hari", "kasus_rerata_7hari": "kasus_7hari"}
    for col, base in derived.items():
        if col in out and base in df:
            hide(col, kel & df[base].between(1, limit - 1))
    return out


# --- export ----------------------------------------------------------------------------------

def round_half_away(value, places: int = 2):
    """Rounded half away from zero (not banker's rounding); None stays None."""
    if is_missing(value):
        return None
    q = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))


PPKM_EXPORT_COLUMNS = ["tanggal", "kode_wilayah", "kasus_7hari_per_100rb", "rawat_inap_7hari_per_100rb",
                       "meninggal_7hari_per_100rb", "positivity_7hari_persen", "level_ppkm", "indikator_tersedia"]


@exports.register("covid19_ppkm")
def ppkm_export(con: duckdb.DuckDBPyConnection):
    """One row per date and area with a population, from the 7th day of its data; rates rounded
    half away from zero to 2 decimals; an unavailable measure is an empty cell."""
    sql = db.load_query("covid_ppkm_weekly")
    try:
        ensure_daily(con)
    except duckdb.Error:
        # A read-only connection (the export command) to a store whose daily table is behind:
        # compute the same figures into a temporary table.
        from warroom import covid_grid
        covid_grid.build(con, BEHIND_TABLE, kota=city().kode, produsen=producer(), start=None,
                         days=CHUNK_DAYS, temporary=True)
        sql = sql.replace(f"from {DAILY_TABLE}", f"from {BEHIND_TABLE}")
    cur = con.execute(sql)

    def rows():
        while batch := cur.fetchmany(10000):
            for tanggal, kode, kasus, rawat, meninggal, positivity in batch:
                level, available = transmission(kasus, rawat, meninggal)
                yield (tanggal, kode, round_half_away(kasus), round_half_away(rawat), round_half_away(meninggal),
                       round_half_away(positivity), level, available)
    return list(PPKM_EXPORT_COLUMNS), rows()


CONTEXT_EXPORT_COLUMNS = ["tanggal", "kode_wilayah", "sumber_opd", "kasus_baru", "kasus_7hari",
                          "kasus_7hari_per_100rb", "meninggal_7hari_per_100rb", "level_ppkm", "indikator_tersedia"]


@exports.register("covid19_konteks")
def context_export(con: duckdb.DuckDBPyConnection):
    """Series of regions outside the city (e.g. the province, loaded as context) per sender: the
    same weekly rates per 100,000 of their own population as covid19_ppkm (cases and deaths; no
    admissions), so a series stored outside the city is never lost from the exports."""
    kota = city().kode
    series = con.execute("select kode_wilayah, sumber_opd, min(tanggal), max(tanggal) from covid19_harian "
                         "where kode_wilayah <> $k and not starts_with(kode_wilayah, $k || '.') "
                         "group by all order by 1, 2", {"k": kota}).fetchall()
    query = db.load_query("covid_context_series")

    def rows():
        for kode, sumber, first, last in series:
            for r in con.execute(query, {"kode": kode, "sumber": sumber, "dari": first, "sampai": last}).fetchall():
                tanggal, _, _, _, kasus, kasus_7, _, rate, deaths_rate, _ = r
                level, available = transmission(rate, None, deaths_rate)
                yield (tanggal, kode, sumber, kasus, kasus_7, round_half_away(rate), round_half_away(deaths_rate),
                       level, available)
    return list(CONTEXT_EXPORT_COLUMNS), rows()


# --- what the page and the wall show -------------------------------------------------------

def level_label(level, lang: str = "id") -> tuple[str, str, str]:
    """(text, colour, symbol) of a transmission level: the colour never stands alone."""
    from warroom.i18n import t
    if is_missing(level):
        return t("covid.level.na", lang), NA_STYLE[0], NA_STYLE[1]
    colour, symbol = LEVEL_STYLE[int(level)]
    return t(f"covid.level.{int(level)}", lang), colour, symbol


def trend_label(kind: str | None, lang: str = "id") -> str:
    from warroom.i18n import t
    if kind is None or _missing(kind):   # None, or NaN from a pandas column (an area with no data in the window)
        return t("covid.trend.na", lang)
    return f"{TREND_STYLE[kind][1]} {t(f'covid.trend.{kind}', lang)}"


def indicators_label(available: str, lang: str = "id") -> str:
    from warroom.i18n import t
    if not available:
        return t("covid.card.level.none", lang)
    return ", ".join(t(f"covid.indicator.{name}", lang) for name in available.split(";"))


def _value(row: dict | None, key: str):
    return or_none(row.get(key)) if row else None


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
        sub = t("covid.card.new.change", lang, arrow="" if hidden else arrow, diff="" if hidden else signed,
                before=count(before)).strip()
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
    level, available = transmission(*(_value(row, c) for c in RATE_COLUMNS.values()))
    text, colour, symbol = level_label(level, lang)
    cards.append(dict(key="level", label=t("covid.card.level", lang), value=f"{symbol} {text}",
                      sub=t("covid.card.level.sub", lang, list=indicators_label(available, lang)),
                      colour=colour, symbol=symbol, level=level))
    for c in cards:
        c.setdefault("colour", None)
        c.setdefault("symbol", None)
    return cards


def ranking_frame(children):
    """Child areas ranked by 7-day cases per 100k (unavailable last), with level and trend."""
    df = add_levels(children)
    df["tren"] = [trend(c, p) for c, p in zip(df["kasus_7hari"], df["kasus_7hari_sebelumnya"])]
    return df.sort_values(["kasus_7hari_per_100rb", "nama"], ascending=[False, True], na_position="last",
                          kind="stable").reset_index(drop=True)
