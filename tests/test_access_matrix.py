"""Who may open which page and send which dataset: explicit matrices, checked in the rules and
in the pages themselves (AppTest runs pages/x.py directly, as a live server does for /x)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from warroom import access, auth, datasets, db

PASSWORD = "Rahasia-Matriks-2026"

# page -> roles that may open it ("anonim" = not signed in). Written out by hand, not derived.
PAGE_MATRIX = {
    "ringkasan": {"anonim", "staf_opd", "pimpinan", "admin"},
    "peta": {"anonim", "staf_opd", "pimpinan", "admin"},
    "covid": {"anonim", "staf_opd", "pimpinan", "admin"},
    "kinerja": {"anonim", "staf_opd", "pimpinan", "admin"},
    "cctv": {"anonim", "staf_opd", "pimpinan", "admin"},
    "peringatan": {"anonim", "staf_opd", "pimpinan", "admin"},
    "layar": {"anonim", "staf_opd", "pimpinan", "admin"},
    "unggah": {"staf_opd", "admin"},
    "katalog": {"staf_opd", "pimpinan", "admin"},
    "admin": {"admin"},
    "masuk": {"anonim", "staf_opd", "pimpinan", "admin"},
}
ALL_ROLES = ("anonim", "staf_opd", "pimpinan", "admin")

# sender -> datasets it may send through the web upload.
# kinerja_opd: every OPD reports its own indicators (the rows' kode_opd is checked by the ingest).
SEND_MATRIX = {
    ("staf_opd", "DINKES"): {"covid19_harian", "fasyankes", "kinerja_opd"},
    ("staf_opd", "SATGAS_COVID"): {"covid19_harian", "kinerja_opd"},
    ("staf_opd", "DISHUB"): {"cctv", "kinerja_opd"},
    ("staf_opd", "DISKOMINFO"): {"wilayah", "opd", "menara_bts", "aplikasi", "kinerja_opd"},
    ("staf_opd", "BAPPEDA"): {"kinerja_opd"},
    ("staf_opd", "BPBD"): {"kinerja_opd"},
    ("pimpinan", None): set(),
    ("anonim", None): set(),
    (None, None): set(),
    ("admin", None): set(datasets.ALL),
}


def test_page_matrix_covers_every_page_of_the_navigation():
    from warroom.ui.shell import LAYOUT
    assert set(PAGE_MATRIX) == {key for _, key, _ in LAYOUT} == set(access.PAGE_ROLES)


@pytest.mark.parametrize("page", sorted(PAGE_MATRIX))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_may_open_matches_the_matrix(page, role):
    assert access.may_open(page, role) == (role in PAGE_MATRIX[page])


def test_unknown_page_is_refused_for_everyone():
    assert not any(access.may_open("rahasia", role) for role in ALL_ROLES)


@pytest.mark.parametrize("sender", list(SEND_MATRIX), ids=lambda s: f"{s[0]}-{s[1]}")
@pytest.mark.parametrize("dataset", datasets.ALL)
def test_may_send_matches_the_matrix(sender, dataset):
    role, opd = sender
    assert access.may_send(dataset, role, opd) == (dataset in SEND_MATRIX[sender])


def test_staff_without_an_opd_sends_nothing():
    assert not any(access.may_send(name, "staf_opd", None) for name in datasets.ALL)


# --- the pages themselves ------------------------------------------------------------------------


def _token(path, role):
    if role == "anonim":
        return None
    con = db.connect(path)
    try:
        name = f"matriks_{role}"
        if not auth.get_user(con, name):
            auth.add_user(con, name, PASSWORD, role, "DINKES" if role == "staf_opd" else None)
    finally:
        con.close()
    return auth.start_session(name)


def _refused(at) -> bool:
    labels = [w.label for w in at.text_input]
    prompt = "Kata sandi" in labels and any("memerlukan akses masuk" in w.value for w in at.warning)
    return prompt


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", ["unggah", "katalog", "admin"])
def test_direct_url_to_restricted_pages(store_file, page, role):
    at = AppTest.from_file(f"../pages/{page}.py", default_timeout=60)
    token = _token(store_file, role)
    if token:
        at.session_state["auth_token"] = token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    allowed = role in PAGE_MATRIX[page]
    assert _refused(at) == (not allowed)
    if not allowed:
        # The prompt and nothing else: no table, no upload box, no download.
        assert len(at.dataframe) == 0 and len(at.get("file_uploader")) == 0
        assert len(at.get("download_button")) == 0


@pytest.mark.parametrize("crafted", [
    {"auth_token": "dipalsukan"},
    {"role": "admin", "username": "ani", "kode_opd": "DISKOMINFO"},
    {"auth_token": "", "user": {"role": "admin"}},
])
def test_crafted_session_state_grants_nothing(store_file, crafted):
    at = AppTest.from_file("../pages/admin.py", default_timeout=60)
    for key, value in crafted.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert _refused(at)


def test_a_disabled_account_loses_its_open_session_at_the_next_run(store_file):
    token = _token(store_file, "admin")
    con = db.connect(store_file)
    try:
        auth.add_user(con, "cadangan", PASSWORD, "admin")
    finally:
        con.close()
    at = AppTest.from_file("../pages/admin.py", default_timeout=60)
    at.session_state["auth_token"] = token
    at.run()
    assert not _refused(at)
    con = db.connect(store_file)
    try:
        auth.set_disabled(con, "matriks_admin", True, by="cadangan")
    finally:
        con.close()
    at.run()
    assert _refused(at)


def test_staff_demoted_to_pimpinan_loses_the_upload_page_at_once(store_file):
    token = _token(store_file, "staf_opd")
    at = AppTest.from_file("../pages/unggah.py", default_timeout=60)
    at.session_state["auth_token"] = token
    at.run()
    assert not _refused(at)
    con = db.connect(store_file)
    try:
        auth.set_role(con, "matriks_staf_opd", "pimpinan")
    finally:
        con.close()
    at.run()
    assert _refused(at)
