"""The Kinerja OPD page as an anonymous leader sees it, numbers checked against the SQL."""
from __future__ import annotations

import pytest
from kinerja_fixture import load
from streamlit.testing.v1 import AppTest

from warroom import db, kinerja
from warroom.config import today


@pytest.fixture
def fixture_file(store_file):
    con = db.connect(store_file)
    try:
        load(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return store_file


def _run(**params) -> AppTest:
    at = AppTest.from_file("../pages/kinerja.py", default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at, first_column: str):
    for frame in at.dataframe:
        if list(frame.value.columns)[:1] == [first_column]:
            return frame.value
    raise AssertionError(f"no table starting with {first_column!r}")


def _grid(at) -> str:
    return next(m.value for m in at.markdown if "wr-tl'" in m.value)


def test_ranking_for_the_latest_due_month_matches_the_sql(fixture_file):
    at = _run()
    assert at.query_params["periode"] == "2026-10"  # default: the latest month past its due date
    ranking = _table(at, "Peringkat")
    con = db.connect(fixture_file)
    try:
        sql = db.query_df(con, "kinerja_skor_opd", kinerja.band_params())
    finally:
        con.close()
    sql = sql[sql.bulan == "2026-10"]
    assert ranking["OPD"].tolist() == sql["nama_opd"].tolist()
    assert ranking["Peringkat"].tolist() == ["1", "2", "3", "4", "–"]
    assert ranking["Skor"].tolist() == ["100,00", "80,00", "0,13", "0,00", "tidak tersedia"]
    assert ranking["Kategori"].tolist() == ["● baik", "◆ cukup", "✖ sangat kurang", "✖ sangat kurang",
                                            "– tidak ada indikator"]
    assert ranking["Tren"].tolist() == ["▲ naik (+10,00)", "▼ turun (-3,33)", "tidak tersedia",
                                        "▼ turun (-120,00)", "tidak tersedia"]
    assert ranking["Indikator dilaporkan"].tolist() == ["2 dari 2", "2 dari 2", "1 dari 1", "1 dari 2", "0 dari 0"]


def test_traffic_light_cells_carry_band_symbol_and_figure(fixture_file):
    at = _run(periode="2026-09")
    grid = _grid(at)
    # DISHUB in September: 500 % capped to 120 in its score -> sangat baik
    assert "★ 120,0" in grid and "sangat baik" in grid
    # DINKES in September with its quarterly indicator: (110 + 80 + 59.99) / 3
    assert "◆ 83,3" in grid
    assert "Sep 2026" in grid and "Okt 2025" in grid  # 12 months up to the chosen one
    ranking = _table(at, "Peringkat")
    assert ranking["OPD"].tolist()[0] == "Dinas Perhubungan"
    assert ranking["Skor"].tolist()[:4] == ["120,00", "99,99", "90,00", "83,33"]


def test_band_filter_and_agency_drill_are_bound_to_the_url(fixture_file):
    at = _run(periode="2026-10", kategori="cukup")
    assert _table(at, "Peringkat")["OPD"].tolist() == ["Dinas Kesehatan"]
    assert at.query_params["kategori"] == "cukup"
    at = _run(periode="2026-10", opd="DINKES")
    drill = _table(at, "Kode")
    assert drill["Kode"].tolist() == ["IKU-DINKES-1", "IKU-DINKES-2"]
    assert drill["Target"].tolist() == ["100,00", "10,00"]
    assert drill["Realisasi"].tolist() == ["100,00", "14,00"]       # the owner's row, not SATGAS_COVID's 50
    assert drill["Capaian (%)"].tolist() == ["100,00", "60,00"]
    assert drill["Kategori"].tolist() == ["● baik", "▼ kurang"]
    assert [list(v) for v in drill["Capaian 24 bulan"]] == [[110.0, 100.0], [80.0, 60.0]]
    at.selectbox(key="kinerja_periode").set_value("2026-09").run()
    assert at.query_params["periode"] == "2026-09"
    assert _table(at, "Kode")["Kode"].tolist() == ["IKU-DINKES-1", "IKU-DINKES-2", "IKU-DINKES-Q"]


def test_unreported_realisation_shows_not_available_never_zero(fixture_file):
    at = _run(periode="2026-10", opd="DISHUB")
    drill = _table(at, "Kode")
    row = drill[drill["Kode"] == "IKU-DISHUB-1"].iloc[0]
    assert row["Realisasi"] == "tidak tersedia" and row["Capaian (%)"] == "tidak tersedia"
    assert row["Kategori"] == "○ belum lapor"
    at = _run(periode="2026-09", opd="DISHUB")
    target_zero = _table(at, "Kode").set_index("Kode").loc["IKU-DISHUB-2"]
    assert (target_zero["Capaian (%)"], target_zero["Kategori"]) == ("tidak tersedia", "– tidak tersedia")
    raw = drill[drill["Kode"] == "IKU-DISHUB-2"].iloc[0]
    assert raw["Capaian (%)"] == "-50,00"  # the raw capaian is shown; only the score floors it


def test_late_reporters_and_data_problems_are_listed(fixture_file):
    at = _run()
    late = next(f.value for f in at.dataframe if "Hari terlambat" in f.value.columns)
    assert late["OPD"].tolist() == ["Badan Penanggulangan Bencana Daerah", "Dinas Perhubungan"]
    assert late["Hari terlambat"].tolist() == ["18", "18"]
    assert late["Jatuh tempo"].tolist() == ["10 November 2026", "10 November 2026"]
    con = db.connect(fixture_file)
    try:
        sql = kinerja.reporting_status(con, "2026-10", today())
    finally:
        con.close()
    assert late["Hari terlambat"].tolist() == [str(v) for v in sql.loc[sql.n_belum > 0, "hari_lewat"]]
    problems = next(f.value for f in at.dataframe if "Masalah" in f.value.columns)
    assert problems["Masalah"].tolist() == ["⚠ arah berbeda", "⚠ arah berbeda", "⚠ satuan berbeda", "⚠ satuan berbeda"]
    assert problems["Nilai"].tolist() == ["naik", "turun", "%", "persen"]


def test_app_registry_highlights_down_and_below_minimum(fixture_file):
    at = _run()
    apps = _table(at, "Peringatan")
    assert apps["Peringatan"].tolist() == ["✖ mati", "▼ di bawah 95 %", "● normal", "● normal", "● normal"]
    assert apps["Aplikasi"].tolist()[:2] == ["Sipakalebbi", "Dottoro'ta"]
    assert apps["Ketersediaan (%)"].tolist()[3] == "tidak tersedia"
    cards = [m.value for m in at.markdown if "wr-card" in m.value]
    assert any(">Mati (nonaktif)<" in c and ">1<" in c for c in cards)
    assert any("Ketersediaan &lt; 95 %" in c and ">1<" in c for c in cards)


def test_english_labels(fixture_file):
    at = _run(lang="en")
    assert _table(at, "Rank")["Band"].tolist()[0] == "● good"


def _wall_script():
    from warroom.ui import page
    from warroom.ui.panels import kinerja as panel
    panel.render(page.PageContext("layar", "id", None, "anonim", None), wall=True)


def test_wall_panel_shows_six_months_and_the_late_reporters(fixture_file):
    at = AppTest.from_function(_wall_script, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    body = " ".join(m.value for m in at.markdown)
    assert "Periode Okt 2026" in body
    months = ["Mei 2026", "Jun 2026", "Jul 2026", "Agu 2026", "Sep 2026", "Okt 2026"]
    assert all(f"<th>{m}</th>" in body for m in months) and "<th>Apr 2026</th>" not in body
    assert "○ Belum lapor Okt 2026: BPBD, Dishub" in body
    assert "● 100,0" in body  # DISDIK: 99.995 is published as 100.0, band baik
    assert "★ 120,0" in body and "✖ 0,0" in body  # DISHUB: September capped at 120, October floored at 0


def test_ranking_chart_bars_are_capped_scores_with_band_words(fixture_file):
    import json
    at = _run(periode="2026-09")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bar = spec["data"][0]
    assert bar["y"] == ["Dinkes", "Disdik", "BPBD", "Dishub"]   # best on top (plotly draws bottom-up)
    assert bar["x"] == [83.33, 90.0, 99.9875, 120.0]
    assert bar["text"][-1] == "★ 120,00 · sangat baik" and bar["marker"]["color"][-1] == "#0072B2"


def test_bad_url_values_fall_back_instead_of_failing(fixture_file):
    at = _run(periode="2099-01", opd="TIDAK_ADA", kategori="bukan_kategori,baik")
    assert at.query_params["periode"] == "2026-10"
    assert "opd" not in at.query_params
    assert at.query_params["kategori"] == "baik"
    assert _table(at, "Peringkat")["OPD"].tolist() == ["Dinas Pendidikan"]
