"""`python -m warroom init` as an operator runs it: exit codes and readable messages."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent


def warroom(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "WARROOM_DB"}
    return subprocess.run([sys.executable, "-m", "warroom", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_init_demo_twice_succeeds_and_holds_the_official_codes(tmp_path):
    path = tmp_path / "x.duckdb"
    first = warroom("init", "--demo", "--db", str(path))
    assert first.returncode == 0, first.stderr
    assert "reference wilayah loaded, opd loaded" in first.stdout
    assert "demo: covid19_harian 111," in first.stdout and "cctv 120" in first.stdout
    second = warroom("init", "--demo", "--db", str(path))
    assert second.returncode == 0, second.stderr
    assert "reference wilayah unchanged, opd unchanged" in second.stdout
    assert "demo (unchanged): covid19_harian 111," in second.stdout
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM wilayah WHERE kode_wilayah LIKE '73.71%'").fetchone()[0] == 169
        assert con.execute("SELECT count(*) FROM batas_wilayah").fetchone()[0] == 15 + 153
        # The default --as-of is today in the city (frozen by the tests at 2026-11-28 WITA).
        assert con.execute("SELECT value FROM meta WHERE key = 'demo_as_of'").fetchone()[0] == "2026-11-28"
        accepted = con.execute("SELECT count(*) FROM uploads WHERE is_demo AND status = 'accepted'").fetchone()[0]
        assert accepted == 18   # 2 covid + 12 kinerja + 4
        assert con.execute("SELECT count(*) FROM uploads WHERE status <> 'accepted'").fetchone()[0] == 0
    finally:
        con.close()


def checksums(path) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"SELECT md5(coalesce(string_agg(r::VARCHAR, '|' ORDER BY r::VARCHAR), '')) "
                               f"FROM (SELECT * EXCLUDE (upload_id) FROM {t}) r").fetchone()[0]
                for t in ("covid19_harian", "kinerja_opd", "cctv", "menara_bts", "fasyankes", "aplikasi")}
    finally:
        con.close()


def test_two_processes_with_the_same_arguments_build_the_same_demo(tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    for path in (a, b):
        assert warroom("init", "--demo", "--as-of", "2026-10-31", "--seed", "11", "--db", str(path)).returncode == 0
    assert checksums(a) == checksums(b)


def test_an_as_of_after_today_is_refused(tmp_path):
    result = warroom("init", "--demo", "--as-of", "2026-11-29", "--db", str(tmp_path / "x.duckdb"))
    assert result.returncode == 1
    assert "--as-of 2026-11-29 is after today (2026-11-28" in result.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_a_database_from_a_newer_version_gives_exit_3(tmp_path):
    path = tmp_path / "future.duckdb"
    assert warroom("init", "--db", str(path)).returncode == 0
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    result = warroom("init", "--db", str(path))
    assert result.returncode == 3
    assert f"Basis data ini dibuat oleh versi War Room yang lebih baru: {path}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_corrupt_file_gives_exit_3_and_a_hint(tmp_path):
    path = tmp_path / "rusak.duckdb"
    path.write_bytes(b"this is not a database, just some bytes " * 100)
    result = warroom("init", "--db", str(path))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert f"Berkas basis data rusak atau bukan basis data War Room: {path}" in result.stderr
    assert f"python -m warroom init --demo --db {path}" in result.stderr
    assert path.read_bytes().startswith(b"this is not a database")          # left as it was


def test_a_missing_file_gives_exit_3_for_a_command_that_needs_one(tmp_path):
    path = tmp_path / "nowhere" / "x.duckdb"
    result = warroom("users", "--db", str(path), "list")
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert f"Basis data tidak ditemukan: {path}" in result.stderr
    assert f"Bangun ulang dengan: python -m warroom init --demo --db {path}" in result.stderr
    assert not path.exists()


def test_a_file_held_by_another_process_gives_exit_3(tmp_path):
    path = tmp_path / "held.duckdb"
    assert warroom("init", "--db", str(path)).returncode == 0
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(120)", str(path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = warroom("init", "--db", str(path))
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 3
    assert f"Basis data sedang dipakai proses lain: {path}" in result.stderr


def test_usage_errors_exit_2(tmp_path):
    for args in (("init", "--as-of", "28/11/2026"), ("init", "--scale", "dua"), ("no-such-command",), ()):
        result = warroom(*args)
        assert result.returncode == 2, args
        assert "usage: python -m warroom" in result.stderr
    assert not (ROOT / "data" / "28").exists()


def test_a_scale_below_one_is_refused(tmp_path):
    result = warroom("init", "--demo", "--scale", "0", "--db", str(tmp_path / "x.duckdb"))
    assert result.returncode == 1
    assert "--scale must be 1 or more" in result.stderr


def test_a_scale_beyond_the_synthetic_codes_is_refused(tmp_path):
    result = warroom("init", "--demo", "--scale", "501", "--db", str(tmp_path / "x.duckdb"))
    assert result.returncode == 1
    assert "--scale must be at most 500" in result.stderr
