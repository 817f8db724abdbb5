"""Small pieces of the gate: header names, code and name resolution, number formats,
the export registry, and readers during an upload."""
from __future__ import annotations

import threading

import pytest

from warroom import exports
from warroom.db import write_transaction
from warroom.ingest import ingest_file
from warroom.ingest.codes import WilayahIndex
from warroom.ingest.headers import normalise


def test_header_normalisation():
    assert [normalise(h) for h in ["\ufeffTanggal", " Kode Wilayah ", "KASUS-BARU", "sembuh_baru"]] == [
        "tanggal", "kode_wilayah", "kasus_baru", "sembuh_baru"]


def test_region_codes_and_names(store):
    idx = WilayahIndex.from_db(store)
    got = {raw: (r.code, r.problem, r.via) for raw in
           ["73.71.01", "737101", "7371010", "7371011001", "7371010001", "7371031001", "73.71.99", "7371",
            "MARISO", "kel. mariso", "Kecamatan Mariso", "Rappocinni", "Sulawesi Selatan"]
           for r in [idx.resolve(raw)]}
    assert got == {
        "73.71.01": ("73.71.01", None, "dotted"),
        "737101": ("73.71.01", None, "kemendagri"),
        "7371010": ("73.71.01", None, "bps"),
        "7371011001": ("73.71.01.1001", None, "kemendagri"),
        "7371010001": ("73.71.01.1001", None, "bps"),
        "7371031001": (None, "code.ambiguous", None),
        "73.71.99": (None, "code.unknown", None),
        "7371": ("73.71", None, "kemendagri"),
        "MARISO": ("73.71.01", None, "name"),
        "kel. mariso": ("73.71.01.1006", None, "name"),
        "Kecamatan Mariso": ("73.71.01", None, "name"),
        "Rappocinni": (None, "name.unknown", None),
        "Sulawesi Selatan": ("73", None, "name"),
    }


@pytest.mark.parametrize("text,delim_note,expected", [
    ("kode_aplikasi;nama_aplikasi;kode_opd;status;ketersediaan_persen\nA;X;DISKOMINFO;aktif;1.234,5\n", "comma",
     None),   # 1234.5 is not a percentage: refused
    ("kode_aplikasi;nama_aplikasi;kode_opd;status;ketersediaan_persen\nA;X;DISKOMINFO;aktif;99.5\n", None, 99.5),
    ("kode_aplikasi,nama_aplikasi,kode_opd,status,ketersediaan_persen\nA,X,DISKOMINFO,aktif,\" 87,5 % \"\n",
     "comma", 87.5),
])
def test_number_formats(store, text, delim_note, expected):
    r = ingest_file(store, "aplikasi", text.encode(), kode_opd="DISKOMINFO", username="t", lang="en")
    if expected is None:
        assert [(p.row, p.column, p.code, p.value) for p in r.problems] == [
            (2, "ketersediaan_persen", "value.percent_range", "1.234,5")]
    else:
        assert r.accepted, r.render_text()
        assert store.execute("SELECT ketersediaan_persen FROM aplikasi").fetchone()[0] == expected
    assert (delim_note is not None) == any("decimal comma" in n for n in r.notes)


def test_thousands_dots_in_semicolon_file_but_decimal_dot_in_comma_file(store):
    semi = "tanggal;kode_wilayah;kasus_baru;sembuh_baru;meninggal_baru\n2021-11-01;73.71.01;12.500;1.000;0\n"
    assert ingest_file(store, "covid19_harian", semi.encode(), kode_opd="DINKES", username="t").accepted
    assert store.execute("SELECT kasus_baru, sembuh_baru FROM covid19_harian").fetchone() == (12500, 1000)
    comma = "tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n2021-11-02,73.71.01,1.000,1,0\n"
    r = ingest_file(store, "covid19_harian", comma.encode(), kode_opd="DINKES", username="t")
    assert [(p.row, p.column, p.code) for p in r.problems] == [(2, "kasus_baru", "type.int")]


def test_spaces_only_is_missing_not_a_type_error(store):
    text = "tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n2021-11-01,73.71.01,   ,1, 2 \n"
    r = ingest_file(store, "covid19_harian", text.encode(), kode_opd="DINKES", username="t")
    assert [(p.row, p.column, p.code) for p in r.problems] == [(2, "kasus_baru", "value.missing")]


def test_xlsx_without_dataset_sheet_uses_the_first(store):
    import io

    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["kode_opd", "nama_opd"])
    wb.active.append(["DISKOMINFO", "Dinas Komunikasi dan Informatika Kota Makassar"])
    buf = io.BytesIO()
    wb.save(buf)
    r = ingest_file(store, "opd", buf.getvalue(), kode_opd="DISKOMINFO", username="t", lang="en")
    assert r.accepted and (r.rows_updated, r.notes[0]) == (1, 'Excel .xlsx, sheet "Sheet"')


def test_export_registry():
    calls = []

    @exports.register("uji_turunan")
    def derived(con):
        calls.append(con)
        return ["a", "b"], [(1, 2.5), (None, "x")]
    try:
        assert "uji_turunan" in exports.names()
        assert exports.to_bytes("CON", "uji_turunan") == b"a,b\n1,2.5\n,x\n"
        assert calls == ["CON"]
        with pytest.raises(ValueError):
            exports.register("cctv")(derived)
    finally:
        exports.DERIVED.pop("uji_turunan", None)


def test_readers_never_see_a_half_applied_upload(store):
    """A reader on another cursor during an open write transaction sees the last commit."""
    reader = store.cursor()
    started, release = threading.Event(), threading.Event()

    def writer():
        cur = store.cursor()
        with write_transaction(cur):
            cur.execute("INSERT INTO covid19_harian (tanggal, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, "
                        "sumber_opd, upload_id) VALUES ('2021-11-01', '73.71.01', 1, 0, 0, 'DINKES', 99)")
            started.set()
            release.wait(10)

    t = threading.Thread(target=writer)
    t.start()
    started.wait(10)
    assert reader.execute("SELECT count(*) FROM covid19_harian").fetchone()[0] == 0
    release.set()
    t.join()
    assert reader.execute("SELECT count(*) FROM covid19_harian").fetchone()[0] == 1


def test_a_refusal_counts_every_bad_row_beyond_the_listed_ones(store):
    """Refused carries the checks' counts as a declared field: the total is every bad row,
    while each check lists at most MAX_PROBLEMS_PER_CHECK of them."""
    from warroom import ingest
    from warroom.ingest.report import MAX_PROBLEMS_PER_CHECK
    n = MAX_PROBLEMS_PER_CHECK + 7
    from datetime import date, timedelta
    rows = "".join(f"{date(2020, 1, 1) + timedelta(days=i)},73.71.01.1001,-1,0,0\n" for i in range(n))
    result = ingest.ingest_file(store, "covid19_harian",
                                ("tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n" + rows).encode(),
                                kode_opd="DINKES", username="uji", file_name="c.csv", dry_run=True)
    assert not result.accepted
    assert len(result.problems) == MAX_PROBLEMS_PER_CHECK
    assert result.problem_counts == {"value.negative:kasus_baru": n}
    assert result.problems_total == n
