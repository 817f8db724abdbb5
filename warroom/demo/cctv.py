"""Demo `cctv`: about 120 DISHUB road cameras at random points inside the real kelurahan.

Most stream from the app's own camera simulator (/api/camsim/<kode>.jpg, built with the
CCTV wall); about one in ten is an RTSP address, as many real NVRs give.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import numpy as np
import pandas as pd

from warroom.demo.common import kelurahan_polygons, official_areas, points_inside, rng_for, store

COUNT = 120
CAMSIM_URL = "http://127.0.0.1:8501/api/camsim/{kode}.jpg"
STATUSES = ("online", "offline", "rusak", "pemeliharaan")
STATUS_P = (0.82, 0.09, 0.05, 0.04)
STREETS = (
    "Jl. Jend. Sudirman", "Jl. A.P. Pettarani", "Jl. Urip Sumoharjo", "Jl. Perintis Kemerdekaan",
    "Jl. Sultan Alauddin", "Jl. Veteran Selatan", "Jl. Dr. Ratulangi", "Jl. Penghibur", "Jl. Somba Opu",
    "Jl. Hertasning", "Jl. Boulevard", "Jl. Gunung Bawakaraeng", "Jl. Masjid Raya", "Jl. Tentara Pelajar",
    "Jl. Nusantara", "Jl. Metro Tanjung Bunga", "Jl. Abdullah Daeng Sirua", "Jl. Antang Raya",
    "Jl. Landak Baru", "Jl. Cendrawasih", "Jl. Haji Bau", "Jl. Lamadukelleng", "Jl. Sunu", "Jl. Ir. Sutami",
    "Jl. Kima Raya", "Jl. Toddopuli Raya", "Jl. Andi Tonro", "Jl. Daeng Tata", "Jl. Letjen Hertasning",
)
PLACES = ("Simpang", "Depan Kantor Lurah", "Jembatan", "Pasar", "Halte", "Taman", "Bundaran")


def rows(con: duckdb.DuckDBPyConnection, as_of: date, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "cctv")
    kel = official_areas(con, "kelurahan")
    mainland = kel[~kel["kode_induk"].eq("73.71.15")].reset_index(drop=True)   # no road cameras on the islands
    where = mainland.iloc[np.sort(rng.choice(len(mainland), size=COUNT, replace=True))].reset_index(drop=True)
    lon, lat = points_inside(rng, kelurahan_polygons(con), where["kode_wilayah"].to_numpy())
    kode = [f"CCTV-{i:03d}" for i in range(1, COUNT + 1)]
    status = rng.choice(STATUSES, size=COUNT, p=STATUS_P)
    rtsp = rng.random(COUNT) < 0.1
    midnight = datetime.combine(as_of, datetime.min.time())
    # Online cameras were seen minutes before the end of the timeline; others hours to days before.
    minutes_ago = np.where(status == "online", rng.integers(1, 30, COUNT), rng.integers(3 * 60, 9 * 24 * 60, COUNT))
    return pd.DataFrame({
        "kode_cctv": kode,
        "nama_lokasi": [f"{rng.choice(PLACES)} {rng.choice(STREETS)}, Kel. {nama}" for nama in where["nama"]],
        "latitude": lat, "longitude": lon,
        "kode_wilayah": where["kode_wilayah"],
        "status": status,
        "url_stream": [f"rtsp://10.73.{1 + i // 200}.{1 + i % 200}:554/Streaming/Channels/101" if r
                       else CAMSIM_URL.format(kode=k) for i, (k, r) in enumerate(zip(kode, rtsp))],
        "terakhir_aktif": [midnight - timedelta(minutes=int(m)) for m in minutes_ago],
    })


def load(con: duckdb.DuckDBPyConnection, *, as_of: date, seed: int, scale: int = 1) -> dict[str, int]:
    return {"cctv": store(con, "cctv", rows(con, as_of, seed), kode_opd="DISHUB", file_name="demo_cctv.csv")}
