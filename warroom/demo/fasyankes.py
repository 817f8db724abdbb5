"""Demo `fasyankes`: health facilities with bed occupancy, sent by DINKES.

The four real Covid-19 referral hospitals of Makassar (names and coordinates from the 2020
national referral list, hndryno/covid-mobile-app) plus fictional hospitals, puskesmas and
clinics at random points inside the real kelurahan. Bed counts and occupancy are demo
figures for all of them. Hospitals report daily over the covid timeline; puskesmas and
clinics weekly (every 7th day back from as_of). Isolation-bed occupancy follows the
demo's Covid wave.
"""
from __future__ import annotations

import csv
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd
import shapely

from warroom.config import DATA_DIR
from warroom.demo import covid
from warroom.demo.common import kelurahan_polygons, official_areas, points_inside, rng_for, store

REFERRAL = DATA_DIR / "reference" / "hospitals_covid_referral_sulsel_hndryno.csv"
# Demo bed counts (total, isolation) for the real referral hospitals, in file order.
REFERRAL_BEDS = ((720, 120), (220, 60), (260, 70), (300, 80))
# Fictional hospitals and the kecamatan they stand in.
OTHER_HOSPITALS = (("RS Umum Bhakti Mariso", "73.71.01"), ("RS Ibu dan Anak Sehati Mamajang", "73.71.02"),
                   ("RS Umum Sentosa Wajo", "73.71.05"), ("RS Umum Medika Tallo", "73.71.07"),
                   ("RS Umum Pelabuhan Ujung Tanah", "73.71.08"), ("RS Umum Medika Panakkukang", "73.71.09"),
                   ("RS Umum Citra Tamalate", "73.71.10"), ("RS Umum Sejahtera Biringkanaya", "73.71.11"),
                   ("RS Umum Husada Manggala", "73.71.12"), ("RS Umum Kasih Rappocini", "73.71.13"))
PUSKESMAS_PER_KECAMATAN = 3
KLINIK = 12


def referral_hospitals() -> list[dict]:
    with open(REFERRAL, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if "MAKASSAR" in r["region"].upper()]


def facilities(con: duckdb.DuckDBPyConnection, seed: int) -> pd.DataFrame:
    """One row per facility: code, name, type, point, kelurahan, beds."""
    rng = rng_for(seed, "fasyankes")
    polygons = kelurahan_polygons(con)
    kel = official_areas(con, "kelurahan")
    out = []
    for i, (h, (beds, iso)) in enumerate(zip(referral_hospitals(), REFERRAL_BEDS), start=1):
        lon, lat = float(h["long"]), float(h["lat"])
        kode = next((k for k, p in polygons.items() if shapely.contains_xy(p, lon, lat)), None)
        out.append(dict(kode_faskes=f"RS-{i:02d}", nama=h["name"], jenis="rs", latitude=lat, longitude=lon,
                        kode_wilayah=kode, tt_total=beds, tt_isolasi=iso))
    for j, (nama, kec) in enumerate(OTHER_HOSPITALS, start=len(out) + 1):
        options = kel[kel["kode_induk"] == kec]
        row = options.iloc[int(rng.integers(len(options)))]
        lons, lats = points_inside(rng, polygons, np.array([row["kode_wilayah"]]))
        beds = int(rng.integers(8, 31)) * 5
        out.append(dict(kode_faskes=f"RS-{j:02d}", nama=nama, jenis="rs", latitude=lats[0], longitude=lons[0],
                        kode_wilayah=row["kode_wilayah"], tt_total=beds, tt_isolasi=int(beds * rng.uniform(0.08, 0.2))))
    n = 0
    for kec, group in kel.groupby("kode_induk", sort=True):
        picks = group.iloc[np.sort(rng.choice(len(group), size=min(PUSKESMAS_PER_KECAMATAN, len(group)),
                                              replace=False))]
        lons, lats = points_inside(rng, polygons, picks["kode_wilayah"].to_numpy())
        for (_, r), x, y in zip(picks.iterrows(), lons, lats):
            n += 1
            out.append(dict(kode_faskes=f"PKM-{n:02d}", nama=f"Puskesmas {r['nama']}", jenis="puskesmas",
                            latitude=y, longitude=x, kode_wilayah=r["kode_wilayah"],
                            tt_total=int(rng.integers(5, 16)), tt_isolasi=int(rng.integers(1, 5))))
    mainland = kel[~kel["kode_induk"].eq("73.71.15")].reset_index(drop=True)
    picks = mainland.iloc[np.sort(rng.choice(len(mainland), size=KLINIK, replace=False))]
    lons, lats = points_inside(rng, polygons, picks["kode_wilayah"].to_numpy())
    for k, ((_, r), x, y) in enumerate(zip(picks.iterrows(), lons, lats), start=1):
        out.append(dict(kode_faskes=f"KLN-{k:02d}", nama=f"Klinik Pratama {r['nama']}", jenis="klinik",
                        latitude=y, longitude=x, kode_wilayah=r["kode_wilayah"],
                        tt_total=int(rng.integers(4, 11)), tt_isolasi=0))
    return pd.DataFrame(out)


def rows(con: duckdb.DuckDBPyConnection, as_of: date, seed: int, days: int = covid.DAYS) -> pd.DataFrame:
    rng = rng_for(seed, "fasyankes.occupancy")
    fac = facilities(con, seed)
    wave = covid.city_shape(days)["level"]
    wave = wave / wave.max()
    start = as_of - timedelta(days=days - 1)
    dates = np.array([start + timedelta(days=d) for d in range(days)])
    weekly = (days - 1 - np.arange(days)) % 7 == 0
    daily = (fac["jenis"] == "rs").to_numpy()
    which = [np.arange(days) if is_daily else np.flatnonzero(weekly) for is_daily in daily]
    facility = np.repeat(np.arange(len(fac)), [len(w) for w in which])
    day = np.concatenate(which)
    general = np.clip(0.6 + 0.15 * wave[day] + rng.normal(0, 0.05, len(day)), 0.2, 0.98)
    isolation = np.clip(0.08 + 0.85 * wave[day] + rng.normal(0, 0.05, len(day)), 0, 0.99)
    total = fac["tt_total"].to_numpy()[facility]
    total_isolation = fac["tt_isolasi"].to_numpy()[facility]
    out = fac[["kode_faskes", "nama", "jenis", "latitude", "longitude", "kode_wilayah"]].iloc[facility]
    return out.reset_index(drop=True).assign(
        tanggal=dates[day], tt_total=total, tt_terisi=rng.binomial(total, general),
        tt_isolasi=total_isolation, tt_isolasi_terisi=rng.binomial(total_isolation, isolation))


def load(con: duckdb.DuckDBPyConnection, *, as_of: date, seed: int, scale: int = 1) -> dict[str, int]:
    return {"fasyankes": store(con, "fasyankes", rows(con, as_of, seed), kode_opd="DINKES",
                               file_name="demo_fasyankes.csv",
                               select="* REPLACE (tanggal::DATE AS tanggal)")}
