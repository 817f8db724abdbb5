"""Reference data loaded from the real files: codes, names, parents, BPS codes, population, boundaries."""
from __future__ import annotations

import csv
from pathlib import Path

from warroom import reference

# The shared Kemendagri list (with BPS codes), shipped in the repository as is.
SHARED_LIST = Path(__file__).resolve().parent.parent / "data" / "reference" / "makassar_kode_wilayah.csv"


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def test_exact_counts_per_level(store):
    assert dict(rows(store, "SELECT tingkat, count(*) FROM wilayah GROUP BY 1")) == {
        "provinsi": 1, "kota": 1, "kecamatan": 15, "kelurahan": 153}


def test_the_169_codes_are_exactly_the_shared_list(store):
    with open(SHARED_LIST, encoding="utf-8-sig", newline="") as fh:
        shared = [(r["kode_kemendagri"], r["nama"], r["tingkat"], r["kode_induk"], r["kode_bps_mfd2018"] or None)
                  for r in csv.DictReader(fh)]
    assert len(shared) == 169
    stored = rows(store, "SELECT kode_wilayah, nama, tingkat, kode_induk, kode_bps FROM wilayah "
                         "WHERE kode_wilayah <> '73' ORDER BY kode_wilayah")
    assert stored == sorted(shared)


def test_a_few_exact_names_parents_and_bps_codes(store):
    got = rows(store, "SELECT kode_wilayah, nama, tingkat, kode_induk, kode_bps FROM wilayah WHERE kode_wilayah IN "
                      "('73', '73.71', '73.71.10', '73.71.15', '73.71.01.1001', '73.71.11.1002', '73.71.01.1004') "
                      "ORDER BY 1")
    assert got == [
        ("73", "Sulawesi Selatan", "provinsi", None, "73"),
        ("73.71", "Kota Makassar", "kota", "73", "7371"),
        ("73.71.01.1001", "Bontorannu", "kelurahan", "73.71.01", "7371010001"),
        ("73.71.01.1004", "Lette", "kelurahan", "73.71.01", None),     # not in the 2018 BPS list
        ("73.71.10", "Tamalate", "kecamatan", "73.71", "7371030"),     # BPS order differs from Kemendagri's
        ("73.71.11.1002", "Daya", "kelurahan", "73.71.11", "7371110005"),
        ("73.71.15", "Kepulauan Sangkarrang", "kecamatan", "73.71", "7371081"),
    ]
    assert rows(store, "SELECT count(*) FROM wilayah WHERE tingkat = 'kelurahan' AND kode_bps IS NULL") == [(5,)]


def test_every_parent_exists_one_level_up(store):
    assert rows(store, """
        SELECT c.tingkat, p.tingkat, count(*) FROM wilayah c JOIN wilayah p ON c.kode_induk = p.kode_wilayah
        GROUP BY ALL ORDER BY 3""") == [("kota", "provinsi", 1), ("kecamatan", "kota", 15),
                                          ("kelurahan", "kecamatan", 153)]


def test_population_rules(store):
    city = rows(store, "SELECT penduduk, tahun_penduduk, sumber_penduduk FROM wilayah WHERE kode_wilayah = '73.71'")
    assert city == [(1_482_354, 2025, "Kemendagri 2025 (Kepmendagri 300.2.2-2138/2025)")]
    sangkarrang = rows(store, "SELECT penduduk, tahun_penduduk, sumber_penduduk FROM wilayah "
                              "WHERE kode_wilayah = '73.71.15'")[0]
    assert sangkarrang[:2] == (16_421, None) and sangkarrang[2].startswith("perkiraan")
    # The BNPB snapshot for the 14 others, year not stated by the source.
    assert rows(store, "SELECT count(*), sum(penduduk), count(tahun_penduduk) FROM wilayah "
                       "WHERE tingkat = 'kecamatan' AND sumber_penduduk LIKE 'BNPB%'") == [(14, 1_465_933, 0)]
    assert rows(store, "SELECT penduduk FROM wilayah WHERE kode_wilayah = '73.71.01'") == [(60_369,)]
    assert rows(store, "SELECT sum(penduduk) FROM wilayah WHERE tingkat = 'kecamatan'") == [(1_482_354,)]
    # Kelurahan: estimates by area share that add up exactly to their kecamatan.
    assert rows(store, """
        SELECT count(*) FROM wilayah k JOIN (
            SELECT kode_induk, sum(penduduk) AS total FROM wilayah WHERE tingkat = 'kelurahan' GROUP BY 1
        ) s ON s.kode_induk = k.kode_wilayah WHERE k.penduduk <> s.total""") == [(0,)]
    assert rows(store, "SELECT count(*) FROM wilayah WHERE tingkat = 'kelurahan' AND penduduk IS NOT NULL "
                       "AND sumber_penduduk LIKE 'perkiraan%'") == [(153,)]
    # Bontorannu: 60,369 x 0.3095 / 2.8837 km2 = 6,479.25; its remainder .25 is not among Mariso's 4 largest.
    assert rows(store, "SELECT penduduk FROM wilayah WHERE kode_wilayah = '73.71.01.1001'") == [(6_479,)]


def test_largest_remainder_split_is_exact():
    assert reference.largest_remainder(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert reference.largest_remainder(7, {"x": 0.2, "y": 0.8}) == {"x": 1, "y": 6}


def test_boundaries_for_every_kecamatan_and_kelurahan(store):
    assert dict(rows(store, "SELECT tingkat, count(*) FROM batas_wilayah GROUP BY 1")) == {
        "kecamatan": 15, "kelurahan": 153}
    assert rows(store, "SELECT count(*) FROM batas_wilayah b ANTI JOIN wilayah w USING (kode_wilayah)") == [(0,)]
    assert rows(store, "SELECT count(*) FROM wilayah w ANTI JOIN batas_wilayah b USING (kode_wilayah) "
                       "WHERE w.tingkat IN ('kecamatan', 'kelurahan')") == [(0,)]


def test_opd_list_is_loaded_by_the_walidata(store):
    opd = dict(rows(store, "SELECT kode_opd, nama_opd FROM opd"))
    assert len(opd) == 24
    assert opd["DISKOMINFO"] == "Dinas Komunikasi dan Informatika"
    assert {"DINKES", "DISHUB", "SATGAS_COVID", "BAPPEDA", "DPMPTSP", "BPBD"} <= opd.keys()
    assert rows(store, "SELECT DISTINCT u.kode_opd, u.username FROM opd JOIN uploads u USING (upload_id)") == [
        ("DISKOMINFO", "system")]


def test_loading_reference_again_changes_nothing(store):
    before = rows(store, "SELECT count(*), max(upload_id) FROM wilayah")
    assert reference.load_reference(store) == {"wilayah": False, "opd": False}
    assert rows(store, "SELECT count(*), max(upload_id) FROM wilayah") == before
    assert rows(store, "SELECT count(*) FROM batas_wilayah") == [(168,)]
