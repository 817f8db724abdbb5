"""Helpers shared by the demo generators: random streams, places inside the city, storing rows.

Every generator draws from its own random stream (seed + dataset name), so changing one
dataset's generator leaves the others' rows as they were.
"""
from __future__ import annotations

import json
import zlib
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from warroom import datasets, db, lineage

DEMO_USER = "demo"


def rng_for(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def official_areas(con: duckdb.DuckDBPyConnection, tingkat: str) -> pd.DataFrame:
    """Official (non-synthetic) areas of one level with population, in code order."""
    return con.execute(
        "SELECT w.kode_wilayah, w.nama, w.kode_induk, w.penduduk FROM wilayah w "
        "JOIN uploads u USING (upload_id) WHERE w.tingkat = ? AND NOT u.is_demo ORDER BY w.kode_wilayah",
        [tingkat]).df()


def kelurahan_polygons(con: duckdb.DuckDBPyConnection) -> dict[str, shapely.Geometry]:
    rows = con.execute("SELECT kode_wilayah, geojson FROM batas_wilayah WHERE tingkat = 'kelurahan' "
                       "ORDER BY kode_wilayah").fetchall()
    return {kode: shape(json.loads(geo)) for kode, geo in rows}


def points_inside(rng: np.random.Generator, polygons: dict[str, shapely.Geometry],
                  kodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One random point strictly inside the polygon of each given kelurahan (rejection sampling)."""
    lon = np.empty(len(kodes))
    lat = np.empty(len(kodes))
    for i, kode in enumerate(kodes):
        poly = polygons[kode]
        minx, miny, maxx, maxy = poly.bounds
        while True:
            x = rng.uniform(minx, maxx, 16)
            y = rng.uniform(miny, maxy, 16)
            inside = shapely.contains_xy(poly, x, y)
            if inside.any():
                j = int(np.argmax(inside))
                lon[i], lat[i] = round(x[j], 6), round(y[j], 6)
                break
    return lon, lat


def store(con: duckdb.DuckDBPyConnection, dataset: str, frame, *, kode_opd: str, file_name: str,
          select: str = "*", joins: str = "", note: str = "") -> int:
    """Store demo rows as one accepted upload by `kode_opd`; returns the row count.

    `frame` is a DataFrame (or the name of a staging table); `SELECT {select} FROM frame AS f
    {joins}` maps its columns onto the dataset's. A row with the same storage key (dataset key + sender) that is
    already stored (real data, on `init --demo --force`) is kept in `<dataset>__replaced`.
    """
    ds = datasets.get(dataset)
    source = frame if isinstance(frame, str) else "demo_frame"   # a str names a staging table
    if source == "demo_frame":
        con.register("demo_frame", frame)
    # A view, not a copy: a 10-million-row build must not hold the rows twice.
    con.execute(f"CREATE OR REPLACE TEMP VIEW demo_rows AS SELECT {select} FROM {source} AS f {joins}")
    count = db.scalar(con, "SELECT count(*) FROM demo_rows")
    # No file behind a demo upload: its checksum stands for its rows.
    rows_digest = db.scalar(con, "SELECT bit_xor(hash(r)) FROM demo_rows r")
    sha = lineage.sha256_bytes(f"{dataset}|{kode_opd}|{file_name}|{rows_digest}".encode())
    upload_id = lineage.new_upload(
        con, dataset=dataset, kode_opd=kode_opd, username=DEMO_USER, file_name=file_name, sha256=sha,
        status="accepted", rows_total=count, rows_inserted=count, is_demo=True,
        report={"demo": True, "note": note or "data demo yang dibangkitkan (warroom.demo)"})
    # Columns the demo does not make (e.g. covid19_harian's cumulative totals) stay empty.
    made = {d[0] for d in con.execute("SELECT * FROM demo_rows LIMIT 0").description}
    cols = ", ".join(c for c in ds.columns if c in made)
    key = ds.key + ["sumber_opd"]
    real_rows = db.scalar(con, f"SELECT count(*) FROM {dataset} WHERE upload_id IN "
                          "(SELECT upload_id FROM uploads WHERE NOT is_demo)")
    if real_rows:
        match = " AND ".join(f"t.{k} IS NOT DISTINCT FROM d.{k}" for k in key)
        keys = f"(SELECT {', '.join(ds.key)}, ? AS sumber_opd FROM demo_rows) d"
        con.execute(f"INSERT INTO {dataset}__replaced SELECT t.*, ? FROM {dataset} t "
                    f"WHERE EXISTS (SELECT 1 FROM {keys} WHERE {match})", [upload_id, kode_opd])
        con.execute(f"DELETE FROM {dataset} t WHERE EXISTS (SELECT 1 FROM {keys} WHERE {match})", [kode_opd])
    con.execute(f"INSERT INTO {dataset} ({cols}, sumber_opd, upload_id) "
                f"SELECT {cols}, ?, ? FROM demo_rows", [kode_opd, upload_id])
    con.execute("DROP VIEW demo_rows")
    if source == "demo_frame":
        con.unregister("demo_frame")
    return count


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(y, m + 1, 1)
