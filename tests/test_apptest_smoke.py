"""Every page runs in AppTest without an exception, as anonymous and as each role."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from warroom import auth, db
from warroom.access import ANONYMOUS, ROLES, may_open
from warroom.ui.shell import LAYOUT

PAGES = [key for _, key, _ in LAYOUT]


def _sign_in(path, role: str) -> str | None:
    if role == ANONYMOUS:
        return None
    con = db.connect(path)
    try:
        name = f"user_{role}"
        if not auth.get_user(con, name):
            auth.add_user(con, name, "rahasia-sekali-123", role, "DINKES" if role == "staf_opd" else None)
    finally:
        con.close()
    return auth.start_session(name)


@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(store_file, page, role):
    at = AppTest.from_file(f"../pages/{page}.py", default_timeout=60)
    token = _sign_in(store_file, role)
    if token:
        at.session_state["auth_token"] = token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts = " ".join(str(w.value) for w in at.warning)
    refused = "memerlukan akses masuk" in texts
    assert refused == (not may_open(page, role))


def test_navigation_lists_only_what_the_role_may_open(store_file):
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    assert not at.exception
    # Anonymous: Ringkasan is the default page and the sidebar says "Tamu".
    assert any("Tamu" in c.value for c in at.sidebar.caption)
    from warroom.ui.shell import page_specs
    specs = page_specs(ANONYMOUS)
    assert [key for _, key, _, visible in specs if visible] == ["ringkasan", "peta", "covid", "kinerja", "cctv", "peringatan", "layar",
                                                                      "masuk"]
    assert [key for _, key, _, visible in specs if not visible] == ["unggah", "katalog", "admin"]
    staff = page_specs("staf_opd")
    assert [key for _, key, _, visible in staff if not visible] == ["admin"]


def test_english_labels_with_lang_query_parameter(store_file):
    at = AppTest.from_file("../pages/ringkasan.py", default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith("Overview")


def test_sign_in_page_signs_in_and_then_shows_the_account(store_file):
    con = db.connect(store_file)
    auth.add_user(con, "siti", "rahasia-sekali-123", "pimpinan")
    con.close()
    at = AppTest.from_file("../pages/masuk.py", default_timeout=60)
    at.run()
    assert not at.warning  # no "access denied" on the sign-in page itself
    at.text_input[0].input("siti")
    at.text_input[1].input("rahasia-sekali-123")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert any("siti" in m.value for m in at.markdown)
    assert any("Pimpinan" in m.value for m in at.markdown)
