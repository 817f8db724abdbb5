"""Demo `menara_bts`: about 250 telecom towers (DISKOMINFO register) inside the real kelurahan.

Denser where more people live; a few on the islands. Permits: most valid (some expiring
within 90 days of as_of), some expired, in process or without a permit.
"""
from __future__ import annotations

from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from warroom.demo.common import kelurahan_polygons, official_areas, points_inside, rng_for, store

COUNT = 250
OPERATORS = ("Telkomsel", "Indosat", "XL", "Smartfren")
OPERATOR_P = (0.4, 0.27, 0.23, 0.1)
PROVIDERS = ("Mitratel", "Protelindo", "TBG", "Lintas Arta", "STP", "Centratama")
PROVIDER_P = (0.3, 0.25, 0.22, 0.08, 0.1, 0.05)
PERMITS = ("berlaku", "kedaluwarsa", "proses", "tanpa_izin")
PERMIT_P = (0.78, 0.1, 0.07, 0.05)


def rows(con: duckdb.DuckDBPyConnection, as_of: date, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "menara_bts")
    kel = official_areas(con, "kelurahan")
    weight = np.sqrt(kel["penduduk"].to_numpy(float))
    where = kel.iloc[np.sort(rng.choice(len(kel), size=COUNT, p=weight / weight.sum()))].reset_index(drop=True)
    lon, lat = points_inside(rng, kelurahan_polygons(con), where["kode_wilayah"].to_numpy())
    sharing = rng.choice([1, 2, 3], size=COUNT, p=[0.55, 0.33, 0.12])
    operators = [";".join(sorted(rng.choice(OPERATORS, size=k, replace=False, p=OPERATOR_P),
                                 key=OPERATORS.index)) for k in sharing]
    permit = rng.choice(PERMITS, size=COUNT, p=PERMIT_P)
    days = np.select(
        [permit == "berlaku", permit == "kedaluwarsa", permit == "proses"],
        [np.where(rng.random(COUNT) < 0.12, rng.integers(1, 90, COUNT), rng.integers(90, 5 * 365, COUNT)),
         -rng.integers(1, 2 * 365, COUNT),
         -rng.integers(1, 120, COUNT)],
        default=0)
    expiry = [None if p == "tanpa_izin" else as_of + timedelta(days=int(d)) for p, d in zip(permit, days)]
    return pd.DataFrame({
        "kode_menara": [f"MKS-BTS-{i:04d}" for i in range(1, COUNT + 1)],
        "operator": operators,
        "penyedia_menara": rng.choice(PROVIDERS, size=COUNT, p=PROVIDER_P),
        "latitude": lat, "longitude": lon,
        "kode_wilayah": where["kode_wilayah"],
        "tinggi_m": rng.choice([20, 25, 30, 32, 36, 40, 42, 45, 52, 62, 72], size=COUNT).astype(float),
        "status_izin": permit,
        "izin_berakhir": pd.array(expiry, dtype="object"),
    })


def load(con: duckdb.DuckDBPyConnection, *, as_of: date, seed: int, scale: int = 1) -> dict[str, int]:
    return {"menara_bts": store(con, "menara_bts", rows(con, as_of, seed), kode_opd="DISKOMINFO",
                                file_name="demo_menara_bts.csv",
                                select="* REPLACE (izin_berakhir::DATE AS izin_berakhir)")}
