"""Katalog in Chromium with one healthy and one failing pulled source (docs/screenshots/
katalog_sources.png under `make screenshots`): the failing one shows its error and its last
good run, and no auth header or URL reaches the browser."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pull_server import PullServer

from devtools.devserver import AppServer
from tests.browser.pw import TEST_PASSWORD, TEST_USERS, screenshot, sign_in
from warroom import auth, db, reference
from warroom.config import now
from warroom.pull import run, sources

HEADER = ("tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru,rawat_inap_baru,dirawat,isolasi_mandiri,"
          "spesimen_diperiksa,spesimen_positif")
DINKES = (f"{HEADER}\n2026-11-26,73.71.01.1001,12,10,1,2,30,5,40,3\n"
          "2026-11-27,73.71.01.1001,9,8,0,1,31,4,38,2\n").encode()
SATGAS = f"{HEADER}\n2026-11-27,73.71.02.1002,4,3,0,1,8,2,20,1\n".encode()


@pytest.fixture
def sources_app(tmp_path, monkeypatch):
    srv = PullServer()
    srv.thread.start()
    monkeypatch.setenv("WARROOM_PULL_ALLOW", srv.base + "/")   # the app inherits it
    path = tmp_path / "warroom.duckdb"
    con = db.open_store(path, create=True)
    try:
        reference.load_reference(con)
        name, _ = TEST_USERS["admin"]
        auth.add_user(con, name, TEST_PASSWORD, "admin")
        sources.add(con, name="dinkes_harian", dataset="covid19_harian", kode_opd="DINKES", at=now(),
                    url=srv.serve("/dinkes/harian.csv", DINKES, Content_Type="text/csv"), every=60,
                    auth_header="Authorization: Bearer rahasia-dinkes")
        sources.add(con, name="satgas_api", dataset="covid19_harian", kode_opd="SATGAS_COVID", at=now(),
                    url=srv.serve("/satgas/api?token=rahasia-satgas", SATGAS, Content_Type="text/csv"), daily="07:00")
        assert run.run_source(con, "dinkes_harian").outcome == "accepted"
        assert run.run_source(con, "satgas_api").outcome == "accepted"
        srv.serve("/satgas/api?token=rahasia-satgas", b"down for maintenance", status=503)
        assert run.run_source(con, "satgas_api").outcome == "fetch_failed"
    finally:
        con.close()
    server = AppServer(path, tmp_path / "server.log")
    yield server
    server.stop()
    srv.close()


def test_katalog_shows_a_healthy_and_a_failing_source(page, sources_app):
    sign_in(page, sources_app, "admin", "katalog")
    heading = page.get_by_role("heading", name="Sumber yang ditarik otomatis")
    expect(heading).to_be_visible(timeout=60_000)
    table = page.locator("[data-testid=stDataFrame]").nth(1)
    expect(table).to_be_visible(timeout=60_000)
    expect(page.get_by_role("button", name="Jalankan sekarang")).to_be_visible(timeout=60_000)
    heading.scroll_into_view_if_needed()
    page.evaluate("() => { const h = [...document.querySelectorAll('h3')].find(e => e.textContent.includes("
                  "'Sumber yang ditarik')); h.scrollIntoView({block: 'start'}); }")
    html = page.content()
    for hidden in ("rahasia", "token=", "/satgas/api"):
        assert hidden not in html
    screenshot(page, "katalog_sources")
