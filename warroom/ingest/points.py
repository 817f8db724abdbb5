"""Points without kode_wilayah get the kelurahan they fall in (warroom.geo: shapely, 500 m
tolerance outside the simplified coastline). Swapped latitude/longitude is recognised:
the point is outside, and swapping the two puts it inside."""
from __future__ import annotations

import duckdb

POINT_TABLE = "ingest_points"


def classify_points(con: duckdb.DuckDBPyConnection, typed: str) -> dict[str, int]:
    """Build POINT_TABLE(lat, lon, kode, status) for every distinct point of the upload:
    status ok | swapped | outside. Returns counts per status."""
    from warroom import geo
    pts = con.execute(f"SELECT DISTINCT t_latitude, t_longitude FROM {typed} "
                      "WHERE t_latitude IS NOT NULL AND t_longitude IS NOT NULL").fetchall()
    con.execute(f"CREATE OR REPLACE TEMP TABLE {POINT_TABLE} (lat DOUBLE, lon DOUBLE, kode VARCHAR, status VARCHAR)")
    if not pts:
        return {}
    areas = geo.Areas.from_db(con, "kelurahan")
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    found = areas.assign(lons, lats)
    swapped = areas.assign(lats, lons)
    rows: list[tuple[float, float, str | None, str]] = []
    counts: dict[str, int] = {}
    for lat, lon, hit, swap in zip(lats, lons, found, swapped):
        status = "ok" if hit else ("swapped" if swap else "outside")
        counts[status] = counts.get(status, 0) + 1
        rows.append((lat, lon, hit, status))
    con.executemany(f"INSERT INTO {POINT_TABLE} VALUES (?, ?, ?, ?)", rows)
    return counts
