"""End to end in Chromium: OPD staff created with the CLI sign in, upload a Covid file with
errors, read the report, fix the file, upload again, confirm; the upload shows in the Katalog
audit log and, after the server stops, the stored rows are exactly the fixed file's.
Also: restricted pages refuse a direct URL for a role that may not open them."""
from __future__ import annotations

import csv
import io
import shutil
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from devtools.devserver import ROOT, AppServer
from tests.browser.pw import TODAY, assert_no_page_error, screenshot, wait_for_app
from warroom import db

# The data files' drop zone (the page also has one for a mapping file, under it).
DATA_DROP = "[class*=_files_] [data-testid=stFileUploaderDropzoneInput]"
PORTS = range(8651, 8660)          # this area's port range
STAFF, ADMIN, LEADER = "budi_dinkes", "ani_walidata", "pak_wali"
PASSWORD = "Budi-Uji-Peramban-2026"

# The live app's "today" is the suite's pinned day: two days before it is a valid observation date.
DAY = (TODAY - timedelta(days=2)).isoformat()
HEAD = "tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru,spesimen_diperiksa,spesimen_positif\n"
WITH_ERRORS = (HEAD + f"{DAY},73.71.01,7,2,0,40,9\n"
               f"{DAY},73.71.99,3,1,0,20,2\n"            # row 3: unknown area code
               f"{DAY},73.71.02,-4,1,0,30,3\n"            # row 4: negative count
               f"{DAY},73.71.03,2,1,0,10,12\n")           # row 5: more positives than examined
FIXED = (HEAD + f"{DAY},73.71.01,7,2,0,40,9\n"
         f"{DAY},73.71.04,3,1,0,20,2\n"
         f"{DAY},73.71.02,4,1,0,30,3\n"
         f"{DAY},73.71.03,2,1,0,12,10\n")


def _port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def _cli_user(path, name, role, opd=None):
    args = [sys.executable, "-m", "warroom", "users", "--db", str(path), "add", name, "--role", role]
    done = subprocess.run(args + (["--opd", opd] if opd else []), input=PASSWORD + "\n", text=True,
                          capture_output=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr


def _start(demo_db, folder):
    path = folder / "warroom.duckdb"
    shutil.copy(demo_db, path)
    _cli_user(path, STAFF, "staf_opd", "DINKES")
    _cli_user(path, ADMIN, "admin")
    _cli_user(path, LEADER, "pimpinan")
    return AppServer(path, path.parent / "server.log", port=_port())


@pytest.fixture
def server(demo_db, tmp_path):
    """A server of its own: the end-to-end test stops it to read the database."""
    app = _start(demo_db, tmp_path)
    yield app
    app.stop()


@pytest.fixture(scope="module")
def shared_server(demo_db, tmp_path_factory):
    app = _start(demo_db, tmp_path_factory.mktemp("unggah_urls"))
    yield app
    app.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1100}, accept_downloads=True)
    p = context.new_page()
    yield p
    context.close()


def _sign_in(page, server, name, path, allowed=True):
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill(name)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    # Signed in once the sidebar names the account (argon2 takes a moment); then the page
    # decides: its own content, or the prompt again for a role that may not open it.
    expect(page.locator("[data-testid=stSidebar]")).to_contain_text(f"Masuk sebagai {name}", timeout=120_000)
    if allowed:
        page.get_by_text("memerlukan akses masuk").wait_for(state="detached", timeout=120_000)
    wait_for_app(page)


def _drop(page, name, text):
    page.locator(DATA_DROP).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}])
    # The file is listed under the box (its remove button names it; the shown name may be
    # shortened): the upload reached the app, and the run it starts follows.
    expect(page.locator(f"[data-testid=stFileUploader] button[aria-label$='{name}']")).to_be_visible(timeout=60_000)
    wait_for_app(page, 120_000)


def _nav(page, key):
    """Follow the sidebar link to /<key> (same session, so still signed in)."""
    from warroom.i18n import t
    page.locator("[data-testid=stSidebar]").get_by_text(t(f"nav.{key}", "id"), exact=True).first.click()


def _download(page, selector) -> str:
    with page.expect_download() as info:
        page.locator(selector).click()
    return open(info.value.path(), encoding="utf-8-sig").read()


def test_staff_upload_with_errors_fix_confirm_and_find_it(server, page):
    """One clerk's whole journey, in order (each step needs the one before): about 30 s on a
    quiet 2-core machine, over 60 s when it is busy, since it signs in (argon2), checks and
    stores two files and opens three pages."""
    # Anonymous direct URL: the prompt, no upload box.
    page.goto(f"{server.url}/unggah")
    wait_for_app(page)
    assert page.get_by_text("memerlukan akses masuk").count() == 1
    assert page.locator("[data-testid=stFileUploaderDropzoneInput]").count() == 0

    _sign_in(page, server, STAFF, "unggah")
    assert page.get_by_text("memerlukan akses masuk").count() == 0
    assert_no_page_error(page, server)

    # 1. A file with errors: refused, the report names rows and columns, nothing stored.
    _drop(page, "covid_harian.csv", WITH_ERRORS)
    page.get_by_text("DITOLAK").first.wait_for(timeout=60_000)
    assert page.get_by_text("covid_harian.csv: DITOLAK — 3 masalah.").count() == 1
    assert page.get_by_role("button", name="Simpan 1 berkas").count() == 0
    page.get_by_text("DITOLAK").first.scroll_into_view_if_needed()
    shot = screenshot(page, "unggah_error")
    report = list(csv.reader(io.StringIO(_download(page, "[class*=_dl_report] button"))))
    assert report[0] == ["Baris", "Kolom", "Nilai", "Masalah", "Saran"]
    assert sorted((r[0], r[1]) for r in report[1:]) == [
        ("3", "kode_wilayah"), ("4", "kasus_baru"), ("5", "spesimen_positif")]
    marked = list(csv.reader(io.StringIO(_download(page, "[class*=_dl_marked] button"))))
    assert marked[0][-1] == "kesalahan" and marked[1][-1] == "" and marked[2][-1].startswith("kode_wilayah:")

    # 2. Remove it, drop the fixed file: a preview, then confirm.
    page.get_by_role("button", name="Remove covid_harian.csv").click()
    expect(page.get_by_text("DITOLAK")).to_have_count(0, timeout=60_000)
    wait_for_app(page)
    _drop(page, "covid_harian_perbaikan.csv", FIXED)
    page.get_by_text("lolos pemeriksaan").wait_for(timeout=60_000)
    assert page.get_by_text("4 baris:").count() == 1
    page.get_by_role("button", name="Simpan 1 berkas").click()
    page.get_by_text("tersimpan sebagai unggahan #").wait_for(timeout=60_000)
    wait_for_app(page)
    saved = page.get_by_text("tersimpan sebagai unggahan #").inner_text()
    upload_id = int(saved.split("#")[1].split()[0])
    assert_no_page_error(page, server)

    # 3. Katalog's audit log (downloaded as CSV) lists the accepted upload by this user.
    # (in-app navigation: a full page load starts a new Streamlit session, signed out)
    _nav(page, "katalog")
    expect(page).to_have_url(f"{server.url}/katalog", timeout=60_000)
    expect(page.locator(".st-key-katalog_audit_csv button")).to_be_visible(timeout=120_000)
    wait_for_app(page)
    assert page.get_by_text("memerlukan akses masuk").count() == 0
    audit = list(csv.DictReader(io.StringIO(_download(page, ".st-key-katalog_audit_csv button"))))
    accepted = [r for r in audit if r["Kegiatan"] == "unggahan diterima" and r["Pengguna"] == STAFF]
    assert len(accepted) == 1 and f"upload_id={upload_id}" in accepted[0]["Rincian"]
    refused = [r for r in audit if r["Pengguna"] == STAFF and r["Kegiatan"] == "unggahan ditolak"]
    assert refused == []            # the refused file was only previewed: no trace at all

    # 4. The new figure is on the Covid page: DINKES's own row for Mariso (7 new cases)
    #    now stands for that kecamatan on that day, instead of the sum of its kelurahan.
    page.goto(f"{server.url}/covid?wilayah=73.71.01&dari={DAY}&sampai={DAY}")
    wait_for_app(page)
    new_cases = page.locator("[data-card=new] .wr-value")
    new_cases.wait_for(timeout=60_000)
    # "⚠" follows the figure when a demo co-sender disagrees with the producer that day (the
    # demo's conflicts fall on other days as "today" moves): the figure itself is what is checked.
    assert new_cases.inner_text().strip().removesuffix(" ⚠") == "7"
    assert_no_page_error(page, server)

    # 5. Stop the server, then read exactly what was stored.
    server.stop()
    con = db.connect(server.db_path, read_only=True)
    try:
        rows = con.execute("SELECT kode_wilayah, kasus_baru, spesimen_diperiksa, spesimen_positif, sumber_opd "
                           "FROM covid19_harian WHERE upload_id = ? ORDER BY kode_wilayah", [upload_id]).fetchall()
        head = con.execute("SELECT username, kode_opd, file_name, status, rows_total FROM uploads "
                           "WHERE upload_id = ?", [upload_id]).fetchone()
    finally:
        con.close()
    assert rows == [("73.71.01", 7, 40, 9, "DINKES"), ("73.71.02", 4, 30, 3, "DINKES"),
                    ("73.71.03", 2, 12, 10, "DINKES"), ("73.71.04", 3, 20, 2, "DINKES")]
    assert head == (STAFF, "DINKES", "covid_harian_perbaikan.csv", "accepted", 4)
    # The password typed into the browser is nowhere in the server's log or the database file.
    stored = b"".join(p.read_bytes() for p in server.db_path.parent.iterdir()
                      if p.name.startswith(server.db_path.name))
    assert PASSWORD.encode() not in stored and b"$argon2id$" in stored
    assert PASSWORD not in server.log_path.read_text(errors="replace")
    assert shot is None or shot.exists()


@pytest.mark.parametrize("role, path, allowed", [
    ("staf_opd", "admin", False), ("pimpinan", "unggah", False), ("pimpinan", "admin", False),
    ("staf_opd", "unggah", True), ("admin", "admin", True)])
def test_direct_urls_by_role_in_the_browser(shared_server, browser, role, path, allowed):
    """Open /<path> by its URL and sign in there: the page itself decides, whatever the menu shows."""
    name = {"staf_opd": STAFF, "admin": ADMIN, "pimpinan": LEADER}[role]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        _sign_in(page, shared_server, name, path, allowed)
        if allowed:   # the page's own content, drawn after the prompt went away
            marker = {"unggah": DATA_DROP, "admin": "text=Tambah pengguna"}[path]
            page.locator(marker).first.wait_for(state="attached", timeout=120_000)
        assert (page.get_by_text("memerlukan akses masuk").count() == 0) == allowed
        assert page.get_by_text("kata sandi salah").count() == 0        # the sign-in itself worked
        assert (page.get_by_text("Tambah pengguna").count() == 1) == (allowed and path == "admin")
        boxes = page.locator(DATA_DROP).count()
        if not allowed:
            assert boxes == 0                        # the prompt and nothing else
        elif path == "unggah":
            assert boxes == 1
    finally:
        context.close()
