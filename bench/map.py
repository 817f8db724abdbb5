"""Map: building the Peta data and deck JSON at demo scale and with 100,000 points.

Ours: warroom.peta.load (vectorised point-in-polygon, grouped points above MAX_POINTS)
+ warroom.peta.deck.build(...).to_json() (compact JSON).
Baseline, run side by side: the naive way — a Python loop testing each point against
each kelurahan polygon, and every point drawn as its own GeoJSON feature serialised the
way pydeck does by default (indented). At 100,000 points the naive loop is timed on a
sample and scaled (it would take minutes on the shared machine); the note says so.

    python -m bench.map            # demo scale and 100,000 points
    python -m bench --smoke --only map
"""
from __future__ import annotations

import json
import time
from datetime import date, timedelta

import numpy as np
import pandas as pd
import shapely

from warroom import db, geo, lineage, peta, reference
from warroom.peta import deck as peta_deck

DAY = date(2026, 11, 27)
DEMO = {"cctv": 120, "menara": 250, "faskes": 71}
STATUSES = ["online", "offline", "rusak", "pemeliharaan"]
IZIN = ["berlaku", "proses", "kedaluwarsa", "tanpa_izin"]


def points_inside(areas: geo.Areas, n: int, rng) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """n random points inside random kelurahan (rejection sampling in each polygon's box)."""
    lons, lats, codes = [], [], []
    need = n
    while need > 0:
        pick = rng.integers(0, len(areas.codes), need * 2)
        bounds = shapely.bounds(areas.geometries[pick])
        x = rng.uniform(bounds[:, 0], bounds[:, 2])
        y = rng.uniform(bounds[:, 1], bounds[:, 3])
        ok = shapely.contains_xy(areas.geometries[pick], x, y)
        take = np.flatnonzero(ok)[:need]
        lons.append(x[take])
        lats.append(y[take])
        codes += [areas.codes[i] for i in pick[take]]
        need -= take.size
    return np.concatenate(lons), np.concatenate(lats), codes


def build_store(n_cctv: int, n_menara: int, n_faskes: int, seed: int = 7371):
    rng = np.random.default_rng(seed)
    con = db.open_store(":memory:", create=True)
    reference.load_reference(con)
    areas = geo.Areas.from_db(con, "kelurahan")
    uid = lineage.new_upload(con, dataset="cctv", kode_opd="DISHUB", username="bench", file_name="bench.csv",
                             sha256="bench", status="accepted", rows_total=1, rows_inserted=1)
    x, y, codes = points_inside(areas, n_cctv, rng)
    cctv = pd.DataFrame({"kode_cctv": [f"CCTV-{i:06d}" for i in range(n_cctv)],
                         "nama_lokasi": [f"Simpang {i}" for i in range(n_cctv)], "latitude": y, "longitude": x,
                         "kode_wilayah": [c if i % 2 else None for i, c in enumerate(codes)],
                         "status": rng.choice(STATUSES, n_cctv, p=[.7, .15, .1, .05]),
                         "url_stream": None, "terakhir_aktif": pd.Timestamp("2026-11-27 08:00"),
                         "sumber_opd": "DISHUB", "upload_id": uid})
    con.register("cctv_df", cctv)
    con.execute("INSERT INTO cctv BY NAME SELECT * FROM cctv_df")
    x, y, codes = points_inside(areas, n_menara, rng)
    menara = pd.DataFrame({"kode_menara": [f"BTS-{i:06d}" for i in range(n_menara)],
                           "operator": rng.choice(["Telkomsel", "Indosat;XL", "XL", "Smartfren;Telkomsel"], n_menara),
                           "penyedia_menara": rng.choice(["Mitratel", "Protelindo", "TBG"], n_menara),
                           "latitude": y, "longitude": x, "kode_wilayah": codes, "tinggi_m": 42.0,
                           "status_izin": rng.choice(IZIN, n_menara), "izin_berakhir": date(2028, 1, 1),
                           "sumber_opd": "DISKOMINFO", "upload_id": uid})
    con.register("menara_df", menara)
    con.execute("INSERT INTO menara_bts BY NAME SELECT * FROM menara_df")
    x, y, codes = points_inside(areas, n_faskes, rng)
    beds = rng.integers(10, 600, n_faskes)
    faskes = pd.DataFrame({"kode_faskes": [f"RS-{i:06d}" for i in range(n_faskes)],
                           "nama": [f"Faskes {i}" for i in range(n_faskes)], "jenis": "rs", "latitude": y,
                           "longitude": x, "kode_wilayah": None, "tanggal": DAY, "tt_total": beds,
                           "tt_terisi": (beds * rng.uniform(0.3, 1.0, n_faskes)).astype(int), "tt_isolasi": None,
                           "tt_isolasi_terisi": None, "sumber_opd": "DINKES", "upload_id": uid})
    con.register("faskes_df", faskes)
    con.execute("INSERT INTO fasyankes BY NAME SELECT * FROM faskes_df")
    days = [DAY - timedelta(days=i) for i in range(60)]
    kel = areas.codes
    covid = pd.DataFrame({"tanggal": np.repeat(days, len(kel)), "kode_wilayah": kel * len(days),
                          "kasus_baru": rng.integers(0, 12, len(days) * len(kel)), "sembuh_baru": 1,
                          "meninggal_baru": 0, "rawat_inap_baru": 1, "dirawat": None, "isolasi_mandiri": None,
                          "spesimen_diperiksa": None, "spesimen_positif": None, "sumber_opd": "DINKES",
                          "upload_id": uid})
    con.register("covid_df", covid)
    con.execute("INSERT INTO covid19_harian BY NAME SELECT * FROM covid_df")
    return con, areas


def ours(con, areas, tingkat="kecamatan") -> tuple[float, int, peta.MapData]:
    start = time.perf_counter()
    md = peta.load(con, peta.Options(tanggal=DAY, tingkat=tingkat), areas)
    text = peta_deck.build(md).to_json()
    return time.perf_counter() - start, len(text.encode()), md


def naive_assign(areas: geo.Areas, lons, lats) -> list[str | None]:
    out = []
    for x, y in zip(lons, lats):
        p = shapely.Point(x, y)
        out.append(next((c for c, g in zip(areas.codes, areas.geometries) if g.contains(p)), None))
    return out


def baseline(con, areas, sample: int | None = None) -> tuple[float, int, float]:
    """(seconds, JSON bytes, share of the points the loop was timed on)."""
    rows = con.execute("SELECT kode_cctv, longitude, latitude, status FROM cctv UNION ALL "
                       "SELECT kode_menara, longitude, latitude, status_izin FROM menara_bts UNION ALL "
                       "SELECT kode_faskes, longitude, latitude, 'rs' FROM fasyankes").fetchall()
    start = time.perf_counter()
    timed = rows if sample is None else rows[:sample]
    naive_assign(areas, [r[1] for r in timed], [r[2] for r in timed])
    loop = (time.perf_counter() - start) * len(rows) / len(timed)
    start = time.perf_counter()
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [r[1], r[2]]},
                 "properties": {"kode": r[0], "status": r[3], "tooltip": f"<b>{r[0]}</b><br/>{r[3]}"}}
                for r in rows]
    areas_geojson = [json.loads(g) for (g,) in con.execute(
        "SELECT geojson FROM batas_wilayah WHERE tingkat = 'kecamatan'").fetchall()]
    text = json.dumps({"layers": [{"data": {"type": "FeatureCollection", "features": features}},
                                  {"data": areas_geojson}]}, indent=2, sort_keys=True)
    return loop + time.perf_counter() - start, len(text.encode()), len(timed) / len(rows)


def _row(measure, ours_v, base_v, goal, note, better="lower"):
    ratio = (base_v / ours_v if better == "lower" else ours_v / base_v) if ours_v and base_v else None
    return {"benchmark": "map", "measure": measure, "ours": ours_v, "baseline": base_v,
            "ratio": round(ratio, 1) if ratio else None, "goal": goal, "note": note}


def run(smoke: bool = False) -> list[dict]:
    rows = []
    con, areas = build_store(DEMO["cctv"], DEMO["menara"], DEMO["faskes"])
    ours(con, areas)                                   # warm-up: query plans, imports
    t_ours, size_ours, md = ours(con, areas)
    t_kel, size_kel, _ = ours(con, areas, "kelurahan")
    t_base, size_base, _ = baseline(con, areas)
    n = sum(DEMO.values())
    rows.append(_row(f"demo ({n} points) data+deck JSON, kecamatan [s]", round(t_ours, 3), round(t_base, 3),
                     "< 1 s", f"kelurahan level {t_kel:.3f} s"))
    rows.append(_row("demo deck JSON size [KB]", round(size_ours / 1024), round(size_base / 1024), "",
                     f"kelurahan level {size_kel / 1024:.0f} KB; baseline: points as indented GeoJSON"))
    con.close()

    big = 10_000 if smoke else 100_000
    con, areas = build_store(big, 250, 71)
    t_big, size_big, md = ours(con, areas)
    sample = 2_000 if smoke else 5_000
    t_base, size_base, share = baseline(con, areas, sample=sample)
    cells = len(peta.aggregate_points(md.cctv, "cctv", "id"))
    rows.append(_row(f"{big:,} CCTV points data+deck JSON [s]", round(t_big, 3), round(t_base, 2),
                     "a frame the browser can pan",
                     f"grouped into {cells:,} cells of {peta.CELL_M:.0f} m; baseline loop timed on "
                     f"{share:.0%} of points and scaled"))
    rows.append(_row(f"{big:,} CCTV points deck JSON size [KB]", round(size_big / 1024), round(size_base / 1024),
                     "< 2 MB", "baseline: every point as an indented GeoJSON feature"))
    lons = con.execute("SELECT longitude FROM cctv").fetchnumpy()["longitude"]
    lats = con.execute("SELECT latitude FROM cctv").fetchnumpy()["latitude"]
    start = time.perf_counter()
    areas.assign(lons, lats)
    t_assign = time.perf_counter() - start
    start = time.perf_counter()
    naive_assign(areas, lons[:sample], lats[:sample])
    t_naive = (time.perf_counter() - start) * len(lons) / sample
    rows.append(_row(f"point-in-polygon {big:,} points [s]", round(t_assign, 3), round(t_naive, 2), "",
                     f"geo.Areas.assign (STRtree) vs a Python loop over 153 kelurahan, timed on {sample:,} points"))
    con.close()
    return rows


if __name__ == "__main__":
    import sys
    for r in run(smoke="--smoke" in sys.argv):
        print(r)
