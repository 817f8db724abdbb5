"""Kinerja OPD measures on a hand-made fixture (tests/kinerja_fixture.py), exact values."""
from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pytest
from kinerja_fixture import load

from warroom import db, kinerja
from warroom.config import today


@pytest.fixture
def con(store):
    load(store)
    return store


def _capaian(con) -> dict[tuple[str, str], tuple]:
    df = kinerja.capaian(con)
    return {(r.kode_indikator, r.periode): (r.capaian_persen, r.kategori, r.bulan)
            for r in df.itertuples()}


def _na(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def test_capaian_both_directions_and_every_band_edge(con):
    got = _capaian(con)
    expected = {
        ("IKU-DINKES-1", "2026-09"): (110.0, "sangat_baik"),     # naik, exactly 110
        ("IKU-DINKES-1", "2026-10"): (100.0, "baik"),            # naik, exactly 100
        ("IKU-DINKES-2", "2026-09"): (80.0, "cukup"),            # turun (2 - 12/10) x 100, exactly 80
        ("IKU-DINKES-2", "2026-10"): (60.0, "kurang"),           # turun, exactly 60
        ("IKU-DINKES-Q", "2026-Q3"): (59.99, "sangat_kurang"),   # just below 60
        ("IKU-BPBD-Y", "2025"): (109.99, "baik"),                # just below 110
        ("IKU-BPBD-M", "2026-09"): (99.9875, "cukup"),           # just below 100
        ("IKU-DISDIK-1", "2026-10"): (79.99, "kurang"),          # just below 80
        ("IKU-DISHUB-1", "2026-09"): (500.0, "sangat_baik"),     # raw capaian shown uncapped
        ("IKU-DISHUB-2", "2026-10"): (-50.0, "sangat_kurang"),   # turun far above target: below zero
        ("IKU-DPMPTSP-1", "2026-10"): (0.125, "sangat_kurang"),
    }
    for key, (value, band) in expected.items():
        assert got[key][0] == value, key
        assert got[key][1] == band, key


def test_capaian_not_available_without_realisation_or_with_target_zero(con):
    got = _capaian(con)
    for key in [("IKU-DISHUB-1", "2026-10"), ("IKU-DISHUB-2", "2026-09")]:
        value, band, _ = got[key]
        assert _na(value) and _na(band), key


def test_the_owner_row_is_official_not_another_senders(con):
    df = kinerja.capaian(con)
    rows = df[(df.kode_indikator == "IKU-DINKES-1") & (df.periode == "2026-10")]
    assert list(rows.sumber_opd) == ["DINKES"]
    assert list(rows.realisasi) == [100.0]


def test_quarterly_and_yearly_rows_enter_their_last_month(con):
    got = _capaian(con)
    assert got[("IKU-DINKES-Q", "2026-Q3")][2] == "2026-09"
    assert got[("IKU-BPBD-Y", "2025")][2] == "2025-12"
    assert got[("IKU-DINKES-1", "2026-10")][2] == "2026-10"


def _scores(con, month: str) -> dict[str, dict]:
    df = db.query_df(con, "kinerja_skor_opd", kinerja.band_params())
    return {r["kode_opd"]: r for r in df[df.bulan == month].to_dict("records")}


def test_agency_score_caps_floors_and_skips_unreported(con):
    sep = _scores(con, "2026-09")
    # DINKES: two monthly indicators and the Q3 quarterly one: (110 + 80 + 59.99) / 3
    assert sep["DINKES"]["skor"] == 83.33 and sep["DINKES"]["n_indikator"] == 3
    assert sep["DINKES"]["kategori"] == "cukup"
    # DISHUB: 500 counts as 120; the target-0 indicator is not available and stays out of the mean
    assert sep["DISHUB"]["skor"] == 120.0
    assert (sep["DISHUB"]["n_indikator"], sep["DISHUB"]["n_tersedia"]) == (2, 1)
    assert sep["DISHUB"]["kategori"] == "sangat_baik"
    oct_ = _scores(con, "2026-10")
    # DISHUB: -50 floored at 0; the unreported indicator stays out (not 0 by accident)
    assert oct_["DISHUB"]["skor"] == 0.0 and oct_["DISHUB"]["n_tersedia"] == 1
    # DISDIK: 79.99 and 120 -> 99.995, published as 100.00 and so baik (the band follows the shown figure)
    assert oct_["DISDIK"]["skor"] == 99.995 and oct_["DISDIK"]["kategori"] == "baik"
    # BPBD in September: 99.9875, published as 99.99: cukup (just below 100)
    assert sep["BPBD"]["skor"] == 99.9875 and sep["BPBD"]["kategori"] == "cukup"
    # DINKES in October: only monthly indicators (Q4 ends in December)
    assert oct_["DINKES"]["skor"] == 80.0 and oct_["DINKES"]["n_indikator"] == 2


def test_yearly_indicator_is_the_agencys_december_score(con):
    dec = _scores(con, "2025-12")
    assert dec["BPBD"]["skor"] == 109.99 and dec["BPBD"]["kategori"] == "baik"


def test_agency_with_no_indicators_for_the_period_is_listed_not_available(con):
    oct_ = _scores(con, "2026-10")
    bpbd = oct_["BPBD"]
    assert bpbd["n_indikator"] == 0 and _na(bpbd["skor"]) and _na(bpbd["kategori"])
    assert _na(bpbd["peringkat"]) and _na(bpbd["tren"])
    jan = _scores(con, "2026-01")  # a month inside the range where nobody has data
    assert all(_na(r["skor"]) for r in jan.values()) and len(jan) == 5


def test_trend_and_ranking(con):
    oct_ = _scores(con, "2026-10")
    assert oct_["DINKES"]["tren"] == "turun" and round(oct_["DINKES"]["selisih"], 9) == -3.33
    assert oct_["DISDIK"]["tren"] == "naik" and round(oct_["DISDIK"]["selisih"], 9) == 9.995
    assert oct_["DISHUB"]["tren"] == "turun"
    assert _na(oct_["DPMPTSP"]["tren"])  # no September score to compare with
    ranking = {k: r["peringkat"] for k, r in oct_.items() if not _na(r["peringkat"])}
    assert ranking == {"DISDIK": 1, "DINKES": 2, "DPMPTSP": 3, "DISHUB": 4}


def test_latest_due_month_and_due_dates():
    assert today() == date(2026, 11, 28)
    assert kinerja.latest_due_month(date(2026, 11, 28)) == "2026-10"
    assert kinerja.latest_due_month(date(2026, 11, 10)) == "2026-09"  # due BY the 10th: not late yet
    assert kinerja.latest_due_month(date(2026, 11, 11)) == "2026-10"
    assert kinerja.latest_due_month(date(2026, 1, 5)) == "2025-11"
    assert kinerja.recent_months("2026-02", 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_late_reporters_and_days_past_due(con):
    df = kinerja.reporting_status(con, "2026-10", today())
    rows = {r["kode_opd"]: r for r in df.to_dict("records")}
    assert list(df.kode_opd) == ["BPBD", "DISHUB", "DINKES", "DISDIK", "DPMPTSP"]
    # BPBD: its monthly indicator has no row for October at all
    assert (rows["BPBD"]["n_wajib"], rows["BPBD"]["n_belum"], rows["BPBD"]["indikator_belum"]) == (1, 1, "IKU-BPBD-M")
    # DISHUB: a row with empty realisasi
    assert (rows["DISHUB"]["n_wajib"], rows["DISHUB"]["n_belum"], rows["DISHUB"]["indikator_belum"]) == (2, 1, "IKU-DISHUB-1")
    assert rows["BPBD"]["hari_lewat"] == 18 and rows["DISHUB"]["hari_lewat"] == 18  # due 2026-11-10
    assert str(rows["BPBD"]["jatuh_tempo"])[:10] == "2026-11-10"
    # DINKES reported both monthly indicators; its quarterly one is not due in October
    assert (rows["DINKES"]["n_wajib"], rows["DINKES"]["n_belum"]) == (2, 0) and _na(rows["DINKES"]["hari_lewat"])


def test_quarterly_indicator_is_due_in_the_quarters_last_month(con):
    rows = {r["kode_opd"]: r for r in kinerja.reporting_status(con, "2026-09", today()).to_dict("records")}
    assert rows["DINKES"]["n_wajib"] == 3 and rows["DINKES"]["n_belum"] == 0
    dec = kinerja.reporting_status(con, "2025-12", today())
    assert list(dec.kode_opd) == ["BPBD"] and dec.n_wajib.tolist() == [1]


def test_indicator_disagreeing_on_arah_or_satuan_is_a_data_problem(con):
    df = db.query_df(con, "kinerja_masalah_data")
    got = [(r.kode_indikator, r.kolom, r.nilai, r.periode_pertama) for r in df.itertuples()]
    assert got == [("IKU-DISDIK-2", "arah", "naik", "2026-09"), ("IKU-DISDIK-2", "arah", "turun", "2026-10"),
                   ("IKU-DISDIK-2", "satuan", "%", "2026-09"), ("IKU-DISDIK-2", "satuan", "persen", "2026-10")]


def test_export_rows_round_half_away_and_leave_not_available_empty(con):
    rows = {(r["kode_indikator"], r["periode"]): r for r in kinerja.export_rows(con)}
    assert len(rows) == 16  # the other sender's duplicate is not exported twice
    assert rows[("IKU-DPMPTSP-1", "2026-10")]["capaian_persen"] == Decimal("0.13")  # 0.125 half away from zero
    assert rows[("IKU-BPBD-M", "2026-09")]["capaian_persen"] == Decimal("99.99")     # 99.9875
    assert rows[("IKU-DISHUB-2", "2026-10")]["capaian_persen"] == Decimal("-50.00")
    for key in [("IKU-DISHUB-1", "2026-10"), ("IKU-DISHUB-2", "2026-09")]:
        assert rows[key]["capaian_persen"] is None and rows[key]["kategori"] is None
    assert rows[("IKU-DISHUB-1", "2026-10")]["realisasi"] is None
    assert list(rows[("IKU-DPMPTSP-1", "2026-10")]) == kinerja.EXPORT_COLUMNS


def test_round_half_away_from_zero():
    assert kinerja.round_half_away(2.675) == Decimal("2.68")
    assert kinerja.round_half_away(-2.675) == Decimal("-2.68")
    assert kinerja.round_half_away(float("nan")) is None


def test_band_of_matches_the_sql_edges():
    assert [kinerja.band_of(v) for v in (110, 109.99, 100, 99.99, 80, 79.99, 60, 59.99, -5)] == [
        "sangat_baik", "baik", "baik", "cukup", "cukup", "kurang", "kurang", "sangat_kurang", "sangat_kurang"]
    assert kinerja.band_of(109.995) == "sangat_baik" and kinerja.band_of(109.9949) == "baik"
    assert kinerja.band_of(None) is None


def test_app_registry_flags_down_and_below_minimum(con):
    df = db.query_df(con, "aplikasi_daftar", {"ketersediaan_min": 95.0})
    got = [(r.kode_aplikasi, r.peringatan if isinstance(r.peringatan, str) else None) for r in df.itertuples()]
    assert got == [("APP-2", "mati"), ("APP-3", "di_bawah_minimum"), ("APP-4", None), ("APP-5", None), ("APP-1", None)]
    per_opd = {r["kode_opd"]: r for r in db.query_df(con, "aplikasi_per_opd", {"ketersediaan_min": 95.0}).to_dict("records")}
    assert per_opd["DINKES"]["n_aplikasi"] == 2 and per_opd["DINKES"]["n_perlu_perhatian"] == 1
    assert per_opd["DINKES"]["rata_ketersediaan"] == 94.995
    assert _na(per_opd["DISHUB"]["rata_ketersediaan"]) and per_opd["DISHUB"]["n_nonaktif"] == 1


def test_kinerja_capaian_is_a_registered_derived_export_in_canonical_csv(con):
    from warroom import exports
    assert "kinerja_capaian" in exports.names()
    lines = exports.to_bytes(con, "kinerja_capaian").decode("utf-8").splitlines()
    assert lines[0] == "kode_opd,kode_indikator,periode,target,realisasi,capaian_persen,kategori"
    assert len(lines) == 17
    assert "DISHUB,IKU-DISHUB-1,2026-10,100,,," in lines          # not reported: empty, never 0
    assert "DISHUB,IKU-DISHUB-2,2026-09,0,5,," in lines           # target 0: empty
    assert "DPMPTSP,IKU-DPMPTSP-1,2026-10,800,1,0.13,sangat_kurang" in lines
    assert "DINKES,IKU-DINKES-Q,2026-Q3,200,119.98,59.99,sangat_kurang" in lines
    assert "BPBD,IKU-BPBD-Y,2025,100,109.99,109.99,baik" in lines
    assert "DISHUB,IKU-DISHUB-1,2026-09,100,500,500,sangat_baik" in lines   # one writer: no trailing zeros


def test_newest_kinerja_data_is_a_month_so_quarters_do_not_sort_after_it(con):
    status = db.query_df(con, "dataset_status").set_index("dataset")
    assert status.loc["kinerja_opd", "data_terbaru"] == "2026-10"   # not '2026-Q3' (text order)


def test_export_command_writes_kinerja_capaian(tmp_path):
    import subprocess
    import sys

    from warroom import reference
    path = tmp_path / "k.duckdb"
    con = db.open_store(path, create=True)
    reference.load_reference(con)
    load(con)
    con.close()
    out = tmp_path / "kinerja_capaian.csv"
    done = subprocess.run([sys.executable, "-m", "warroom", "export", "kinerja_capaian", "--db", str(path),
                           "--out", str(out)], capture_output=True, text=True, cwd=db.QUERY_DIR.parent)
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "kode_opd,kode_indikator,periode,target,realisasi,capaian_persen,kategori"
    assert lines[1] == "BPBD,IKU-BPBD-M,2026-09,80,79.99,99.99,cukup" and len(lines) == 17
