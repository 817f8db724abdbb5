"""While the app runs it holds the database: the command line hands its file to the app
(POST /api/ingest/{dataset} with the per-start secret from <db>.server.json) and prints
the same verdict with the same exit code; agencies' systems use per-OPD API tokens.
A real server on a free port."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest

from devtools.devserver import free_port

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
PORT = free_port()  # chosen when the module loads: another suite may run beside this one


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warroom", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env=dict(os.environ), timeout=300)


@pytest.fixture
def app(store_file):
    token = cli("tokens", "add", "--opd", "DINKES", "--label", "SIMRS").stdout.strip()
    dishub = cli("tokens", "add", "--opd", "DISHUB").stdout.strip()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(PORT),
                             "--server.headless", "true", "--server.address", "127.0.0.1"],
                            cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    info = Path(str(store_file) + ".server.json")
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/health", timeout=2) as r:
                    if r.status == 200 and info.exists():
                        break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("the app did not start")
        yield {"db": store_file, "info": info, "token": token, "dishub": dishub}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def post(dataset: str, body: bytes, token: str | None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}/api/ingest/{dataset}?lang=en", data=body,
                                 method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_cli_hands_off_to_running_app(app):
    info = json.loads(app["info"].read_text())
    assert info["port"] == PORT
    assert stat.S_IMODE(app["info"].stat().st_mode) == 0o600
    ok = cli("ingest", "covid19_harian", CORPUS / "covid_utf16_tab.csv", "--opd", "DINKES", "--lang", "en")
    assert (ok.returncode, ok.stdout.splitlines()) == (0, [
        "ACCEPTED: upload #3 (covid19_harian): 2 rows; 2 inserted, 0 updated, 0 unchanged.",
        "note: encoding UTF-16", "note: delimiter tab"])
    bad = cli("ingest", "covid19_harian", CORPUS / "covid_bad_codes.csv", "--opd", "DINKES")
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[0] == \
        "DITOLAK: covid19_harian: 4 masalah; tidak ada data yang berubah (catatan unggahan #4)."
    assert "  4 | kode_wilayah | Rappocinni | Nama wilayah tidak dikenal. → " \
           "Nama resmi terdekat: Rappocini (73.71.13), Kel. Rappocini (73.71.13.1006), " \
           "Rappokalling (73.71.07.1005)." in bad.stdout.splitlines()

    # Agencies' systems: a token of an OPD that may send the dataset.
    body = (CORPUS / "covid_utf8_bom.csv").read_bytes()
    assert post("covid19_harian", body, None)[0] == 401
    assert post("covid19_harian", body, "wr_not-a-token")[0] == 401
    assert post("covid19_harian", body, app["dishub"])[0] == 403
    status, answer = post("covid19_harian", body, app["token"])
    assert status == 200
    res = answer["result"]
    # 2021-11-01 / 73.71.01 came with the same figures in the CLI's file before.
    assert (res["accepted"], res["rows_inserted"], res["rows_unchanged"], res["upload_id"], res["kode_opd"]) == \
        (True, 1, 1, 5, "DINKES")
    status, answer = post("covid19_harian", (CORPUS / "covid_bad_values.csv").read_bytes(), app["token"])
    assert status == 422
    assert answer["result"]["problems"][0] == {"row": 3, "column": "kasus_baru", "value": None,
                                               "reason": "A required value is empty.", "suggestion": None,
                                               "code": "value.missing"}


def test_export_backup_rollback_while_the_app_runs(app, tmp_path):
    a = cli("ingest", "covid19_harian", CORPUS / "covid_utf8_bom.csv", "--opd", "DINKES")
    b = cli("ingest", "covid19_harian", CORPUS / "covid_utf16_tab.csv", "--opd", "DINKES")
    assert (a.returncode, b.returncode) == (0, 0)
    exported = cli("export", "covid19_harian")
    assert exported.returncode == 0
    assert exported.stdout.splitlines() == [
        "tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru,rawat_inap_baru,dirawat,isolasi_mandiri,"
        "spesimen_diperiksa,spesimen_positif,kasus_kumulatif,sembuh_kumulatif,meninggal_kumulatif,koreksi,"
        "sumber_opd,upload_id",
        "2021-11-01,73.71.01,5,2,0,,,,,,,,,,DINKES,4",
        "2021-11-01,73.71.02,3,1,1,,,,,,,,,,DINKES,3",
        "2021-11-02,73.71.01,7,1,0,,,,,,,,,,DINKES,4"]
    # The Excel-Indonesia form, written by the running app: BOM, semicolons, CRLF.
    excel_id = tmp_path / "excel_id.csv"
    assert cli("export", "covid19_harian", "--format", "excel-id", "--out", excel_id).returncode == 0
    assert excel_id.read_bytes() == ("\ufeff" + "".join(line.replace(",", ";") + "\r\n"
                                                        for line in exported.stdout.splitlines())).encode()
    refused = cli("rollback", "3")
    assert (refused.returncode, "replaced by upload(s) #4" in refused.stderr) == (1, True)
    done = cli("rollback", "4")
    assert (done.returncode, done.stdout.strip()) == (
        0, "rolled back upload #4 (covid19_harian): 2 rows removed, 1 restored")
    backup = cli("backup", tmp_path / "bk")
    assert backup.returncode == 0 and "by the running app" in backup.stdout
    restored = tmp_path / "restored.duckdb"
    assert cli("restore", tmp_path / "bk", "--db", restored).returncode == 0
    assert cli("export", "covid19_harian", "--db", restored).stdout == cli("export", "covid19_harian").stdout


def test_after_the_app_stops_the_cli_writes_directly(app):
    cli("ingest", "covid19_harian", CORPUS / "covid_utf8_bom.csv", "--opd", "DINKES")
    # Stop the app, as an operator would; the server file goes with it.
    pid = json.loads(app["info"].read_text())["pid"]
    os.kill(pid, signal.SIGTERM)
    deadline = time.time() + 60
    while app["info"].exists() and time.time() < deadline:
        time.sleep(0.3)
    assert not app["info"].exists()
    time.sleep(1)
    direct = cli("ingest", "covid19_harian", CORPUS / "covid_utf16_tab.csv", "--opd", "DINKES", "--lang", "en")
    assert direct.returncode == 0, direct.stderr
    con = duckdb.connect(str(app["db"]), read_only=True)
    assert con.execute("SELECT upload_id, kode_opd, status FROM uploads WHERE dataset = 'covid19_harian' "
                       "ORDER BY 1").fetchall() == [(3, "DINKES", "accepted"), (4, "DINKES", "accepted")]
    con.close()
