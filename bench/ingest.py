"""Ingest benchmark: a valid N-row covid19_harian file validated and committed by
`python -m warroom ingest` as a whole process, side by side with
  (a) the floor: a process doing DuckDB's bare CREATE TABLE AS SELECT * FROM read_csv(...);
  (b) the ordinary pandas pipeline: pandas.read_csv, the same checks in pandas, insert into DuckDB.
Each runs as its own process on a fresh copy of the same store; wall time (best of
REPEATS) and peak resident memory (ru_maxrss of the child) are reported.
Goals (issue 3): within 3x of the floor, faster than pandas, peak memory under 1 GB.

    python -m bench.ingest [--smoke] [--rows N]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
REPEATS = 3
COLUMNS = ("tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru,rawat_inap_baru,dirawat,"
           "isolasi_mandiri,spesimen_diperiksa,spesimen_positif")


def make_covid_file(path: Path, rows: int, *, last_day: str = "2026-11-01", seed: int = 7) -> int:
    """A valid covid19_harian CSV of about `rows` rows: every Makassar code (kota, kecamatan,
    kelurahan) for enough consecutive days ending `last_day`. Returns the exact row count."""
    import csv
    import duckdb
    codes = [r["kode_kemendagri"] for r in csv.DictReader(open(ROOT / "data/reference/makassar_kode_wilayah.csv",
                                                                encoding="utf-8"))]
    days = max(1, -(-rows // len(codes)))
    con = duckdb.connect()
    con.execute("SELECT setseed(?)", [seed / 100])
    con.execute("CREATE TABLE codes AS SELECT unnest(?) AS kode_wilayah", [codes])
    con.execute(f"""
        COPY (
            SELECT strftime(DATE '{last_day}' - d::INTEGER, '%Y-%m-%d') AS tanggal, kode_wilayah,
                   (random() * 50)::INT AS kasus_baru, (random() * 40)::INT AS sembuh_baru,
                   (random() * 3)::INT AS meninggal_baru, (random() * 10)::INT AS rawat_inap_baru,
                   (random() * 200)::INT AS dirawat, (random() * 300)::INT AS isolasi_mandiri,
                   100 + (random() * 400)::INT AS spesimen_diperiksa, (random() * 100)::INT AS spesimen_positif
            FROM range({days}) t(d) CROSS JOIN codes
            ORDER BY d DESC, kode_wilayah
        ) TO '{path}' (HEADER, DELIMITER ',')""")
    con.close()
    return days * len(codes)


FLOOR = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE floor AS SELECT * FROM read_csv(?)", [sys.argv[2]])
con.close()
"""

PANDAS = """
import sys
import duckdb
import pandas as pd
from warroom import db
from warroom.config import today
con = db.connect(sys.argv[1])
df = pd.read_csv(sys.argv[2], dtype=str, keep_default_na=False)
required = ["tanggal", "kode_wilayah", "kasus_baru", "sembuh_baru", "meninggal_baru"]
ints = ["kasus_baru", "sembuh_baru", "meninggal_baru", "rawat_inap_baru", "dirawat", "isolasi_mandiri",
        "spesimen_diperiksa", "spesimen_positif"]
problems = []
for c in required:
    problems += [(i + 2, c, "missing") for i in df.index[df[c].str.strip() == ""]]
typed = pd.DataFrame({"tanggal": pd.to_datetime(df["tanggal"], format="%Y-%m-%d", errors="coerce").dt.date,
                      "kode_wilayah": df["kode_wilayah"].str.strip()})
for c in ints:
    typed[c] = pd.to_numeric(df[c].replace("", None), errors="coerce").astype("Int64")
    bad = df[c].ne("") & typed[c].isna()
    problems += [(i + 2, c, "type") for i in df.index[bad]]
    problems += [(i + 2, c, "negative") for i in df.index[typed[c].fillna(0) < 0]]
problems += [(i + 2, "tanggal", "date") for i in df.index[typed["tanggal"].isna()]]
problems += [(i + 2, "tanggal", "future") for i in df.index[typed["tanggal"] > today()]]
known = {r[0] for r in con.execute("SELECT kode_wilayah FROM wilayah").fetchall()}
problems += [(i + 2, "kode_wilayah", "code") for i in df.index[~typed["kode_wilayah"].isin(known)]]
over = typed["spesimen_positif"].fillna(0) > typed["spesimen_diperiksa"].fillna(0)
problems += [(i + 2, "spesimen_positif", "exceeds") for i in df.index[over]]
problems += [(i + 2, "key", "duplicate") for i in df.index[typed.duplicated(["tanggal", "kode_wilayah"])]]
if problems:
    print(len(problems), "problems"); sys.exit(1)
typed["sumber_opd"] = "DINKES"
typed["upload_id"] = 999
con.register("typed", typed)
con.execute("BEGIN")
con.execute("DELETE FROM covid19_harian USING typed WHERE covid19_harian.tanggal = typed.tanggal "
            "AND covid19_harian.kode_wilayah = typed.kode_wilayah AND covid19_harian.sumber_opd = 'DINKES'")
con.execute("INSERT INTO covid19_harian SELECT * FROM typed")
con.execute("COMMIT")
con.close()
"""


def timed(cmd: list[str], env: dict) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0,):
        err = proc.stderr.read().decode(errors="replace")[-500:]
        raise RuntimeError(f"{cmd[:4]} exited {proc.returncode}: {err}")
    proc.stderr.close()
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def run(smoke: bool, rows: int | None = None) -> list[dict]:
    rows = rows or (20_000 if smoke else 1_000_000)
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("WARROOM_NOW", None)
    try:
        csv_path = work / "covid.csv"
        n = make_covid_file(csv_path, rows)
        size_mb = csv_path.stat().st_size / 1e6
        template = work / "template.duckdb"
        subprocess.run([PY, "-m", "warroom", "init", "--db", str(template)], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)

        def fresh(name: str) -> str:
            target = work / f"{name}.duckdb"
            for p in (target, Path(str(target) + ".wal")):
                if p.exists():
                    p.unlink()
            shutil.copy(template, target)
            return str(target)

        commands = {
            "ours": lambda: [PY, "-m", "warroom", "ingest", "covid19_harian", str(csv_path), "--opd", "DINKES",
                             "--db", fresh("ours")],
            "floor": lambda: [PY, "-c", FLOOR, fresh("floor"), str(csv_path)],
            "pandas": lambda: [PY, "-c", PANDAS, fresh("pandas"), str(csv_path)],
        }
        best = {}
        for name, make in commands.items():
            runs = [timed(make(), env) for _ in range(1 if smoke else REPEATS)]
            best[name] = (min(r[0] for r in runs), max(r[1] for r in runs))
        # The stored result is checked, so a fast wrong answer cannot pass.
        import duckdb
        con = duckdb.connect(str(work / "ours.duckdb"), read_only=True)
        stored = con.execute("SELECT count(*) FROM covid19_harian").fetchone()[0]
        con.close()
        assert stored == n, (stored, n)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    note = f"{n:,} rows, {size_mb:.0f} MB CSV; best of {1 if smoke else REPEATS}; whole processes"
    (t_ours, m_ours), (t_floor, m_floor), (t_pd, m_pd) = best["ours"], best["floor"], best["pandas"]
    return [
        {"benchmark": "ingest", "measure": "seconds vs bare read_csv floor", "ours": t_ours, "baseline": t_floor,
         "ratio": t_ours / t_floor, "goal": "<= 3", "note": note},
        {"benchmark": "ingest", "measure": "seconds vs pandas pipeline", "ours": t_ours, "baseline": t_pd,
         "ratio": t_ours / t_pd, "goal": "< 1", "note": note},
        {"benchmark": "ingest", "measure": "peak RSS MB vs pandas", "ours": m_ours, "baseline": m_pd,
         "ratio": m_ours / m_pd, "goal": "ours < 1024", "note": f"floor peak {m_floor:.0f} MB"},
    ]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--rows", type=int, default=None)
    args = ap.parse_args(argv)
    rows = run(args.smoke, args.rows)
    print(f"{'measure':<34} {'ours':>10} {'baseline':>10} {'ratio':>7}  goal      note")
    for r in rows:
        print(f"{r['measure']:<34} {r['ours']:>10.2f} {r['baseline']:>10.2f} {r['ratio']:>7.2f}  "
              f"{r['goal']:<9} {r['note']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
