"""The covid19_ppkm derived export: canonical CSV, rates rounded half away from zero, empty when unavailable."""
from __future__ import annotations

import csv
import io

import pytest
from covid_fixtures import K1, K2, day, insert, mariso_fixture, set_population

from warroom import covid, exports


@pytest.fixture
def mariso(store):
    mariso_fixture(store)
    return store


def export_rows(con) -> list[dict]:
    buf = io.StringIO()
    n = exports.write_csv(con, "covid19_ppkm", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == n
    return rows


def test_ppkm_export_header_and_rows(mariso):
    assert "covid19_ppkm" in exports.names()
    rows = export_rows(mariso)
    assert list(rows[0]) == covid.PPKM_EXPORT_COLUMNS
    by_key = {(r["tanggal"], r["kode_wilayah"]): r for r in rows}
    # K1 on 7 Nov: exact rates, every indicator available
    assert by_key[("2026-11-07", K1)] == {
        "tanggal": "2026-11-07", "kode_wilayah": K1, "kasus_7hari_per_100rb": "23", "rawat_inap_7hari_per_100rb": "6",
        "meninggal_7hari_per_100rb": "1", "positivity_7hari_persen": "19.17", "level_ppkm": "2",
        "indikator_tersedia": "kasus;rawat_inap;meninggal"}
    # K2: no admissions, no specimens -> empty cells, level from the rest
    assert by_key[("2026-11-10", K2)] == {
        "tanggal": "2026-11-10", "kode_wilayah": K2, "kasus_7hari_per_100rb": "28", "rawat_inap_7hari_per_100rb": "",
        "meninggal_7hari_per_100rb": "0", "positivity_7hari_persen": "", "level_ppkm": "2",
        "indikator_tersedia": "kasus;meninggal"}
    # Mariso on 14 Nov: 173 / 193,406 * 100,000 = 89.4491..., rounded to 2 decimals
    assert by_key[("2026-11-14", "73.71.01")]["kasus_7hari_per_100rb"] == "89.45"
    # No weekly figures before an area's 7th day
    assert ("2026-11-06", K1) not in by_key and ("2026-11-09", K2) not in by_key
    assert len(by_key) == len(rows)


def test_ppkm_export_leaves_out_areas_without_population(mariso):
    set_population(mariso, "73.71.01.1009", None)
    kodes = {r["kode_wilayah"] for r in export_rows(mariso)}
    assert kodes == {K1, K2, "73.71"}


def test_half_away_from_zero_rounding():
    assert covid.round_half_away(2.675) == 2.68
    assert covid.round_half_away(0.125) == 0.13
    assert covid.round_half_away(-0.125) == -0.13
    assert covid.round_half_away(12.344999) == 12.34
    assert covid.round_half_away(None) is None
    assert covid.round_half_away(float("nan")) is None


def test_rate_exactly_half_rounds_up(store):
    kel = "73.71.02.1001"
    set_population(store, kel, 800_000)
    insert(store, [dict(tanggal=day(n), kode_wilayah=kel, kasus_baru=1 if n == 7 else 0, sembuh_baru=0,
                        meninggal_baru=0) for n in range(1, 8)])
    row = next(r for r in export_rows(store) if r["kode_wilayah"] == kel)
    assert row["kasus_7hari_per_100rb"] == "0.13"     # 0.125 exactly
    assert row["level_ppkm"] == "1" and row["indikator_tersedia"] == "kasus;meninggal"


def test_export_from_a_read_only_store_whose_daily_table_is_behind(tmp_path):
    from covid_fixtures import K1

    from warroom import db, reference
    path = tmp_path / "ro.duckdb"
    con = db.open_store(path, create=True)
    reference.load_reference(con)
    mariso_fixture(con)
    expected = export_rows(con)                      # builds the daily table
    insert(con, [dict(tanggal=day(15), kode_wilayah=K1, kasus_baru=5, sembuh_baru=0, meninggal_baru=0)])
    con.close()
    ro = db.connect(path, read_only=True)
    try:
        assert not covid.is_fresh(ro)
        rows = export_rows(ro)
    finally:
        ro.close()
    by_key = {(r["tanggal"], r["kode_wilayah"]): r for r in rows}
    assert by_key[("2026-11-15", K1)]["kasus_7hari_per_100rb"] == str(9 + 10 + 11 + 12 + 13 + 14 + 5)
    assert len(rows) == len(expected) + 4          # 15 Nov for K1, K2, Mariso and the city
