"""The Peringatan page, the wall panel, the ticker and the Ringkasan section in AppTest."""
from __future__ import annotations

import pytest
from covid_fixtures import upload
from streamlit.testing.v1 import AppTest

from warroom import auth, db
from warroom.alerts import store as alert_store

PASSWORD = "Rahasia-Peringatan-2026"


@pytest.fixture
def apps_down(store_file, monkeypatch):
    """Two apps down (one critical each) and one tower permit ending: a store with firing alerts."""
    monkeypatch.setenv("WARROOM_ALERTS_RUN", "0")
    con = db.connect(store_file)
    try:
        up = upload(con, "DISKOMINFO", "aplikasi")
        for kode, nama, status, avail in (("A1", "Lancar", "aktif", 99.0), ("A3", "Tersendat <b>", "aktif", 94.5),
                                          ("A4", "Mati", "nonaktif", None)):
            con.execute("insert into aplikasi (kode_aplikasi, nama_aplikasi, kode_opd, status, ketersediaan_persen, "
                        "sumber_opd, upload_id) values (?, ?, 'DISHUB', ?, ?, 'DISKOMINFO', ?)",
                        [kode, nama, status, avail, up])
        auth.add_user(con, "walidata", PASSWORD, "admin", None)
    finally:
        con.close()
    return store_file


def _page(token: str | None = None) -> AppTest:
    at = AppTest.from_file("../pages/peringatan.py", default_timeout=60)
    if token:
        at.session_state["auth_token"] = token
    return at


def test_anyone_sees_what_fires_but_must_sign_in_to_acknowledge(apps_down):
    at = _page()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    firing = at.dataframe[0].value
    assert sorted(firing["Kode"]) == ["A3", "A4"]
    assert set(firing["Tingkat"]) == {"■ Kritis"} and set(firing["Status"]) == {"■ Aktif"}
    row = firing[firing["Kode"] == "A3"].iloc[0]
    assert row["Nama"] == "Tersendat <b>"            # shown as text, never as HTML
    assert row["Keterangan"] == "aktif · ketersediaan 94,50 % (minimum 95 %)"
    assert "Masuk untuk mengonfirmasi peringatan." in [c.value for c in at.caption]
    assert not at.button or all("Kirim pesan uji" not in b.label for b in at.button)


def test_filters_narrow_the_list(apps_down):
    at = _page()
    at.run()
    at.text_input(key="al_search").input("mati").run()
    assert list(at.dataframe[0].value["Kode"]) == ["A4"]


def test_a_signed_in_user_acknowledges_with_a_note(apps_down):
    token = auth.start_session("walidata")
    at = _page(token)
    at.run()
    con = db.connect(apps_down)
    try:
        a4 = next(r for r in alert_store.firing(con) if r["object"] == "A4")
    finally:
        con.close()
    at.selectbox(key="al_ack_id").select(a4["alert_id"])
    at.text_input(key="al_ack_note").input("server dipindah, pulih sore ini")
    at.button[0].click().run()
    assert not at.exception
    assert at.success[0].value == f"Peringatan #{a4['alert_id']} dikonfirmasi oleh walidata."
    con = db.connect(apps_down)
    try:
        acked = next(r for r in alert_store.firing(con) if r["object"] == "A4")
    finally:
        con.close()
    assert (acked["acked_by"], acked["ack_note"]) == ("walidata", "server dipindah, pulih sore ini")


def test_the_wall_panel_and_the_critical_ticker(apps_down):
    at = AppTest.from_file("../pages/layar.py", default_timeout=60)
    at.query_params["panels"] = "peringatan"
    at.run()
    assert not at.exception
    # without a service (WARROOM_ALERTS_RUN=0) the panel records the alerts; the ticker only
    # reads what is recorded, so it shows from the next tick on
    assert "data-ticker='kritis'" not in " ".join(m.value for m in at.markdown)
    at.run()
    texts = " ".join(m.value for m in at.markdown)
    assert "data-rule='aplikasi_mati'" in texts
    assert "<span class='wr-al-n'>2</span>" in texts
    assert "Tersendat &lt;b&gt; (A3)" in texts
    assert ("<div class='wr-al-ticker' role='alert' data-ticker='kritis'>■ KRITIS · Aplikasi mati (2): "
            "Tersendat &lt;b&gt;, Mati</div>") in texts


def test_ringkasan_has_a_peringatan_section(apps_down):
    at = AppTest.from_file("../pages/ringkasan.py", default_timeout=60)
    at.run()
    assert not at.exception
    assert "Peringatan" in [h.value for h in at.subheader]
    section = next(m.value for m in at.markdown if "data-section='peringatan'" in m.value)
    assert "<b>Aplikasi mati</b>: 2 · Tersendat &lt;b&gt;, Mati" in section


def test_the_admin_sends_a_test_message_to_a_webhook(apps_down, tmp_path, monkeypatch):
    from test_alerts_webhook import Receiver
    receiver = Receiver()
    try:
        rule_file = tmp_path / "alerts.toml"
        rule_file.write_text(f'[[webhook]]\nname = "piket"\nurl = "{receiver.url()}"\nformat = "json"\n',
                             encoding="utf-8")
        monkeypatch.setenv("WARROOM_ALERTS", str(rule_file))
        monkeypatch.setenv("WARROOM_ALERT_ALLOW", f"http://127.0.0.1:{receiver.port}/hook/")
        at = _page()
        at.run()
        assert [b.label for b in at.button if "pesan uji" in b.label] == []       # anonymous: no button
        at = _page(auth.start_session("walidata"))
        at.run()
        [button] = [b for b in at.button if b.label == "Kirim pesan uji · piket"]
        button.click().run()
        assert not at.exception
        assert at.success[0].value == "Pesan uji terkirim ke piket (1 percobaan)."
        assert [r["body"]["status"] for r in receiver.received] == ["test"]
        assert receiver.url() not in " ".join(m.value for m in at.markdown)          # the address is not shown
    finally:
        receiver.close()
