"""POST /api/ingest/{dataset} answers bad requests with 400/422 and a reason, never 500
(issue 15, item 12), called as Starlette calls it."""
from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from warroom import db, handoff, ingest_routes

HEAD = b"kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n"
ROW = b"73.71.01,1,0,0\n"
GOOD = b"tanggal," + HEAD + b"2021-11-01," + ROW


@pytest.fixture
def token(store_file):
    con = db.connect(store_file)
    try:
        return handoff.create_token(con, "DINKES", "uji")
    finally:
        con.close()


def post(dataset: str, body: bytes, token: str, **query) -> tuple[int, dict]:
    scope = {"type": "http", "method": "POST", "path": f"/api/ingest/{dataset}",
             "headers": [(b"authorization", f"Bearer {token}".encode())],
             "query_string": urlencode(query).encode(), "path_params": {"dataset": dataset}}
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def call():
        return await ingest_routes.ingest_upload(Request(scope, receive))

    with ThreadPoolExecutor(max_workers=1) as pool:   # playwright may hold this thread's loop
        resp = pool.submit(asyncio.run, call()).result()
    return resp.status_code, json.loads(resp.body)


@pytest.mark.parametrize("mapping", ['["a","b"]', '"kasus"', '{"a": 1}', "12", "[]"])
def test_a_mapping_that_is_not_an_object_of_names_is_400(token, mapping):
    status, answer = post("covid19_harian", GOOD, token, mapping=mapping, dry_run="1")
    assert (status, answer) == (400, {"error": "mapping must be a JSON object {source header: standard column}"})


def test_a_mapping_that_is_not_json_is_400(token):
    assert post("covid19_harian", GOOD, token, mapping="{nope")[0:2] == (400, {"error": "mapping is not JSON"})


def test_a_good_mapping_is_used(token):
    body = b"tgl," + HEAD + b"2021-11-01," + ROW
    status, answer = post("covid19_harian", body, token, mapping='{"tgl": "tanggal"}', dry_run="1")
    assert (status, answer["result"]["accepted"]) == (200, True)


@pytest.mark.parametrize("lang, reason", [
    ("id", "Baris judul kolom tidak terbaca: satu judul lebih panjang dari 131.072 karakter."),
    ("en", "The header row cannot be read: one header is longer than 131,072 characters.")])
def test_a_header_over_the_csv_field_limit_is_422_with_the_reason(token, store_file, lang, reason):
    body = b"tanggal,kode_wilayah," + b"x" * 131_073 + b"\n2021-11-01,73.71.01,1\n"
    status, answer = post("covid19_harian", body, token, lang=lang)
    assert status == 422
    assert [(p["row"], p["code"], p["reason"]) for p in answer["result"]["problems"]] == \
        [(1, "file.header_too_long", reason)]
    con = db.connect(store_file)
    try:   # refused and logged, nothing loaded
        assert con.execute("SELECT count(*) FROM covid19_harian").fetchone()[0] == 0
        assert con.execute("SELECT status FROM uploads ORDER BY upload_id DESC LIMIT 1").fetchone()[0] == "refused"
    finally:
        con.close()

