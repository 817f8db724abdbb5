"""In Chromium: the Katalog page's export buttons (written when clicked, outside the script run)
give exactly the bytes of `python -m warroom export NAME --format ...`."""
from __future__ import annotations

import subprocess
import sys

import pytest

from devtools.devserver import ROOT, server_env
from tests.browser.pw import assert_no_page_error, choose, sign_in


@pytest.mark.parametrize("name", ["kinerja_capaian", "fasyankes"])
def test_katalog_export_buttons_give_the_export_commands_bytes(app, page, name):
    sign_in(page, app, "pimpinan", "katalog")
    choose(page, "katalog_export", name)
    for suffix, form in (("csv", "csv"), ("csv_id", "excel-id")):
        with page.expect_download(timeout=120_000) as info:
            page.locator(f".st-key-katalog_export_{name}_{suffix} button").click()
        got = open(info.value.path(), "rb").read()
        # The app holds the database: the command hands the export to it, as an operator's would.
        cli = subprocess.run([sys.executable, "-m", "warroom", "export", name, "--format", form,
                              "--db", str(app.db_path)], cwd=ROOT, env=server_env(app.db_path),
                             capture_output=True, check=True, timeout=300).stdout
        assert got == cli, (name, form)
        assert info.value.suggested_filename == f"ekspor_{name}{'_excel-id' if form == 'excel-id' else ''}.csv"
        if form == "excel-id":
            assert got.startswith(b"\xef\xbb\xbf") and b";" in got.split(b"\r\n")[0]
    assert_no_page_error(page, app)
