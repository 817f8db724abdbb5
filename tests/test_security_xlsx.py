"""Issue 15, item 3: a 1.5 KB .xlsx claiming a sheet of 1,048,576 x 16,384 cells, and a zip
bomb, are refused with a clear reason on every path: the engine, the web upload (with its
helpers), POST /api/ingest, the command line direct and handed off to the running app
(which keeps answering /api/health). Bounded before openpyxl builds a row."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sparse_xlsx import bomb_xlsx, sparse_xlsx, workbook

from devtools.devserver import free_port
from warroom import auth, ingest, upload_service
from warroom.ingest import reading

ROOT = Path(__file__).resolve().parent.parent
# A hang guard, not a speed measurement: before the fix these reads never ended.
HANG_GUARD_S = 120

COLUMNS = ("file.xlsx_columns", 1048576, "XFD",
           "Lembar kerja ini berisi sel sampai kolom XFD; batasnya 1024 kolom.")


def problems(result) -> list[tuple]:
    return [(p.code, p.row, p.column, p.reason) for p in result.problems]


def test_engine_refuses_the_sparse_sheet(store):
    result = ingest.ingest_file(store, "covid19_harian", sparse_xlsx(), kode_opd="DINKES", username="budi",
                                file_name="sparse.xlsx")
    assert not result.accepted
    assert problems(result) == [COLUMNS]
    assert store.execute("SELECT count(*) FROM covid19_harian").fetchone()[0] == 0


def test_engine_refuses_a_zip_bomb(store):
    data = bomb_xlsx(40)
    result = ingest.ingest_file(store, "covid19_harian", data, kode_opd="DINKES", username="budi",
                                file_name="bomb.xlsx", lang="en")
    ratio = (40 * 1024 * 1024 + 2000) // len(data)
    assert [(p.code, p.reason.split(" (")[0]) for p in result.problems] == [
        ("file.xlsx_ratio", f"This Excel file unpacks to {ratio} times its size")]
    big = reading.XLSX_MAX_UNPACKED_MB
    reading.XLSX_MAX_UNPACKED_MB = 30
    try:
        result = ingest.ingest_file(store, "covid19_harian", data, kode_opd="DINKES", username="budi", lang="en")
    finally:
        reading.XLSX_MAX_UNPACKED_MB = big
    assert [p.reason for p in result.problems] == ["This Excel file unpacks to 40 MB; the limit is 30 MB."]


def test_a_real_table_far_down_a_sheet_is_still_read():
    """Rows are padded to the widest row read, not to the sheet's claimed dimension."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    data = workbook(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><dimension ref="A1:C900000"/>'
                    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c>'
                    '<c r="C1" t="inlineStr"><is><t>c</t></is></c></row>'
                    '<row r="900000"><c r="B900000"><v>2.5</v></c></row></sheetData></worksheet>')
    assert reading.xlsx_to_text(data, "x", "id") == ("a,,c\n,2.5,\n", "Sheet1")


def test_cells_read_are_bounded(monkeypatch):
    """Wide rows under the column cap still count: a budget of cells read, empty ones included."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="ALL{r}"><v>2</v></c></row>' for r in range(1, 4))
    data = workbook(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{rows}'
                    '</sheetData></worksheet>')
    assert len(reading.xlsx_to_text(data, "x", "id")[0].splitlines()) == 3
    monkeypatch.setattr(reading, "XLSX_MAX_CELLS", 2500)
    with pytest.raises(reading.Refused) as refused:
        reading.xlsx_to_text(data, "x", "en")
    assert [(p.code, p.row, p.reason) for p in refused.value.problems] == [
        ("file.xlsx_cells", 3, "This sheet has more than 2.500 cells (empty cells inside rows included).")]


def test_web_upload_refuses_it_and_its_helpers_answer(store):
    auth.add_user(store, "budi", "Budi-Dinkes-2026!", "staf_opd", "DINKES")
    result = upload_service.ingest(store, "budi", "covid19_harian", "sparse.xlsx", sparse_xlsx(), dry_run=False)
    assert problems(result) == [COLUMNS]
    assert upload_service.guess_dataset(sparse_xlsx(), "covid19_harian") is None
    assert upload_service.file_with_errors_csv(sparse_xlsx(), "covid19_harian", result, "id") is None


def test_cli_direct_refuses_it(store_file, tmp_path):
    path = tmp_path / "sparse.xlsx"
    path.write_bytes(sparse_xlsx())
    proc = subprocess.run([sys.executable, "-m", "warroom", "ingest", "covid19_harian", str(path), "--opd", "DINKES"],
                          cwd=ROOT, capture_output=True, text=True, env=dict(os.environ), timeout=HANG_GUARD_S)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1048576 | XFD | - | Lembar kerja ini berisi sel sampai kolom XFD; batasnya 1024 kolom." in proc.stdout


@pytest.fixture
def running_app(store_file):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"],
                            cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    info = Path(str(store_file) + ".server.json")
    try:
        deadline = time.monotonic() + 120
        while not (info.exists() and health(port) == 200):
            if time.monotonic() > deadline:
                pytest.fail("the app did not start")
            time.sleep(0.5)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def health(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5) as resp:
            return resp.status
    except OSError:
        return None


def test_cli_handed_off_to_the_running_app_refuses_it_and_the_app_keeps_answering(running_app, store_file,
                                                                                 tmp_path):
    path = tmp_path / "sparse.xlsx"
    path.write_bytes(sparse_xlsx())
    proc = subprocess.run([sys.executable, "-m", "warroom", "ingest", "covid19_harian", str(path), "--opd", "DINKES",
                           "--json"], cwd=ROOT, capture_output=True, text=True, env=dict(os.environ),
                          timeout=HANG_GUARD_S)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    answer = json.loads(proc.stdout)
    assert [(p["code"], p["row"], p["column"]) for p in answer["problems"]] == [("file.xlsx_columns", 1048576, "XFD")]
    assert health(running_app) == 200
