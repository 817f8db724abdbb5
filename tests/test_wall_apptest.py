"""The wall page in AppTest: rotation per run, URL settings, stamps, and last good figures."""
from __future__ import annotations

import re
import shutil
import sys
import types

import pytest
from streamlit.testing.v1 import AppTest

from warroom import db, fmt
from warroom.ui import data
from warroom.ui import wall as wall_ui

PANEL = "warroom.ui.panels.ringkasan"


def _wall(**params) -> AppTest:
    at = AppTest.from_file("../pages/layar.py", default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def _bar(at: AppTest) -> str:
    # The bar of the slot on screen (the other slot holds the next panel, drawn hidden).
    return next(m.value for m in at.markdown if m.value.startswith("<div class='wr-wallbar'")
                and "data-shown='true'" in m.value)


def _panel_shown(at: AppTest) -> str:
    return re.search(r"data-panel='(\w+)'", _bar(at)).group(1)


def _texts(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


@pytest.fixture
def population_panel(monkeypatch):
    """A stand-in ringkasan panel that draws one figure from a real query (the city's kecamatan count)."""
    panel = types.ModuleType(PANEL)

    def render(ctx, *, wall=False):
        areas = data.query("wilayah_counts", kota="73.71").set_index("tingkat")
        figure = fmt.number(int(areas.loc["kecamatan", "jumlah"]), ctx.lang)
        import streamlit as st
        st.markdown(f"<div class='wr-card'><div class='wr-value'>KEC {figure}</div></div>", unsafe_allow_html=True)

    panel.render = render
    monkeypatch.setitem(sys.modules, PANEL, panel)
    return panel


def test_rotation_advances_per_run_and_wraps(store_file):
    at = _wall(panels="ringkasan,kinerja,cctv", rotate="30")
    shown = []
    for _ in range(4):
        at.run()
        assert not at.exception
        shown.append(_panel_shown(at))
    assert shown == ["ringkasan", "kinerja", "cctv", "ringkasan"]
    assert "aria-label='Panel 1 dari 3'>●<span class='off'>●</span><span class='off'>●</span>" in _bar(at)
    at.run()
    assert "aria-label='Panel 2 dari 3'><span class='off'>●</span>●<span class='off'>●</span>" in _bar(at)


def test_url_settings_are_honoured(store_file):
    at = _wall(panels="kinerja", rotate="45", refresh="20", lang="en", size="4k")
    at.run()
    assert not at.exception
    settings = at.session_state["layar.state"]["settings"]
    assert (settings.panels, settings.rotate, settings.refresh, settings.size) == (("kinerja",), 45, 20, "4k")
    assert "Agency performance" in _bar(at)
    assert "Panel 1 of 1" in _bar(at)


@pytest.mark.parametrize("params", [
    {"panels": "nope,radar"}, {"rotate": "0"}, {"rotate": "-5"}, {"rotate": "99999999"}, {"rotate": "abc"},
    {"refresh": "0"}, {"lang": "klingon"}, {"size": "huge"}, {"playlist": "does-not-exist"},
])
def test_bad_url_settings_fall_back_without_error(store_file, params):
    at = _wall(**params)
    at.run()
    assert not at.exception
    assert not at.error
    settings = at.session_state["layar.state"]["settings"]
    assert settings.panels == ("ringkasan", "peta", "covid", "kinerja")
    assert 5 <= settings.tick_seconds <= 3600
    assert settings.rotate == (3600 if params.get("rotate") == "99999999" else 30)
    assert _panel_shown(at) == "ringkasan"


def test_saved_playlist_opens_by_name(store_file):
    from warroom import wall
    con = db.connect(store_file)
    wall.save_playlist(con, "lobi", "panels=cctv,kinerja&rotate=15&lang=en", "admin")
    con.close()
    at = _wall(playlist="lobi")
    at.run()
    at.run()
    assert not at.exception
    assert at.session_state["layar.state"]["settings"].rotate == 15
    assert _panel_shown(at) == "kinerja"
    assert "Agency performance" in _bar(at)


def test_panel_not_written_yet_shows_a_clean_card(store_file, monkeypatch):
    assert wall_ui.load_panel("no_such_panel") is None
    monkeypatch.setattr(wall_ui, "load_panel", lambda name: None)
    at = _wall(panels="cctv")
    at.run()
    assert not at.exception
    assert "Panel belum tersedia" in _texts(at) and "Panel CCTV sedang disiapkan" in _texts(at)


def test_panel_that_raises_shows_a_card_not_a_traceback(store_file, monkeypatch, caplog):
    broken = types.ModuleType("broken")
    broken.render = lambda ctx, *, wall=False: 1 / 0
    monkeypatch.setattr(wall_ui, "load_panel", lambda name: broken)
    at = _wall(panels="kinerja")
    at.run()
    assert not at.exception and not at.error
    assert "Panel tidak dapat ditampilkan saat ini" in _texts(at)
    assert any("wall: panel kinerja failed (ZeroDivisionError)" in r.getMessage() for r in caplog.records)


def test_clock_and_date_in_wita(store_file):
    at = _wall()
    at.run()
    # conftest freezes now at 2026-11-28 10:00 WITA.
    assert "<div class='wr-time'>10.00</div>" in _texts(at)
    assert "28 November 2026 WITA" in _texts(at)


def test_stamp_turns_red_with_symbol_and_word_when_data_are_stale(store_file):
    con = db.connect(store_file)
    with db.write_transaction(con):
        con.execute("INSERT INTO covid19_harian (tanggal, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, "
                    "sumber_opd, upload_id) VALUES ('2026-11-24', '73.71', 3, 1, 0, 'DINKES', 1)")
    con.close()
    at = _wall(panels="covid")
    at.run()
    bar = _bar(at)
    assert "data-status='stale'" in bar and "#D55E00" in bar and "■ basi" in bar
    # In words: the date written out and the dataset by its title (issue 19), never the raw id.
    assert "24 November 2026" in bar and "(Covid-19 harian)" in bar and "covid19_harian" not in bar
    con = db.connect(store_file)
    with db.write_transaction(con):
        con.execute("INSERT INTO covid19_harian (tanggal, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, "
                    "sumber_opd, upload_id) VALUES ('2026-11-26', '73.71', 2, 0, 0, 'DINKES', 2)")
    con.close()
    at.run()
    assert "▲ terlambat" in _bar(at) and "#E69F00" in _bar(at)


def _release(path):
    """Close the app's connection so the test can touch the file like an operator would."""
    from warroom import store
    store.release(path)


def test_database_missing_mid_run_keeps_last_good_figures(store_file, population_panel, caplog):
    at = _wall(panels="ringkasan")
    at.run()
    assert "KEC 15" in _texts(at)
    assert "wr-wallwarn'></div>" in _texts(at)

    _release(store_file)
    backup = store_file.with_suffix(".bak")
    shutil.move(store_file, backup)
    at.run()
    assert not at.exception and not at.error
    assert "KEC 15" in _texts(at)                          # the last good figure stays
    assert "menampilkan angka terakhir" in _texts(at)      # with a discreet warning
    assert "Traceback" not in _texts(at)
    assert any("wall: store failed (missing)" in r.getMessage() for r in caplog.records)

    shutil.move(backup, store_file)                        # restored: the next tick recovers by itself
    at.run()
    assert "KEC 15" in _texts(at)
    assert "menampilkan angka terakhir" not in _texts(at)


def test_failing_query_keeps_last_good_figures(store_file, population_panel, monkeypatch):
    at = _wall(panels="ringkasan")
    at.run()
    original = db.query_df

    def broken(cur, name, params=None):
        if name == "wilayah_counts":
            raise RuntimeError("simulated query failure")
        return original(cur, name, params)

    # A write bumps the data version, so the panel's query must run again and fails.
    with db.write_transaction(data.cursor()):
        pass
    monkeypatch.setattr(db, "query_df", broken)
    at.run()
    assert not at.exception
    assert "KEC 15" in _texts(at)
    assert "menampilkan angka terakhir" in _texts(at)
    monkeypatch.setattr(db, "query_df", original)
    at.run()
    assert "menampilkan angka terakhir" not in _texts(at)


def test_database_missing_from_the_start_says_so_without_error(tmp_path, monkeypatch):
    monkeypatch.setenv("WARROOM_DB", str(tmp_path / "absent.duckdb"))
    at = _wall()
    at.run()
    assert not at.exception and not at.error
    assert "Basis data belum dapat dibuka" in _texts(at)


def _signed_in(store_file, role: str) -> str:
    from warroom import auth
    con = db.connect(store_file)
    try:
        auth.add_user(con, f"uji_{role}", "rahasia-sekali-123", role, "DINKES" if role == "staf_opd" else None)
    finally:
        con.close()
    return auth.start_session(f"uji_{role}")


def test_admin_saves_a_playlist_from_the_wall_page(store_file):
    at = _wall(panels="kinerja")
    at.session_state["auth_token"] = _signed_in(store_file, "admin")
    at.run()
    assert not at.exception
    at.text_input(key="wall_playlist_name").input("rapat")
    at.text_input(key="wall_playlist_query").input("panels=covid,kinerja&rotate=20")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert "Daftar putar rapat disimpan" in at.success[0].value
    at.text_input(key="wall_playlist_query").input("panels=radar&rotate=0")
    at.button[0].click()
    at.run()
    assert "tidak disimpan" in at.error[0].value and "radar" in at.error[0].value
    con = db.connect(store_file)
    try:
        from warroom import wall
        assert wall.playlists(con) == {"rapat": "panels=covid,kinerja&rotate=20&refresh=60&lang=id&size=auto"}
    finally:
        con.close()


@pytest.mark.parametrize("role", ["anonim", "pimpinan", "staf_opd"])
def test_only_the_admin_sees_the_playlist_form(store_file, role):
    at = _wall()
    if role != "anonim":
        at.session_state["auth_token"] = _signed_in(store_file, role)
    at.run()
    assert not at.exception
    assert len(at.text_input) == 0 and len(at.button) == 0


def test_demo_data_are_marked_on_the_wall(store_file):
    at = _wall(panels="kinerja")
    at.run()
    assert "DATA DEMO" not in _bar(at)
    con = db.connect(store_file)
    with db.write_transaction(con):
        db.set_meta(con, "demo", "true")
    con.close()
    at.run()
    assert "⚠ DATA DEMO" in _bar(at)


def test_unchanged_data_are_not_queried_again_but_an_upload_is_seen(store_file, population_panel, monkeypatch):
    calls = []
    original = db.query_df
    monkeypatch.setattr(db, "query_df", lambda cur, name, params=None: calls.append(name) or original(cur, name, params))
    at = _wall(panels="ringkasan")
    at.run()
    at.run()
    at.run()
    assert calls.count("wilayah_counts") == 1          # cached by data version across ticks
    before = calls.count("wilayah_counts") + calls.count("dataset_status")
    con = data.cursor()
    with db.write_transaction(con):                      # an upload: the data version moves on
        con.execute("UPDATE wilayah SET penduduk = penduduk WHERE kode_wilayah = '73.71'")
    at.run()
    assert calls.count("wilayah_counts") + calls.count("dataset_status") == before + 2
    assert "KEC 15" in _texts(at)


@pytest.mark.parametrize("size, label_px", [("hd", 30), ("4k", 60)])
def test_wall_map_is_an_svg_figure_sized_for_the_screen(store_file, size, label_px):
    """The wall draws its map with plotly, not pydeck (deck.gl instances piled up in a rotating
    browser: warroom/peta/plot.py); a 4K wall gets names twice as large."""
    import json
    at = _wall(panels="peta", rotate="30", size=size)
    at.run()
    assert not at.exception
    assert len(at.get("deck_gl_json_chart")) == 0
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = next(trace for trace in spec["data"] if trace.get("mode") == "text")
    assert names["textfont"]["size"] == label_px
    assert spec["layout"]["height"] == {"hd": 828, "4k": 1656}[size]
