"""`python -m warroom sources ...` end to end against a loopback server that serves changing
files: accepted and visible in `export`; unchanged (no new upload, no rows written); a
changed file replaces the rows; garbage refused (data unchanged, exit 1); 404 (exit 3).
Once with the database free, once while the app holds it (hand-off to /api/local/sources)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
from pull_server import PullServer

from devtools.devserver import free_port

ROOT = Path(__file__).resolve().parent.parent
HEADER = ("tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru,rawat_inap_baru,dirawat,isolasi_mandiri,"
          "spesimen_diperiksa,spesimen_positif")
FIRST = f"{HEADER}\n2026-11-20,73.71.01.1001,12,10,1,2,30,5,40,3\n2026-11-21,73.71.01.1001,7,6,0,1,31,4,38,2\n"
CHANGED = f"{HEADER}\n2026-11-20,73.71.01.1001,12,10,1,2,30,5,40,3\n2026-11-21,73.71.01.1001,9,6,0,1,33,4,38,2\n"
GARBAGE = b"\x00\x01\x02 this is not a table \xff\xfe"


@pytest.fixture
def server(monkeypatch):
    srv = PullServer()
    srv.thread.start()
    monkeypatch.setenv("WARROOM_PULL_ALLOW", srv.base + "/")
    yield srv
    srv.close()


def cli(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warroom", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env=env or dict(os.environ), timeout=300)


def export_lines(db: Path) -> list[str]:
    out = cli("export", "covid19_harian", "--db", db)
    assert out.returncode == 0, out.stderr
    return [line for line in out.stdout.splitlines() if "73.71.01.1001" in line]


def uploads_of(db: Path, name: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT upload_id, status, rows_inserted, rows_updated FROM uploads WHERE username = ? "
                           "ORDER BY upload_id", [f"sumber:{name}"]).fetchall()
    finally:
        con.close()


def test_add_run_unchanged_changed_garbage_404(store_file, server, tmp_path):
    url = server.serve("/dinkes/harian.csv", FIRST.encode(), Content_Type="text/csv; charset=utf-8")
    env = dict(os.environ, DINKES_TOKEN="Authorization: Bearer rahasia-123")
    added = cli("sources", "add", "dinkes_harian", "--dataset", "covid19_harian", "--opd", "DINKES", "--url", url,
                "--every", "30", "--header-env", "DINKES_TOKEN", "--lang", "en", env=env)
    assert (added.returncode, added.stdout, added.stderr) == (0, "Source dinkes_harian registered.\n", "")

    first = cli("sources", "run", "dinkes_harian", "--lang", "en")
    assert (first.returncode, first.stdout.splitlines()) == (0, [
        "ACCEPTED: upload #3 (covid19_harian): 2 rows; 2 inserted, 0 updated, 0 unchanged."])
    assert server.requests[-1][1]["Authorization"] == "Bearer rahasia-123"
    rows = export_lines(store_file)
    assert [line.split(",")[:3] for line in rows] == [["2026-11-20", "73.71.01.1001", "12"],
                                                      ["2026-11-21", "73.71.01.1001", "7"]]

    again = cli("sources", "run", "dinkes_harian", "--lang", "en")
    assert (again.returncode, again.stdout.splitlines()) == (0, [
        "UNCHANGED: source dinkes_harian: same content as upload #3; no rows written (upload log #4)."])
    assert uploads_of(store_file, "dinkes_harian") == [(3, "accepted", 2, 0), (4, "unchanged", 0, 0)]
    assert export_lines(store_file) == rows

    server.serve("/dinkes/harian.csv", CHANGED.encode(), Content_Type="text/csv")
    changed = cli("sources", "run", "dinkes_harian", "--lang", "en")
    assert (changed.returncode, changed.stdout.splitlines()) == (0, [
        "ACCEPTED: upload #5 (covid19_harian): 2 rows; 0 inserted, 1 updated, 1 unchanged."])
    replaced = export_lines(store_file)
    assert [line.split(",")[:3] for line in replaced] == [["2026-11-20", "73.71.01.1001", "12"],
                                                          ["2026-11-21", "73.71.01.1001", "9"]]
    con = duckdb.connect(str(store_file), read_only=True)
    try:   # both rows now name the new upload; what it replaced is kept for a rollback
        assert con.execute("SELECT DISTINCT upload_id FROM covid19_harian WHERE kode_wilayah = '73.71.01.1001'"
                           ).fetchall() == [(5,)]
        assert con.execute("SELECT count(*) FROM covid19_harian__replaced WHERE replaced_by = 5").fetchone() == (2,)
    finally:
        con.close()

    server.serve("/dinkes/harian.csv", GARBAGE, Content_Type="text/csv")
    garbage = cli("sources", "run", "dinkes_harian", "--lang", "en")
    assert garbage.returncode == 1
    assert garbage.stdout.splitlines()[0] == "REFUSED: covid19_harian: 1 problems; no data changed (upload log #6)."
    assert export_lines(store_file) == replaced

    server.serve("/dinkes/harian.csv", b"gone", status=404)
    missing = cli("sources", "run", "dinkes_harian", "--lang", "en")
    assert (missing.returncode, missing.stdout.splitlines()) == (3, [
        "FETCH FAILED: source dinkes_harian: the server answered HTTP 404; no data changed (upload log #7)."])
    assert export_lines(store_file) == replaced
    assert uploads_of(store_file, "dinkes_harian") == [(3, "accepted", 2, 0), (4, "unchanged", 0, 0),
                                                       (5, "accepted", 0, 1), (6, "refused", 0, 0),
                                                       (7, "fetch_failed", 0, 0)]

    listed = cli("sources", "list")
    assert listed.returncode == 0
    assert listed.stdout.split("\t")[:7] == ["dinkes_harian", "covid19_harian", "DINKES", url, "auto",
                                             "every 30 min", "auth=yes"]
    assert "last=fetch_failed (http_404)" in listed.stdout
    everything = added.stdout + first.stdout + again.stdout + changed.stdout + garbage.stdout + garbage.stderr \
        + missing.stdout + missing.stderr + listed.stdout + listed.stderr
    assert "rahasia" not in everything

    removed = cli("sources", "remove", "dinkes_harian", "--lang", "en")
    assert (removed.returncode, removed.stdout) == (0, "Source dinkes_harian removed (its uploads stay in the log).\n")
    gone = cli("sources", "run", "dinkes_harian", "--lang", "en")
    assert (gone.returncode, gone.stderr) == (1, "No source named dinkes_harian.\n")
    assert len(uploads_of(store_file, "dinkes_harian")) == 5


def test_add_refusals_store_nothing(store_file, server):
    url = server.serve("/x.csv", FIRST.encode())
    cases = [
        (["bad name!", "--dataset", "covid19_harian", "--opd", "DINKES", "--url", url], 1,
         "Invalid source name: 'bad name!' (letters, digits, _ . -; at most 64).\n"),
        (["a", "--dataset", "nope", "--opd", "DINKES", "--url", url], 1, None),
        (["a", "--dataset", "covid19_harian", "--opd", "NOPE", "--url", url], 1, "Unknown OPD code: NOPE.\n"),
        (["a", "--dataset", "covid19_harian", "--opd", "DINKES", "--url", "file:///etc/passwd"], 1,
         "The URL must be http:// or https:// with a host name.\n"),
        (["a", "--dataset", "covid19_harian", "--opd", "DINKES", "--url", url, "--daily", "25:00"], 1,
         "Invalid daily time: 25:00 (HH:MM, e.g. 07:30).\n"),
        (["a", "--dataset", "covid19_harian", "--opd", "DINKES", "--url", url, "--set", "warna=biru"], 1,
         "Column warna is not in dataset covid19_harian.\n"),
        (["a", "--dataset", "covid19_harian", "--opd", "DINKES", "--url", url, "--header-env", "NO_SUCH_VAR_X"], 2,
         "Environment variable NO_SUCH_VAR_X is empty or not set.\n"),
        (["a", "--dataset", "covid19_harian", "--opd", "DINKES", "--url", url, "--every", "5", "--daily", "07:00"],
         2, None),
    ]
    for args, code, message in cases:
        out = cli("sources", "add", *args, "--lang", "en")
        assert out.returncode == code, (args, out.stderr)
        if message is not None:
            assert out.stderr == message
    assert cli("sources", "list").stdout == ""


PORT = free_port()


@pytest.fixture
def app(store_file, server):
    """The app on the pinned clock (WARROOM_NOW from conftest), with its scheduler on. A source
    registered before it starts (every 5 minutes) is due at once: the scheduler runs it."""
    url = server.serve("/kecamatan/terjadwal.csv",
                       f"{HEADER}\n2026-11-19,73.71.02.1002,4,3,0,1,8,2,20,1\n".encode(), Content_Type="text/csv")
    assert cli("sources", "add", "terjadwal", "--dataset", "covid19_harian", "--opd", "DINKES", "--url", url,
               "--every", "5").returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(PORT),
                             "--server.headless", "true", "--server.address", "127.0.0.1"],
                            cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL,
                            stderr=open(app_log(store_file), "wb"), start_new_session=True)
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
        yield store_file
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def app_log(store: Path) -> Path:
    """The app's log (a run that fails logs its traceback there): shown when a wait fails."""
    return store.parent / "app.log"


def wait_for_result(name: str, want: str, timeout: float = 60) -> str:
    """Poll `sources list` (handed to the app) until the source's last result is `want`."""
    deadline = time.time() + timeout
    line = ""
    while time.time() < deadline:
        out = cli("sources", "list")
        assert out.returncode == 0, out.stderr
        line = next((row for row in out.stdout.splitlines() if row.startswith(name + "\t")), "")
        if f"last={want}" in line:
            return line
        time.sleep(0.5)
    log = os.environ.get("WARROOM_DB")
    tail = app_log(Path(log)).read_text(errors="replace")[-3000:] if log and app_log(Path(log)).exists() else ""
    pytest.fail(f"{name} never reached {want}: {line}\n--- the app's log ends:\n{tail}")


def test_while_the_app_runs(app, server):
    # The scheduler thread (started by the app's lifespan) ran the registered source by itself.
    line = wait_for_result("terjadwal", "accepted")
    assert "next=2026-11-28T10:05:00+08:00" in line

    url = server.serve("/dinkes/harian.csv", FIRST.encode(), Content_Type="text/csv")
    # Daily at 03:00: on the app's pinned clock it is not due again, so only `run` runs it.
    added = cli("sources", "add", "dinkes_harian", "--dataset", "covid19_harian", "--opd", "DINKES", "--url", url,
                "--daily", "03:00", "--lang", "en")
    assert (added.returncode, added.stdout) == (0, "Source dinkes_harian registered.\n")
    first = cli("sources", "run", "dinkes_harian", "--lang", "en")
    assert (first.returncode, first.stdout.splitlines()) == (0, [
        "ACCEPTED: upload #4 (covid19_harian): 2 rows; 2 inserted, 0 updated, 0 unchanged."])
    again = cli("sources", "run", "dinkes_harian", "--lang", "en")
    assert (again.returncode, again.stdout.splitlines()) == (0, [
        "UNCHANGED: source dinkes_harian: same content as upload #4; no rows written (upload log #5)."])
    exported = cli("export", "covid19_harian")
    assert exported.returncode == 0
    assert [line.split(",")[:3] for line in exported.stdout.splitlines() if "73.71.01.1001" in line] == [
        ["2026-11-20", "73.71.01.1001", "12"], ["2026-11-21", "73.71.01.1001", "7"]]
    server.serve("/dinkes/harian.csv", GARBAGE)
    garbage = cli("sources", "run", "dinkes_harian", "--lang", "en")
    assert garbage.returncode == 1
    assert garbage.stdout.splitlines()[0] == "REFUSED: covid19_harian: 1 problems; no data changed (upload log #6)."
    server.serve("/dinkes/harian.csv", b"", status=404)
    missing = cli("sources", "run", "dinkes_harian", "--lang", "en")
    assert (missing.returncode, missing.stdout.splitlines()) == (3, [
        "FETCH FAILED: source dinkes_harian: the server answered HTTP 404; no data changed (upload log #7)."])
    line = wait_for_result("dinkes_harian", "fetch_failed")
    assert "next=2026-11-28T10:02:00+08:00" in line   # second failure in a row: retried after 2 minutes
    removed = cli("sources", "remove", "dinkes_harian", "--lang", "en")
    assert removed.returncode == 0
    assert [row.split("\t")[0] for row in cli("sources", "list").stdout.splitlines()] == ["terjadwal"]


def test_json_source_with_a_mapping_file_and_constants(store_file, server, tmp_path):
    records = {"data": [{"tgl": "2026-11-20", "kel": "73.71.01.1001", "positif": 5, "sembuh": 2, "meninggal": 0}]}
    url = server.serve("/api/v1/harian", json.dumps(records).encode(), Content_Type="application/json; charset=utf-8")
    mapping = tmp_path / "simrs.json"
    mapping.write_text(json.dumps({"columns": {"tgl": "tanggal", "kel": "kode_wilayah", "positif": "kasus_baru",
                                               "sembuh": "sembuh_baru", "meninggal": "meninggal_baru"}}))
    added = cli("sources", "add", "simrs", "--dataset", "covid19_harian", "--opd", "DINKES", "--url", url,
                "--map", mapping, "--json-path", "data", "--set", "rawat_inap_baru=0", "--daily", "7:30")
    assert (added.returncode, added.stdout) == (0, "Sumber simrs terdaftar.\n")
    listed = cli("sources", "list").stdout.split("\t")
    assert listed[4:6] == ["auto", "daily 07:30"]
    ran = cli("sources", "run", "simrs", "--json")
    outcome = json.loads(ran.stdout)
    assert (ran.returncode, outcome["outcome"], outcome["result"]["rows_inserted"]) == (0, "accepted", 1)
    assert [line.split(",")[:5] for line in export_lines(store_file)] == [
        ["2026-11-20", "73.71.01.1001", "5", "2", "0"]]
