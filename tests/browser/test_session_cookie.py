"""Issue 15, item 15: a full reload keeps the sign-in (HttpOnly, SameSite=Strict cookie that the
server checks in its database and revokes at sign-out); a forged or revoked cookie gives nothing."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from devtools.devserver import AppServer
from tests.browser.pw import wait_for_app
from warroom import auth, db, reference

PASSWORD = "Sesi-Peramban-2026"
PROMPT = "Halaman ini memerlukan akses masuk dengan peran yang sesuai."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("sesi") / "warroom.duckdb"
    con = db.open_store(path, create=True)
    try:
        reference.load_reference(con)
        auth.add_user(con, "sari_dinkes", PASSWORD, "staf_opd", "DINKES")
    finally:
        con.close()
    app = AppServer(path, path.parent / "server.log")
    yield app
    app.stop()


def signed_in(page):
    return page.get_by_text("Masuk sebagai sari_dinkes (Staf OPD)")


def session_cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == auth.COOKIE_NAME), None)


def test_reload_keeps_the_sign_in_and_sign_out_ends_it(server, page):
    page.goto(f"{server.url}/unggah")
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill("sari_dinkes")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    # After the sign-in the page has the browser post a one-time code to /api/session/start.
    with page.expect_response(lambda r: "/api/session/start" in r.url, timeout=60_000) as started:
        page.get_by_role("button", name="Masuk").click()
    assert started.value.status == 200, server.log()
    expect(signed_in(page)).to_be_visible(timeout=60_000)
    cookie = session_cookie(page)
    assert cookie is not None, server.log()
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/")

    page.reload()
    wait_for_app(page)
    expect(signed_in(page)).to_be_visible(timeout=60_000)
    expect(page.get_by_text(PROMPT)).to_have_count(0)

    with page.expect_response(lambda r: "/api/session/end" in r.url, timeout=60_000):
        page.locator("[data-testid=stSidebar]").get_by_role("button", name="Keluar").click()
    expect(page.get_by_text(PROMPT)).to_be_visible(timeout=60_000)
    assert session_cookie(page) is None
    page.reload()
    wait_for_app(page)
    expect(page.get_by_text(PROMPT)).to_be_visible(timeout=60_000)
    expect(signed_in(page)).to_have_count(0)

    # The old cookie, put back by hand (revoked in the database), signs nobody in.
    page.context.add_cookies([{**cookie}])
    page.reload()
    wait_for_app(page)
    expect(page.get_by_text(PROMPT)).to_be_visible(timeout=60_000)
    expect(signed_in(page)).to_have_count(0)


def test_a_forged_cookie_gives_nothing(server, page):
    page.context.add_cookies([{"name": auth.COOKIE_NAME, "value": "dipalsukan-" + "x" * 40,
                               "url": server.url, "httpOnly": True, "sameSite": "Strict"}])
    page.goto(f"{server.url}/unggah")
    wait_for_app(page)
    expect(page.get_by_text(PROMPT)).to_be_visible(timeout=60_000)
    expect(signed_in(page)).to_have_count(0)
