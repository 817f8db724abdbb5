"""POST /api/ingest/{dataset} called as Starlette calls it (issue 15):
item 4, an ordinary token has its OPD staff's rights, the walidata's only with --walidata;
item 7, the web upload's size cap, checked before reading and while streaming, never for
the operator's local hand-off; item 3, the sparse .xlsx refused through the API too."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sparse_xlsx import sparse_xlsx
from starlette.requests import Request

from warroom import handoff, ingest_routes
from warroom import store as data  # the routes take their connection from the store module
from warroom.config import THRESHOLDS

ROOT = Path(__file__).resolve().parent.parent
COVID_HEAD = b"tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru,dirawat,isolasi_mandiri"
COVID = COVID_HEAD + b"\n2026-11-01,73.71.01,3,1,0,2,4\n"
COVID_FOR_DINKES = COVID_HEAD + b",sumber_opd\n2026-11-01,73.71.01,3,1,0,2,4,DINKES\n"
CCTV = (b"kode_cctv,nama_lokasi,latitude,longitude,kode_wilayah,status,url_stream\n"
        b"CCTV-01,Simpang,-5.1624,119.4045,,online,rtsp://10.0.0.5/s1\n")


class Stream:
    """An ASGI receive() that hands the body in chunks and counts what was taken."""

    def __init__(self, chunks: list[bytes]):
        self.chunks, self.taken = list(chunks), 0

    async def __call__(self):
        if not self.chunks:
            return {"type": "http.request", "body": b"", "more_body": False}
        chunk = self.chunks.pop(0)
        self.taken += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(self.chunks)}


def post(dataset: str, chunks: list[bytes], headers: dict[str, str], **params) -> tuple[int, dict, Stream]:
    stream = Stream(chunks)
    scope = {"type": "http", "method": "POST", "path": f"/api/ingest/{dataset}",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
             "query_string": urlencode({"lang": "id", **params}).encode(), "path_params": {"dataset": dataset}}
    # In a thread of its own: asyncio.run refuses to nest in a running loop (see test_cctv_camsim).
    with ThreadPoolExecutor(max_workers=1) as pool:
        resp = pool.submit(asyncio.run, ingest_routes.ingest_upload(Request(scope, stream))).result()
    return resp.status_code, json.loads(resp.body), stream


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api(store, monkeypatch):
    monkeypatch.setattr(data, "connection", lambda path=None: store)
    monkeypatch.setattr(handoff, "_local_secret", "lokal-rahasia")
    return {"con": store,
            "kominfo": handoff.create_token(store, "DISKOMINFO", "portal"),
            "kominfo_walidata": handoff.create_token(store, "DISKOMINFO", "walidata", walidata=True),
            "dinkes": handoff.create_token(store, "DINKES", "SIMRS")}


def covid_rows(con) -> list[tuple]:
    return con.execute("SELECT kode_wilayah, kasus_baru, sumber_opd FROM covid19_harian ORDER BY ALL").fetchall()


# --- item 4 ----------------------------------------------------------------------------------

def test_an_ordinary_walidata_opd_token_has_only_its_staffs_rights(api):
    status, answer, _ = post("covid19_harian", [COVID_FOR_DINKES], bearer(api["kominfo"]))
    assert (status, answer) == (403, {"error": "DISKOMINFO may not send covid19_harian"})
    status, answer, _ = post("cctv", [CCTV], bearer(api["kominfo"]))
    assert (status, answer) == (403, {"error": "DISKOMINFO may not send cctv"})
    assert covid_rows(api["con"]) == []


def test_an_ordinary_token_cannot_name_another_sender(api):
    """Where the OPD may send (aplikasi is DISKOMINFO's), a sumber_opd of another is refused."""
    body = (b"kode_aplikasi,nama_aplikasi,kode_opd,status,sumber_opd\n"
            b"APP-9,Portal,DINKES,aktif,DINKES\n")
    status, answer, _ = post("aplikasi", [body], bearer(api["kominfo"]), file_name="a.csv")
    assert status == 422
    assert [(p["row"], p["column"], p["code"]) for p in answer["result"]["problems"]] == [
        (2, "sumber_opd", "sender.not_allowed")]


def test_a_walidata_token_may_send_on_behalf(api):
    status, answer, _ = post("covid19_harian", [COVID_FOR_DINKES], bearer(api["kominfo_walidata"]))
    assert status == 200, answer
    assert (answer["result"]["accepted"], answer["result"]["kode_opd"]) == (True, "DISKOMINFO")
    assert covid_rows(api["con"]) == [("73.71.01", 3, "DINKES")]
    assert post("cctv", [CCTV], bearer(api["kominfo_walidata"]))[0] == 200


def test_walidata_right_only_for_a_walidata_opd(api):
    with pytest.raises(KeyError, match="DINKES is not a walidata"):
        handoff.create_token(api["con"], "DINKES", walidata=True)


def test_tokens_cli_add_walidata_and_list_shows_it(store_file):
    def cli(*args):
        return subprocess.run([sys.executable, "-m", "warroom", "tokens", *args], cwd=ROOT, capture_output=True,
                              text=True, env=dict(os.environ), timeout=300)
    assert cli("add", "--opd", "DISKOMINFO", "--label", "portal").returncode == 0
    assert cli("add", "--opd", "DISKOMINFO", "--walidata", "--label", "walidata").returncode == 0
    refused = cli("add", "--opd", "DINKES", "--walidata")
    assert refused.returncode == 1 and "DINKES is not a walidata" in refused.stderr
    listed = cli("list")
    assert listed.returncode == 0, listed.stderr
    # Both made at the same (frozen) instant: listed by time, then OPD, then hash.
    assert sorted(line.split()[1:] for line in listed.stdout.splitlines()) == [
        ["DISKOMINFO", "active", "2026-11-28", "opd", "portal"],
        ["DISKOMINFO", "active", "2026-11-28", "walidata", "walidata"]]


# --- item 7 ----------------------------------------------------------------------------------

def test_api_refuses_a_declared_size_over_the_cap_before_reading(api):
    size = 200 * 1024 * 1024
    status, answer, stream = post("covid19_harian", [b"x" * 1024] * 3,
                                  {**bearer(api["dinkes"]), "Content-Length": str(size)}, file_name="besar.csv")
    assert status == 413
    assert answer["limit_mb"] == THRESHOLDS.upload_max_mb == 50
    assert answer["message"].startswith("Berkas besar.csv berukuran 200,0 MB, melebihi batas 50 MB.")
    assert stream.taken == 0


def test_api_stops_reading_a_stream_at_the_cap(api, monkeypatch):
    monkeypatch.setattr(ingest_routes, "upload_limit_bytes", lambda: 100_000)
    uploads = api["con"].execute("SELECT count(*) FROM uploads").fetchone()[0]
    chunks = [COVID] + [b"x" * 65536] * 20            # no Content-Length: chunked
    status, answer, stream = post("covid19_harian", chunks, bearer(api["dinkes"]))
    assert status == 413 and answer["error"] == "file too large"
    assert stream.taken <= 100_000 + 65536            # stopped at the chunk that crossed the cap
    assert api["con"].execute("SELECT count(*) FROM uploads").fetchone()[0] == uploads


def test_api_takes_a_file_under_the_cap(api, monkeypatch):
    monkeypatch.setattr(ingest_routes, "upload_limit_bytes", lambda: len(COVID))
    status, answer, _ = post("covid19_harian", [COVID[:20], COVID[20:]], bearer(api["dinkes"]))
    assert status == 200 and answer["result"]["rows_inserted"] == 1


def test_the_operators_local_hand_off_is_not_under_the_web_cap(api, monkeypatch):
    monkeypatch.setattr(ingest_routes, "upload_limit_bytes", lambda: 100)
    local = {handoff.LOCAL_HEADER: "lokal-rahasia", "Content-Length": str(len(COVID))}
    status, answer, _ = post("covid19_harian", [COVID[:50], COVID[50:]], local, opd="DINKES", file_name="c.csv")
    assert status == 200, answer
    assert covid_rows(api["con"]) == [("73.71.01", 3, "DINKES")]
    assert post("covid19_harian", [COVID], {**bearer(api["dinkes"]), "Content-Length": str(len(COVID))})[0] == 413


def test_the_web_page_and_the_api_share_one_setting():
    from warroom import upload_service
    assert upload_service.MAX_UPLOAD_MB == THRESHOLDS.upload_max_mb
    assert ingest_routes.upload_limit_bytes() == THRESHOLDS.upload_max_mb * 1024 * 1024


# --- item 3 through the API --------------------------------------------------------------------

def test_api_refuses_the_sparse_xlsx(api):
    status, answer, _ = post("covid19_harian", [sparse_xlsx()], bearer(api["dinkes"]), file_name="sparse.xlsx")
    assert status == 422
    assert [(p["code"], p["row"], p["column"]) for p in answer["result"]["problems"]] == [
        ("file.xlsx_columns", 1048576, "XFD")]


def test_web_staff_of_a_walidata_opd_cannot_name_another_sender_either(store):
    """The same rule on the web: sending on behalf of others is the signed-in walidata admins'."""
    from warroom import auth, upload_service
    auth.add_user(store, "wulan", "Wulan-Kominfo-2026", "staf_opd", "DISKOMINFO")
    auth.add_user(store, "ani", "Ani-Walidata-2026", "admin")
    body = (b"kode_aplikasi,nama_aplikasi,kode_opd,status,sumber_opd\n"
            b"APP-9,Portal,DINKES,aktif,DINKES\n")
    staff = upload_service.ingest(store, "wulan", "aplikasi", "a.csv", body, dry_run=False)
    assert [(p.row, p.column, p.code) for p in staff.problems] == [(2, "sumber_opd", "sender.not_allowed")]
    admin = upload_service.ingest(store, "ani", "aplikasi", "a.csv", body, dry_run=False,
                                  on_behalf_of="DISKOMINFO")
    assert admin.accepted, admin.problems
    assert store.execute("SELECT kode_aplikasi, sumber_opd FROM aplikasi").fetchall() == [("APP-9", "DINKES")]
