"""Demo `covid19_harian`: DINKES per kelurahan per day, SATGAS_COVID per kecamatan for some days.

The city's daily level follows the SHAPE of the real South Sulawesi series
(covid19.go.id via Danish-1311, 2020-03-19 .. 2021-08-01: its new_* columns; the source's
total_deaths and total_recoveries are swapped, so totals are not used): smoothed, stretched
over DAYS days ending at as_of (so the demo ends, like the source, in a rising wave) and
scaled to about half of the province, roughly Makassar's share. It is spread over the
kelurahan by population with a fixed relative risk per kelurahan; outcomes follow each
case (death or recovery some days later), so active cases never go below zero.

`--scale N` adds (N-1) x 153 synthetic kelurahan (copies of the official ones' population)
under synthetic kecamatan 73.71.90 .. 73.71.99, so the DINKES table has N x 153 x DAYS rows.
"""
from __future__ import annotations

import csv
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from warroom.config import DATA_DIR
from warroom.demo.common import official_areas, rng_for, store

DAYS = 730                       # about two years
MAKASSAR_SHARE = 0.5             # Makassar reported about half of South Sulawesi's cases
SOURCE = DATA_DIR / "reference" / "covid_sulsel_daily_satgas_danish1311.csv"
SYNTHETIC_KECAMATAN = [f"73.71.{n}" for n in range(90, 100)]
SYNTHETIC_NOTE = "sintetis: wilayah buatan untuk uji beban (--scale), bukan wilayah resmi"
CHUNK_AREAS = 1500
MAX_SCALE = 500                  # synthetic kelurahan codes run out at 73.71.9x.9999
# Outcome delays (days after the case is reported) and their shares.
RECOVERY_LAGS, RECOVERY_P = (7, 10, 14, 21), (0.15, 0.35, 0.35, 0.15)
DEATH_LAGS, DEATH_P = (5, 8, 12), (0.3, 0.4, 0.3)
HOSPITAL_STAY_DAYS = 9
WEEKDAY_FACTOR = np.array([1.08, 1.10, 1.05, 1.02, 0.98, 0.90, 0.87])  # Mon..Sun reporting rhythm


def _smooth(values: np.ndarray, window: int = 7) -> np.ndarray:
    return pd.Series(values, dtype=float).rolling(window, center=True, min_periods=1).mean().to_numpy()


def city_shape(days: int = DAYS) -> dict[str, np.ndarray]:
    """Expected new cases per day for the city, the case fatality share and the positivity."""
    with open(SOURCE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    cases = _smooth(np.array([int(r["new_cases"]) for r in rows]))
    deaths = _smooth(np.array([int(r["new_deaths"]) for r in rows]), 28)
    cases28 = _smooth(np.array([int(r["new_cases"]) for r in rows]), 28)
    x = np.linspace(0, len(rows) - 1, days)
    src = np.arange(len(rows))
    level = np.interp(x, src, cases) * MAKASSAR_SHARE
    cfr = np.clip(np.interp(x, src, deaths / np.maximum(cases28, 1)), 0.008, 0.05)
    relative = level / level.max()
    positivity = np.clip(0.06 + 0.28 * relative, 0.05, 0.34)
    admission = np.clip(0.12 + 0.12 * relative, 0.1, 0.3)
    return {"level": level, "cfr": cfr, "positivity": positivity, "admission": admission}


def synthetic_areas(official: pd.DataFrame, scale: int) -> pd.DataFrame:
    """(scale-1) copies of the official kelurahan, spread over ten synthetic kecamatan."""
    n = (scale - 1) * len(official)
    i = np.arange(n)
    template = official.iloc[i % len(official)].reset_index(drop=True)
    kec = np.array(SYNTHETIC_KECAMATAN)[i % 10]
    suffix = 1001 + i // 10
    return pd.DataFrame({
        "kode_wilayah": [f"{k}.{s:04d}" for k, s in zip(kec, suffix)],
        "nama": [f"Sintetis {k[-2:]}-{s:04d}" for k, s in zip(kec, suffix)],
        "kode_induk": kec,
        "penduduk": template["penduduk"].to_numpy(),
        "template": i % len(official),
    })


def _store_synthetic_wilayah(con, areas: pd.DataFrame, city_code: str) -> int:
    kec = (areas.groupby("kode_induk", as_index=False)["penduduk"].sum()
           .rename(columns={"kode_induk": "kode_wilayah"}))
    kec["nama"] = "Kecamatan Sintetis " + kec["kode_wilayah"].str[-2:]
    kec["kode_induk"] = city_code
    kec["tingkat"] = "kecamatan"
    kel = areas[["kode_wilayah", "nama", "kode_induk", "penduduk"]].assign(tingkat="kelurahan")
    frame = pd.concat([kec, kel], ignore_index=True)
    return store(con, "wilayah", frame, kode_opd="DISKOMINFO", file_name="demo_wilayah_sintetis.csv",
                 select=f"kode_wilayah, nama, tingkat, kode_induk, penduduk, NULL::BIGINT AS tahun_penduduk, "
                        f"'{SYNTHETIC_NOTE}' AS sumber_penduduk, NULL::DOUBLE AS luas_km2, "
                        f"NULL::VARCHAR AS kode_bps",
                 note=SYNTHETIC_NOTE)


def _shift_add(out: np.ndarray, part: np.ndarray, lag: int) -> None:
    out[:, lag:] += part[:, :-lag]


def _generate(rng: np.random.Generator, expected: np.ndarray, shape: dict,
              baseline_tests: np.ndarray) -> dict[str, np.ndarray]:
    """All columns for a block of areas x days (each array areas x days)."""
    cases = rng.poisson(expected)
    dying = rng.binomial(cases, shape["cfr"])
    recovering = cases - dying
    deaths = np.zeros_like(cases)
    recovered = np.zeros_like(cases)
    for lag, part in zip(DEATH_LAGS, np.moveaxis(rng.multinomial(dying, DEATH_P), -1, 0)):
        _shift_add(deaths, part, lag)
    for lag, part in zip(RECOVERY_LAGS, np.moveaxis(rng.multinomial(recovering, RECOVERY_P), -1, 0)):
        _shift_add(recovered, part, lag)
    admitted = rng.binomial(cases, shape["admission"])
    active = np.cumsum(cases - recovered - deaths, axis=1)
    cum_admitted = np.cumsum(admitted, axis=1)
    in_hospital = cum_admitted.copy()
    in_hospital[:, HOSPITAL_STAY_DAYS:] -= cum_admitted[:, :-HOSPITAL_STAY_DAYS]
    in_hospital = np.minimum(in_hospital, active)
    pos = shape["positivity"]
    examined = cases + rng.poisson(cases * (1 - pos) / pos + baseline_tests[:, None])
    positive = np.minimum(cases + rng.binomial(cases, 0.05), examined)
    return {"kasus_baru": cases, "sembuh_baru": recovered, "meninggal_baru": deaths,
            "rawat_inap_baru": admitted, "dirawat": in_hospital, "isolasi_mandiri": active - in_hospital,
            "spesimen_diperiksa": examined, "spesimen_positif": positive}


def _dinkes_frames(rng, areas: pd.DataFrame, relative_risk: np.ndarray, shape: dict, start: date):
    """Yield blocks of up to CHUNK_AREAS areas x all days: numbers only (codes and dates are joined in SQL)."""
    days = len(shape["level"])
    weekday = np.array([(start + timedelta(d)).weekday() for d in range(days)])
    level = shape["level"] * WEEKDAY_FACTOR[weekday]
    official = areas.iloc[:len(relative_risk)]
    weight_official = official["penduduk"].to_numpy(float) * relative_risk
    weight_official /= weight_official.sum()
    for lo in range(0, len(areas), CHUNK_AREAS):
        block = areas.iloc[lo:lo + CHUNK_AREAS]
        template = block["template"].to_numpy()
        expected = weight_official[template][:, None] * level[None, :]
        baseline = block["penduduk"].to_numpy(float) * 2.5 / 100_000
        cols = _generate(rng, expected, shape, baseline)
        n = len(block)
        frame = pd.DataFrame({"area": np.repeat(np.arange(lo, lo + n, dtype=np.int32), days),
                              "day": np.tile(np.arange(days, dtype=np.int32), n)})
        for name, arr in cols.items():
            frame[name] = arr.astype(np.int32).ravel()
        yield frame


def load(con: duckdb.DuckDBPyConnection, *, as_of: date, seed: int, scale: int = 1,
         days: int = DAYS, city_code: str = "73.71") -> dict[str, int]:
    rng = rng_for(seed, "covid19_harian")
    start = as_of - timedelta(days=days - 1)
    official = official_areas(con, "kelurahan")
    official["template"] = np.arange(len(official))
    areas = official[["kode_wilayah", "nama", "kode_induk", "penduduk", "template"]]
    counts = {}
    if scale > 1:
        synthetic = synthetic_areas(official, scale)
        counts["wilayah"] = _store_synthetic_wilayah(con, synthetic, city_code)
        areas = pd.concat([areas, synthetic], ignore_index=True)
    shape = city_shape(days)
    relative_risk = rng.lognormal(0.0, 0.35, len(official))
    con.register("demo_area_codes", pd.DataFrame({"area": np.arange(len(areas), dtype=np.int32),
                                                  "kode_wilayah": areas["kode_wilayah"].to_numpy()}))
    select = "$start::DATE + f.day AS tanggal, a.kode_wilayah, f.* EXCLUDE (area, day)"
    frames = _dinkes_frames(rng, areas, relative_risk, shape, start)
    if len(areas) <= CHUNK_AREAS:
        total = _store_covid(con, next(frames), select, start)
    else:
        total = _store_covid_chunked(con, frames, select, start)
    con.unregister("demo_area_codes")
    satgas = _satgas_rows(con, rng, as_of, start)
    total += store(con, "covid19_harian", satgas, kode_opd="SATGAS_COVID",
                   file_name="demo_covid19_satgas_kecamatan.csv")
    counts["covid19_harian"] = total
    return counts


def _store_covid(con, frame: pd.DataFrame, select: str, start: date) -> int:
    return store(con, "covid19_harian", frame, kode_opd="DINKES", file_name="demo_covid19_harian_kelurahan.csv",
                 select=select.replace("$start", f"DATE '{start.isoformat()}'"),
                 joins="JOIN demo_area_codes a USING (area)")


def _store_covid_chunked(con, frames, select: str, start: date) -> int:
    """Large (--scale) builds: stream blocks into one staging table, then store it as one upload."""
    con.execute("CREATE OR REPLACE TEMP TABLE demo_covid_stage (area INTEGER, day INTEGER, kasus_baru INTEGER, "
                "sembuh_baru INTEGER, meninggal_baru INTEGER, rawat_inap_baru INTEGER, dirawat INTEGER, "
                "isolasi_mandiri INTEGER, spesimen_diperiksa INTEGER, spesimen_positif INTEGER)")
    for frame in frames:
        con.register("demo_block", frame)
        con.execute("INSERT INTO demo_covid_stage SELECT * FROM demo_block")
        con.unregister("demo_block")
    count = _store_covid(con, "demo_covid_stage", select, start)
    con.execute("DROP TABLE demo_covid_stage")
    return count


def _satgas_rows(con, rng: np.random.Generator, as_of: date, start: date) -> pd.DataFrame:
    """Kecamatan rows from the task force for some kecamatan-days: DINKES's kelurahan sums,
    except a few that disagree (so the walidata's desk has conflicts to resolve)."""
    kecamatan = official_areas(con, "kecamatan")["kode_wilayah"].to_numpy()
    chosen = sorted(rng.choice(kecamatan, size=5, replace=False))
    first = max(start, as_of - timedelta(days=59))
    sums = con.execute("""
        SELECT c.tanggal, w.kode_induk AS kode_wilayah, sum(kasus_baru)::BIGINT AS kasus_baru,
               sum(sembuh_baru)::BIGINT AS sembuh_baru, sum(meninggal_baru)::BIGINT AS meninggal_baru,
               sum(rawat_inap_baru)::BIGINT AS rawat_inap_baru, sum(dirawat)::BIGINT AS dirawat,
               sum(isolasi_mandiri)::BIGINT AS isolasi_mandiri, sum(spesimen_diperiksa)::BIGINT AS spesimen_diperiksa,
               sum(spesimen_positif)::BIGINT AS spesimen_positif
        FROM covid19_harian c JOIN wilayah w USING (kode_wilayah)
        WHERE c.sumber_opd = 'DINKES' AND c.tanggal >= ? AND w.kode_induk IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY ALL ORDER BY c.tanggal, kode_wilayah""", [first, list(chosen)]).df()
    sums = sums[rng.random(len(sums)) < 0.8].reset_index(drop=True)
    # A few disagreements, one of them in the last three days so the current week shows it.
    recent = np.flatnonzero(sums["tanggal"].dt.date >= as_of - timedelta(days=2))
    picks = set(rng.choice(len(sums), size=5, replace=False).tolist())
    if len(recent):
        picks.add(int(rng.choice(recent)))
    for n, i in enumerate(sorted(picks)):
        column = "meninggal_baru" if n % 3 == 2 else "kasus_baru"
        delta = int(rng.integers(1, 6)) * (1 if n % 2 == 0 or sums.at[i, column] < 6 else -1)
        sums.at[i, column] = sums.at[i, column] + delta
    return sums
