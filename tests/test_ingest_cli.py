"""The command line as a person runs it: exit codes, output, export/backup/restore,
rollback, template; a 60 MB file with a progress bar; and a SIGKILL in the middle of an
upload leaving the database exactly as it was."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb

from bench.ingest import make_covid_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def cli(*args, check_rc: int | None = None, stdin=None) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "warroom", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env=dict(os.environ), input=stdin, timeout=900)
    if check_rc is not None:
        assert proc.returncode == check_rc, (proc.stdout, proc.stderr)
    return proc


def export(db: Path, name: str = "covid19_harian") -> str:
    return cli("export", name, "--db", db, check_rc=0).stdout


def test_exit_codes_and_output(store_file):
    ok = cli("ingest", "covid19_harian", CORPUS / "covid_utf16_tab.csv", "--opd", "DINKES", "--lang", "en",
             check_rc=0)
    assert ok.stdout.splitlines() == [
        "ACCEPTED: upload #3 (covid19_harian): 2 rows; 2 inserted, 0 updated, 0 unchanged.",
        "note: encoding UTF-16", "note: delimiter tab"]
    bad = cli("ingest", "covid19_harian", CORPUS / "covid_bad_values.csv", "--opd", "DINKES", check_rc=1)
    lines = bad.stdout.splitlines()
    assert lines[0] == "DITOLAK: covid19_harian: 8 masalah; tidak ada data yang berubah (catatan unggahan #4)."
    assert "  5 | kasus_baru | -3 | Jumlah tidak boleh negatif." in lines
    assert "  9 | tanggal | 2026-11-29 | Tanggal pengamatan setelah hari ini (2026-11-28). → " \
           "Periksa tahun, dan urutan hari/bulan." in lines
    as_json = json.loads(cli("ingest", "covid19_harian", CORPUS / "covid_bad_values.csv", "--opd", "DINKES",
                             "--json", "--dry-run", check_rc=1).stdout)
    assert [(p["row"], p["column"]) for p in as_json["problems"]][:2] == [(3, "kasus_baru"), (4, "kasus_baru")]
    assert as_json["upload_id"] is None
    cli("ingest", "nope", CORPUS / "covid_utf16_tab.csv", "--opd", "DINKES", check_rc=2)
    cli("ingest", "covid19_harian", CORPUS / "missing.csv", "--opd", "DINKES", check_rc=2)
    cli("ingest", "covid19_harian", CORPUS / "covid_utf16_tab.csv", check_rc=2)  # --opd is required
    cli("ingest", "covid19_harian", CORPUS / "covid_utf16_tab.csv", "--opd", "DINKES", "--map",
        CORPUS / "empty.csv", check_rc=2)
    gone = cli("ingest", "covid19_harian", CORPUS / "covid_utf16_tab.csv", "--opd", "DINKES", "--db",
               store_file.parent / "nothing.duckdb", check_rc=3)
    assert "Basis data tidak ditemukan" in gone.stderr
    uploads = cli("uploads", check_rc=0).stdout.splitlines()
    assert [line.split()[:4] for line in uploads[1:3]] == [["4", "covid19_harian", "DINKES", "refused"],
                                                           ["3", "covid19_harian", "DINKES", "accepted"]]


def test_mapping_file_and_real_series(store_file):
    out = cli("ingest", "covid19_harian", ROOT / "data/reference/covid_sulsel_daily_satgas_danish1311.csv",
              "--opd", "SATGAS_COVID", "--map", ROOT / "data/mappings/covid_sulsel_satgas_danish1311.json",
              "--lang", "en", check_rc=0).stdout
    assert out.splitlines()[0] == "ACCEPTED: upload #3 (covid19_harian): 501 rows; 501 inserted, 0 updated, 0 unchanged."


def test_rollback_command_names_later_uploads(store_file, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n2021-11-01,73.71.01,5,0,0\n")
    b.write_text("tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n2021-11-01,73.71.01,6,0,0\n")
    cli("ingest", "covid19_harian", a, "--opd", "DINKES", check_rc=0)
    cli("ingest", "covid19_harian", b, "--opd", "DINKES", check_rc=0)
    refused = cli("rollback", "3", check_rc=1)
    assert "replaced by upload(s) #4" in refused.stderr
    assert cli("rollback", "4", check_rc=0).stdout.strip() == \
        "rolled back upload #4 (covid19_harian): 1 rows removed, 1 restored"
    assert export(store_file).splitlines()[1] == "2021-11-01,73.71.01,5,0,0,,,,,,,,,,DINKES,3"


def test_template_export_backup_restore(store_file, tmp_path):
    assert cli("template", "covid19_harian", check_rc=0).stdout.splitlines() == [
        "\ufefftanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru,rawat_inap_baru,dirawat,isolasi_mandiri,"
        "spesimen_diperiksa,spesimen_positif",
        "2026-11-27,73.71.01,1,1,1,1,1,1,1,1"]
    # The template exactly as downloaded is refused: its example row is not data (standard v2).
    tpl = tmp_path / "tpl.csv"
    subprocess.run([sys.executable, "-m", "warroom", "template", "cctv", "--out", tpl], cwd=ROOT, check=True)
    refused = cli("ingest", "cctv", tpl, "--opd", "DISHUB", check_rc=1)
    assert "baris contoh dari templat" in refused.stdout + refused.stderr
    assert "Hapus baris contoh (baris 2 di Excel)" in refused.stdout + refused.stderr
    # With the example row replaced by a real one it is accepted.
    lines = tpl.read_bytes().decode("utf-8-sig").split("\r\n")
    lines[1] = lines[1].replace("contoh", "Kamera Pantai Losari", 1)
    tpl.write_text("\r\n".join(lines), encoding="utf-8")
    cli("ingest", "cctv", tpl, "--opd", "DISHUB", check_rc=0)
    cli("ingest", "covid19_harian", CORPUS / "covid_dates_and_codes.csv", "--opd", "DINKES", check_rc=0)
    before = {n: export(store_file, n) for n in ("covid19_harian", "cctv", "wilayah")}
    cli("backup", tmp_path / "bk", check_rc=0)
    assert (tmp_path / "bk" / "schema.sql").is_file()
    restored = tmp_path / "restored.duckdb"
    cli("restore", tmp_path / "bk", "--db", restored, check_rc=0)
    assert {n: export(restored, n) for n in before} == before
    cli("restore", tmp_path / "bk", "--db", restored, check_rc=1)  # exists: needs --force
    # The restored store keeps counting uploads where the original left off.
    out = cli("ingest", "covid19_harian", CORPUS / "covid_utf8_bom.csv", "--opd", "DINKES", "--db", restored,
              "--lang", "en", check_rc=0).stdout
    assert out.startswith("ACCEPTED: upload #6 ")   # #2 was the refused template


def test_sixty_megabyte_file_and_sigkill_mid_upload(store_file, tmp_path):
    big = tmp_path / "big.csv"
    rows = make_covid_file(big, 1_250_000)
    assert big.stat().st_size > 60_000_000
    small = tmp_path / "small.csv"   # a day before the big file's first day
    small.write_text("tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n1990-01-01,73.71.01,5,0,0\n")
    cli("ingest", "covid19_harian", small, "--opd", "DINKES", check_rc=0)
    before = export(store_file)
    uploads_before = cli("uploads").stdout

    proc = subprocess.Popen([sys.executable, "-m", "warroom", "ingest", "covid19_harian", str(big), "--opd", "DINKES"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))
    seen = b""
    while b"5/6" not in seen:   # stage 5 done: the write transaction is starting
        chunk = proc.stderr.read(1)
        assert chunk, (seen, proc.stdout.read())
        seen += chunk
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert export(store_file) == before
    assert cli("uploads").stdout == uploads_before

    done = cli("ingest", "covid19_harian", big, "--opd", "DINKES", "--lang", "en", check_rc=0)
    assert done.stdout.splitlines()[0] == (f"ACCEPTED: upload #4 (covid19_harian): {rows} rows; {rows} "
                                           "inserted, 0 updated, 0 unchanged.")
    assert "6/6" in done.stderr  # the progress bar of a file over 100,000 rows
    con = duckdb.connect(str(store_file), read_only=True)
    assert con.execute("SELECT count(*) FROM covid19_harian WHERE upload_id = 4").fetchone()[0] == rows
    con.close()


def test_refusal_suggests_names_at_the_level_the_clerk_wrote(store_file, tmp_path):
    """Issue 16: `Kel. Marisso` was answered "Mariso, Mario"; typed as suggested, Mariso is the kecamatan."""
    sent = tmp_path / "harian.csv"
    sent.write_text("tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n2021-11-01,Kel. Marisso,5,0,0\n"
                    "2021-11-01,Marisso,1,0,0\n")
    out = cli("ingest", "covid19_harian", sent, "--opd", "DINKES", check_rc=1).stdout
    assert ("  2 | kode_wilayah | Kel. Marisso | Nama wilayah tidak dikenal. → Nama resmi terdekat: "
            "Kel. Mariso (73.71.01.1006), Kel. Mario (73.71.01.1007).") in out.splitlines()
    assert ("  3 | kode_wilayah | Marisso | Nama wilayah tidak dikenal. → Nama resmi terdekat: "
            "Mariso (73.71.01), Kel. Mariso (73.71.01.1006), Mario (73.71.01.1007).") in out.splitlines()
