"""The query layer: named SQL files, bound parameters, exact results on a small fixture database."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from warroom import db, lineage

WITA = ZoneInfo("Asia/Makassar")


def _upload(con, monkeypatch, at: str, dataset: str, opd: str, user: str, status: str = "accepted") -> int:
    monkeypatch.setenv("WARROOM_NOW", at)
    return lineage.new_upload(con, dataset=dataset, kode_opd=opd, username=user, file_name=f"{dataset}.csv",
                              sha256="0" * 64, status=status)


@pytest.fixture
def small(store, monkeypatch):
    """The real reference data plus a handful of hand-made rows in four datasets."""
    con = store
    with db.write_transaction(con):
        dinkes = _upload(con, monkeypatch, "2026-11-27T08:00:00+08:00", "covid19_harian", "DINKES", "budi")
        con.execute("INSERT INTO covid19_harian (tanggal, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, "
                    "sumber_opd, upload_id) VALUES (DATE '2026-11-25', '73.71.01.1001', 3, 1, 0, 'DINKES', $u), "
                    "(DATE '2026-11-26', '73.71.01.1002', 2, 0, 0, 'DINKES', $u)", {"u": dinkes})
        satgas = _upload(con, monkeypatch, "2026-11-28T09:00:00+08:00", "covid19_harian", "SATGAS_COVID", "sari")
        con.execute("INSERT INTO covid19_harian (tanggal, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, "
                    "sumber_opd, upload_id) VALUES (DATE '2026-11-24', '73.71.01', 4, 0, 0, 'SATGAS_COVID', ?)",
                    [satgas])
        # A refused upload is in the log but is nobody's "last upload".
        _upload(con, monkeypatch, "2026-11-28T11:00:00+08:00", "covid19_harian", "DINKES", "iseng", "refused")
        kinerja = _upload(con, monkeypatch, "2026-11-20T14:30:00+08:00", "kinerja_opd", "DISHUB", "rina")
        con.execute("INSERT INTO kinerja_opd (kode_opd, kode_indikator, nama_indikator, satuan, arah, periode, "
                    "target, realisasi, sumber_opd, upload_id) VALUES "
                    "('DISHUB', 'DISHUB-1', 'Lampu lalu lintas berfungsi', '%', 'naik', '2026-09', 95, 90, 'DISHUB', $u), "
                    "('DISHUB', 'DISHUB-1', 'Lampu lalu lintas berfungsi', '%', 'naik', '2026-10', 95, NULL, 'DISHUB', $u), "
                    "('DISHUB', 'DISHUB-2', 'Kecelakaan', 'kejadian', 'turun', '2026-Q2', 40, 35, 'DISHUB', $u), "
                    "('DISHUB', 'DISHUB-3', 'Uji KIR', '%', 'naik', '2025', 90, 91, 'DISHUB', $u)", {"u": kinerja})
        cctv = _upload(con, monkeypatch, "2026-11-28T07:15:00+08:00", "cctv", "DISHUB", "rina")
        con.execute("INSERT INTO cctv (kode_cctv, nama_lokasi, latitude, longitude, status, terakhir_aktif, "
                    "sumber_opd, upload_id) VALUES ('C1', 'Simpang Jl. Urip Sumoharjo', -5.13, 119.44, 'online', "
                    "TIMESTAMP '2026-11-27 23:59:00', 'DISHUB', ?)", [cctv])
    return con


def test_dataset_status_exact(small):
    got = sorted(db.query_rows(small, "dataset_status"))
    system_load = datetime(2026, 11, 28, 10, 0, tzinfo=WITA)
    assert got == [
        ("aplikasi", 0, None, None, None, None),
        ("cctv", 1, "2026-11-27", datetime(2026, 11, 28, 7, 15, tzinfo=WITA), "rina", "DISHUB"),
        ("covid19_harian", 3, "2026-11-26", datetime(2026, 11, 28, 9, 0, tzinfo=WITA), "sari", "SATGAS_COVID"),
        ("fasyankes", 0, None, None, None, None),
        # A quarter counts as its last month and a year as December; the unreported October does not count.
        ("kinerja_opd", 4, "2026-09", datetime(2026, 11, 20, 14, 30, tzinfo=WITA), "rina", "DISHUB"),
        ("menara_bts", 0, None, None, None, None),
        ("opd", 24, None, system_load, "system", "DISKOMINFO"),
        ("wilayah", 170, None, system_load, "system", "DISKOMINFO"),
    ]


@pytest.mark.parametrize("kota, expected", [
    ("73.71", [("kecamatan", 15, 1_482_354), ("kelurahan", 153, 1_482_354), ("kota", 1, 1_482_354)]),
    ("73.71.01", [("kecamatan", 1, 60_369), ("kelurahan", 9, 60_369)]),
    ("73.71.15", [("kecamatan", 1, 16_421), ("kelurahan", 3, 16_421)]),
    ("92.01", []),
])
def test_wilayah_counts_exact(small, kota, expected):
    assert sorted(db.query_rows(small, "wilayah_counts", {"kota": kota})) == expected


def test_parameters_are_bound_not_formatted(small):
    # Formatted into the SQL this would match every row; bound, it is just an unknown code.
    assert db.query_rows(small, "wilayah_counts", {"kota": "x' or true or kode_wilayah = '"}) == []
    df = db.query_df(small, "wilayah_counts", {"kota": "73.71"})
    assert list(df.columns) == ["tingkat", "jumlah", "penduduk"]


def test_a_missing_parameter_is_an_error_not_an_empty_result(small):
    with pytest.raises(Exception, match="kota"):
        db.query_rows(small, "wilayah_counts", {})


@pytest.mark.parametrize("name", ["../warroom/schema", "dataset_status; drop table wilayah", "dataset-status",
                                  "queries/dataset_status", ""])
def test_load_query_refuses_bad_names(name):
    with pytest.raises(ValueError, match="bad query name"):
        db.load_query(name)


def test_load_query_names_an_unknown_query():
    with pytest.raises(KeyError, match="no query named 'no_such_query'"):
        db.load_query("no_such_query")


def test_every_query_file_is_lower_case_sql_named_after_what_it_returns():
    from warroom.config import QUERY_DIR
    names = sorted(p.stem for p in QUERY_DIR.glob("*.sql"))
    assert {"dataset_status", "wilayah_counts"} <= set(names)
    for name in names:
        assert name == name.lower() and name.replace("_", "").isalnum(), name
        assert db.load_query(name).strip(), name


def test_rows_as_dicts_is_the_one_row_to_dict_loop(store):
    cur = store.execute("SELECT * FROM (VALUES (1, 'a'), (2, NULL)) t(n, s) ORDER BY n")
    assert db.rows_as_dicts(cur) == [{"n": 1, "s": "a"}, {"n": 2, "s": None}]
    assert db.rows_as_dicts(store.execute("SELECT 1 AS n WHERE false")) == []
    cur = store.execute("SELECT 1 AS n, 'x' AS s UNION ALL SELECT 2, 'y' ORDER BY n")
    assert db.row_as_dict(cur) == {"n": 1, "s": "x"}
    assert db.row_as_dict(cur) == {"n": 2, "s": "y"}
    assert db.row_as_dict(cur) is None
