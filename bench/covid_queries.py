"""Every query behind the Covid-19 page, cold, against pandas computing the same result in memory.

    python -m bench --only covid_queries            # demo (scale 1) and 10M rows (scale 90)
    python -m bench --only covid_queries --smoke    # demo only

Ours: a fresh DuckDB instance (2 threads) per query on the store file, reading the per-area
daily table `covid.refresh_daily` keeps (the loader calls it after each covid19_harian
upload; it is also timed, as "refresh_daily"). Baseline: pandas, with covid19_harian,
wilayah and fasyankes already loaded in memory (loading not timed), computing the same
figures from the stored rows (roll-up, windows, cumulative sums) the straightforward way.
Each pair is checked to give the same numbers. Goal: each cold query < 1 s at 10M rows.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warroom import covid, db, reference  # noqa: E402
from warroom.config import city  # noqa: E402

BIG_ROWS = 10_000_000
WORK = Path(os.environ.get("WARROOM_BENCH_DIR", Path(tempfile.gettempdir()) / "warroom_bench_covid"))
THREADS = 2
GOAL_S = 1.0
NUM = ["kasus_baru", "sembuh_baru", "meninggal_baru", "rawat_inap_baru", "dirawat", "isolasi_mandiri",
       "spesimen_diperiksa", "spesimen_positif"]


def build(path: Path, scale: int) -> Path:
    """A demo store at `scale` (kept between runs: building 10M rows takes minutes)."""
    from warroom import demo
    from warroom.config import today
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    con = db.open_store(tmp, create=True)
    try:
        reference.load_reference(con)
        demo.load_demo(con, as_of=today(), scale=scale, seed=7371)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    tmp.rename(path)
    return path


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def cold(path: Path, sql: str, params: dict) -> tuple[float, pd.DataFrame]:
    """Open a fresh instance, run one query to a DataFrame, close: nothing cached in DuckDB."""
    def run():
        con = duckdb.connect(str(path), config={"threads": THREADS})
        try:
            return con.execute(sql, params).df()
        finally:
            con.close()
    return timed(run)


# --- the pandas baseline ------------------------------------------------------------------------

def rollup(raw: pd.DataFrame, wil: pd.DataFrame, producer: str) -> dict[str, pd.DataFrame]:
    """Official figures per level, indexed (kode_wilayah, tanggal): own row else the children's sum."""
    official = raw[raw["sumber_opd"] == producer].merge(wil[["kode_wilayah", "tingkat", "kode_induk"]],
                                                       on="kode_wilayah")
    out = {}
    kel = official[official["tingkat"] == "kelurahan"].set_index(["kode_wilayah", "tanggal"])[NUM + ["kode_induk"]]
    out["kelurahan"] = kel[NUM]
    below = kel
    for level in ("kecamatan", "kota"):
        sums = below.groupby(["kode_induk", "tanggal"])[NUM].sum(min_count=1)
        sums.index = sums.index.set_names(["kode_wilayah", "tanggal"])
        own = official[official["tingkat"] == level].set_index(["kode_wilayah", "tanggal"])[NUM]
        figures = own.combine_first(sums) if len(own) else sums
        out[level] = figures
        parents = wil.set_index("kode_wilayah")["kode_induk"]
        below = figures.assign(kode_induk=parents.reindex(figures.index.get_level_values(0)).to_numpy())
    return out


def weekly(figures: pd.DataFrame, last_day) -> pd.DataFrame:
    """Per area: every day from its first to last_day, cumulative sums, 7-day sums from its 7th day."""
    frames = []
    for kode, part in figures.groupby(level=0, sort=False):
        part = part.droplevel(0).sort_index()
        days = pd.date_range(part.index.min(), last_day, freq="D")
        part = part.reindex(days)
        zero = part[["kasus_baru", "sembuh_baru", "meninggal_baru"]].fillna(0)
        cum = zero.cumsum()
        roll = zero.rolling(7, min_periods=1).sum()
        day_no = np.arange(1, len(part) + 1)
        frame = pd.DataFrame({
            "tanggal": days, "kode_wilayah": kode, "kasus_baru": part["kasus_baru"],
            "aktif": cum["kasus_baru"] - cum["sembuh_baru"] - cum["meninggal_baru"],
            "kasus_7hari": roll["kasus_baru"].where(day_no >= 7),
            "meninggal_7hari": roll["meninggal_baru"].where(day_no >= 7),
        })
        frame["kasus_rerata_7hari"] = frame["kasus_7hari"] / 7
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def bor(fas: pd.DataFrame, kode: str, dari, sampai) -> pd.DataFrame:
    inside = fas[(fas["kode_wilayah"] == kode) | fas["kode_wilayah"].str.startswith(kode + ".")]
    rows = []
    for day in pd.date_range(dari, sampai, freq="D"):
        window = inside[(inside["tanggal"] <= day) & (inside["tanggal"] > day - timedelta(days=7))]
        latest = window.sort_values("tanggal").groupby("kode_faskes").tail(1)
        both = latest.dropna(subset=["tt_isolasi", "tt_isolasi_terisi"])
        total = both["tt_isolasi"].sum()
        rows.append({"tanggal": day, "bor_isolasi_persen": both["tt_isolasi_terisi"].sum() * 100 / total
                     if total else None})
    return pd.DataFrame(rows)


def conflicts(raw: pd.DataFrame, wil: pd.DataFrame, producer: str, start) -> pd.DataFrame:
    """Other senders' figures that differ from the official rolled-up figure of the same area and day."""
    official = pd.concat(rollup(raw, wil, producer).values()).reset_index()
    others = raw[(raw["sumber_opd"] != producer) & (raw["tanggal"] >= start)]
    both = others.merge(official, on=["kode_wilayah", "tanggal"], how="left", suffixes=("", "_resmi"))
    out = []
    for col in NUM:
        differ = both[col].notna() & (both[col] != both[col + "_resmi"])
        out.append(both.loc[differ, ["kode_wilayah", "tanggal", "sumber_opd"]].assign(kolom=col))
    return pd.concat(out, ignore_index=True)


# --- the benchmark -----------------------------------------------------------------------------

def page_queries(last, kota: str, producer: str) -> list[tuple[str, str, dict]]:
    start = last - timedelta(days=179)
    return [
        ("dates", "covid_dates", {"kota": kota}),
        ("headline city", "covid_area_headline", {"kode": kota, "tanggal": last}),
        ("series city 180d", "covid_area_series", {"kode": kota, "dari": start, "sampai": last}),
        ("ranking kecamatan", "covid_children_at_date", {"kode": kota, "tanggal": last}),
        ("multiples kecamatan 180d", "covid_children_series", {"kode": kota, "dari": start, "sampai": last}),
        ("BOR city 180d", "covid_bor_series", {"kode": kota, "dari": start, "sampai": last, "produsen": producer}),
        ("conflicts city 180d", "covid_conflicts", {"produsen": producer, "kode": kota, "dari": start,
                                                     "sampai": last}),
    ]


def bench_store(label: str, path: Path) -> list[dict]:
    rows = []
    kota, producer = city().kode, covid.producer()
    con = db.open_store(path)
    try:
        con.execute(f"SET threads = {THREADS}")
        n_rows = con.execute("select count(*) from covid19_harian").fetchone()[0]
        cpu0 = time.process_time()
        refresh_s, _ = timed(lambda: covid.refresh_daily(con))
        refresh_cpu = time.process_time() - cpu0
        last = con.execute(db.load_query("covid_dates"), {"kota": kota}).fetchone()[1]
        # a daily upload: only its day is recomputed (cumulative sums carried from the stored table)
        cpu0 = time.process_time()
        since_s, _ = timed(lambda: covid.refresh_daily(con, since=last))
        since_cpu = time.process_time() - cpu0
        con.execute("CHECKPOINT")
        raw = con.execute("select * from covid19_harian").df()
        wil = con.execute("select * from wilayah").df()
        fas = con.execute("select * from fasyankes where sumber_opd = 'DINKES'").df()
    finally:
        con.close()
    for frame in (raw, fas):
        frame["tanggal"] = pd.to_datetime(frame["tanggal"])
    size = f"{n_rows:,} rows"

    # the whole per-area daily table: refresh_daily against pandas rolling up every area
    def pandas_all():
        levels = rollup(raw, wil, producer)
        return {k: weekly(v, pd.Timestamp(last)) for k, v in levels.items()}
    base_s, _ = timed(pandas_all) if n_rows < 2_000_000 else (None, None)
    rows.append(row(label, "refresh_daily (all areas, at ingest)", refresh_s, base_s, size,
                    note=f"CPU {refresh_cpu:.1f} s (load avg {os.getloadavg()[0]:.0f} on {os.cpu_count()} cores)"
                    + ("" if base_s else "; pandas baseline skipped (per-area loop over every kelurahan)")))

    rows.append(row(label, "refresh_daily since the last day (a daily upload)", since_s, None, size,
                    note=f"CPU {since_cpu:.1f} s (load avg {os.getloadavg()[0]:.0f})"))
    lastts = pd.Timestamp(last)
    start = lastts - timedelta(days=179)
    cache: dict = {}

    def city_weekly():
        levels = rollup(raw, wil, producer)
        cache["levels"] = levels
        return weekly(levels["kota"], lastts)

    def kec_weekly():
        levels = cache.get("levels") or rollup(raw, wil, producer)
        return weekly(levels["kecamatan"], lastts)

    baselines = {
        "dates": lambda: (raw.loc[raw["sumber_opd"] == producer, "tanggal"].min(),
                          raw.loc[raw["sumber_opd"] == producer, "tanggal"].max()),
        "headline city": lambda: on_or_after(city_weekly(), lastts, only=True),
        "series city 180d": lambda: on_or_after(city_weekly(), start),
        "ranking kecamatan": lambda: on_or_after(kec_weekly(), lastts, only=True),
        "multiples kecamatan 180d": lambda: on_or_after(kec_weekly(), start),
        "BOR city 180d": lambda: bor(fas, kota, start, lastts),
        "conflicts city 180d": lambda: conflicts(raw, wil, producer, start),
    }
    for name, query, params in page_queries(last, kota, producer):
        ours_s, ours = cold(path, db.load_query(query), params)
        cache.clear()
        base_s, base = timed(baselines[name])
        rows.append(row(label, name, ours_s, base_s, size,
                        note=f"{check(name, ours, base)}; load avg {os.getloadavg()[0]:.0f}"))
    return rows


def on_or_after(frame: pd.DataFrame, day, only: bool = False) -> pd.DataFrame:
    keep = frame["tanggal"] == day if only else frame["tanggal"] >= day
    return frame[keep]


def check(name: str, ours: pd.DataFrame, base) -> str:
    """Say whether both sides give the same figures (on the columns both have)."""
    try:
        if name == "headline city":
            same = (int(ours["aktif"].iloc[0]) == int(base["aktif"].iloc[0])
                    and int(ours["kasus_7hari"].iloc[0]) == int(base["kasus_7hari"].iloc[0]))
        elif name in ("series city 180d", "multiples kecamatan 180d", "ranking kecamatan"):
            key = ["kode_wilayah", "tanggal"]
            a = ours.assign(tanggal=pd.to_datetime(ours["tanggal"]))
            if name == "ranking kecamatan":
                a = a[a["kasus_7hari"].notna()]
            merged = a.merge(base, on=key, suffixes=("", "_pd"))
            col = "kasus_7hari"
            same = len(merged) == len(base) and np.allclose(merged[col].astype(float), merged[col + "_pd"].astype(float),
                                                            equal_nan=True)
        elif name == "BOR city 180d":
            same = np.allclose(ours["bor_isolasi_persen"].astype(float), base["bor_isolasi_persen"].astype(float),
                               equal_nan=True)
        elif name == "conflicts city 180d":
            same = len(ours) == len(base)
        elif name == "dates":
            same = pd.Timestamp(ours["terakhir"].iloc[0]) == base[1]
        return "same figures" if same else "FIGURES DIFFER"
    except Exception as exc:  # a mismatch in shape is a finding, not a crash
        return f"check failed: {type(exc).__name__}"


def row(label, measure, ours, baseline, size, note=""):
    ratio = (baseline / ours) if baseline and ours else None
    goal = "page query < 1 s cold at 10M" if not measure.startswith("refresh") else "at ingest (no goal set)"
    return {"benchmark": f"covid_queries[{label}]", "measure": f"{measure} (s)", "ours": ours, "baseline": baseline,
            "ratio": ratio, "goal": goal + ("; faster than pandas" if baseline else ""),
            "note": "; ".join(x for x in (size, note) if x)}


def run(smoke: bool) -> list[dict]:
    WORK.mkdir(parents=True, exist_ok=True)
    stores = [("demo", build(WORK / "demo_s1.duckdb", 1))]
    if not smoke:
        scale = -(-BIG_ROWS // (153 * 730))
        stores.append(("10M", build(WORK / f"demo_s{scale}.duckdb", scale)))
    rows = []
    for label, path in stores:
        rows += bench_store(label, path)
    return rows


if __name__ == "__main__":
    for r in run(smoke="--smoke" in sys.argv):
        print(r)
