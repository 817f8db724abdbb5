"""Cumulative snapshots as agencies publish them (data standard v2 "Cumulative form") and the
mapping file that reads them: duplicate headers picked by position, a TOTAL row of =SUM()
formulas, pseudo-areas and other cities' rows skipped and counted, the date only in the
file name (a constant), a correction (a total that falls) and an older snapshot sent late."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from warroom import covid, exports
from warroom.ingest import ingest_file
from warroom.ingest import mapping as mapping_mod

ROOT = Path(__file__).resolve().parent.parent

HEADER = ["ID_KEL", "Nama_provinsi", "nama_kota", "nama_kecamatan", "nama_kelurahan", "POSITIF", "Dirawat",
          "Sembuh", "Meninggal", "Self Isolation", "Meninggal", "ID_KEL"]
# (ID_KEL, kelurahan, positif, dirawat, sembuh, meninggal, isolasi, meninggal probable) per month
SNAPSHOTS = {
    "2021-01-31": [("7371011001", "BONTORANNU", 10, 3, 5, 3, 2, 4), ("7371011002", "MATTOANGIN", 4, 1, 1, 0, 2, 0),
                   ("7371011003", "KUNJUNG MAE", 7, 2, 2, 1, 2, 1)],
    # Mattoangin is absent this month; Bontorannu's deaths fall 3 -> 2 (the source corrects itself)
    "2021-02-28": [("7371011001", "BONTORANNU", 15, 2, 9, 2, 4, 5), ("7371011003", "KUNJUNG MAE", 9, 1, 5, 1, 3, 1)],
    "2021-03-31": [("7371011001", "BONTORANNU", 16, 1, 12, 3, 3, 5), ("7371011002", "MATTOANGIN", 6, 1, 3, 1, 1, 0),
                   ("7371011003", "KUNJUNG MAE", 9, 0, 8, 2, 1, 1)],
}
FINAL = {"73.71.01.1001": (16, 12, 3), "73.71.01.1002": (6, 3, 1), "73.71.01.1003": (9, 8, 2)}
MAPPING = {
    "description": "Laporan kumulatif per kelurahan (bulanan); tanggal hanya di nama berkas",
    "sheet": "Data Kelurahan",
    "columns": {"#1": "kode_wilayah", "POSITIF": "kasus_kumulatif", "Sembuh": "sembuh_kumulatif",
                "#9": "meninggal_kumulatif", "#11": None, "Dirawat": "dirawat", "Self Isolation": "isolasi_mandiri"},
    "other_columns": "ignore",
    "skip_rows_where": {"nama_kelurahan": ["TOTAL"], "#1": ["LUAR KOTA MAKASSAR", "BELUM DIKETAHUI",
                                                           "PROSES UPDATE DATA"]},
    "outside_region": "skip",
}


def workbook(rows) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "Catatan"
    wb.active.append(["Sumber: Dinas Kesehatan"])
    ws = wb.create_sheet("Data Kelurahan")
    ws.append(HEADER)
    for kode, kel, pos, rawat, sembuh, mati, iso, probable in rows:
        ws.append([kode, "SULAWESI SELATAN", "KOTA MAKASSAR", "MARISO", kel, pos, rawat, sembuh, mati, iso,
                   probable, kode])
    ws.append(["LUAR KOTA MAKASSAR", "SULAWESI SELATAN", "", "", "LUAR KOTA MAKASSAR", 3, 0, 1, 0, 2, 0, ""])
    ws.append(["BELUM DIKETAHUI", "SULAWESI SELATAN", "", "", "BELUM DIKETAHUI", 2, 0, 0, 1, 1, 0, ""])
    ws.append(["PROSES UPDATE DATA", "SULAWESI SELATAN", "", "", "PROSES UPDATE DATA", 1, 0, 0, 0, 1, 0, ""])
    # two kelurahan of another city of the province (Kota Parepare 73.72): well-formed, outside
    ws.append(["7372011001", "SULAWESI SELATAN", "KOTA PAREPARE", "BACUKIKI", "GALUNG MALOANG", 5, 1, 3, 1, 0, 0, ""])
    ws.append(["7372011002", "SULAWESI SELATAN", "KOTA PAREPARE", "BACUKIKI", "LEMOE", 2, 0, 2, 0, 0, 0, ""])
    last = ws.max_row
    ws.append(["", "", "", "", "TOTAL"] + [f"=SUM({c}2:{c}{last})" for c in "FGHIJK"] + [""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def file_name(tanggal: str) -> str:
    y, m, d = tanggal.split("-")
    return f"Standar_Kelurahan_Data_Corona_{d}_{['JANUARI', 'FEBRUARI', 'MARET'][int(m) - 1]}_{y}.xlsx"


def send(con, tanggal: str, mapping=MAPPING, **kw):
    full = mapping_mod.with_constants(mapping, {"tanggal": tanggal})
    return ingest_file(con, "covid19_harian", workbook(SNAPSHOTS[tanggal]), kode_opd="DINKES", username="t",
                       file_name=file_name(tanggal), mapping=full, **kw)


def stored(con):
    return con.execute("SELECT tanggal::VARCHAR, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, dirawat, "
                       "isolasi_mandiri, kasus_kumulatif, sembuh_kumulatif, meninggal_kumulatif, koreksi "
                       "FROM covid19_harian ORDER BY kode_wilayah, tanggal").fetchall()


EXPECTED_ROWS = [
    ("2021-01-31", "73.71.01.1001", 10, 5, 3, 3, 2, 10, 5, 3, False),
    ("2021-02-28", "73.71.01.1001", 5, 4, -1, 2, 4, 15, 9, 2, True),
    ("2021-03-31", "73.71.01.1001", 1, 3, 1, 1, 3, 16, 12, 3, False),
    ("2021-01-31", "73.71.01.1002", 4, 1, 0, 1, 2, 4, 1, 0, False),
    ("2021-03-31", "73.71.01.1002", 2, 2, 1, 1, 1, 6, 3, 1, False),
    ("2021-01-31", "73.71.01.1003", 7, 2, 1, 2, 2, 7, 2, 1, False),
    ("2021-02-28", "73.71.01.1003", 2, 3, 0, 1, 3, 9, 5, 1, False),
    ("2021-03-31", "73.71.01.1003", 0, 3, 1, 0, 1, 9, 8, 2, False),
]


def sums(con):
    return {k: (a, b, c) for k, a, b, c in con.execute(
        "SELECT kode_wilayah, sum(kasus_baru), sum(sembuh_baru), sum(meninggal_baru) FROM covid19_harian "
        "WHERE sumber_opd = 'DINKES' GROUP BY 1").fetchall()}


def test_snapshots_in_order_store_differences_and_a_flagged_correction(store):
    results = [send(store, d) for d in SNAPSHOTS]
    assert [r.accepted for r in results] == [True, True, True], results[0].render_text()
    assert stored(store) == EXPECTED_ROWS
    assert sums(store) == FINAL
    # the verdict says what was read, skipped (by reason), derived and corrected
    notes = results[1].notes
    assert results[1].rows_total == 8
    assert 'Excel .xlsx, lembar "Data Kelurahan"' in notes
    assert 'tanggal = "2021-02-28" untuk setiap baris (konstanta)' in notes
    assert '3 baris dilewati: #1 = "LUAR KOTA MAKASSAR", "BELUM DIKETAHUI", "PROSES UPDATE DATA"' in notes
    assert '1 baris dilewati: nama_kelurahan = "TOTAL"' in notes
    assert "2 baris dilewati: kode wilayah di luar Kota Makassar (73.72)" in notes
    assert "2 dari 8 baris dibaca sebagai data" in notes
    assert ("meninggal_kumulatif: 2 angka harian diturunkan dari total kumulatif, 1 di antaranya koreksi "
            "(total turun, disimpan negatif dan ditandai koreksi)") in notes
    assert (results[1].rows_inserted, results[1].rows_updated) == (2, 0)


def test_an_older_snapshot_sent_late_recomputes_what_follows_and_rollback_restores(store):
    first, third = send(store, "2021-01-31"), send(store, "2021-03-31")
    assert store.execute("SELECT meninggal_baru FROM covid19_harian WHERE kode_wilayah = '73.71.01.1001' "
                         "AND tanggal = '2021-03-31'").fetchone() == (0,)
    late = send(store, "2021-02-28")
    assert late.accepted and (late.rows_inserted, late.rows_updated) == (2, 2)
    assert "2 baris tersimpan sesudah tanggal kiriman ini dihitung ulang dari total kumulatifnya" in late.notes
    assert stored(store) == EXPECTED_ROWS
    assert sums(store) == FINAL
    from warroom.rollback import rollback_upload
    rollback_upload(store, late.upload_id, "walidata")
    assert store.execute("SELECT meninggal_baru, koreksi FROM covid19_harian WHERE kode_wilayah = '73.71.01.1001' "
                         "AND tanggal = '2021-03-31'").fetchone() == (0, False)
    assert sums(store) == FINAL
    assert first.accepted and third.accepted


def test_per_area_table_export_and_round_trip_include_the_correction(store):
    for d in SNAPSHOTS:
        assert send(store, d).accepted
    covid.ensure_daily(store)
    got = store.execute("SELECT kode_wilayah, meninggal_baru, meninggal_kumulatif, aktif FROM covid19_wilayah_harian "
                        "WHERE tanggal = '2021-02-28' AND kode_wilayah IN ('73.71.01.1001', '73.71.01') "
                        "ORDER BY 1").fetchall()
    # kecamatan 73.71.01 = its kelurahan (Mattoangin as in January): the correction included
    assert got == [("73.71.01", -1, 2 + 0 + 1, (15 + 4 + 9) - (9 + 1 + 5) - (2 + 0 + 1)), ("73.71.01.1001", -1, 2, 15 - 9 - 2)]
    text = exports.to_bytes(store, "covid19_harian").decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    corrected = [r for r in rows if r["koreksi"] == "true"]
    assert [(r["tanggal"], r["kode_wilayah"], r["meninggal_baru"]) for r in corrected] == [
        ("2021-02-28", "73.71.01.1001", "-1")]
    # an export sent back by the walidata gives the same rows
    store.execute("DELETE FROM covid19_harian")
    back = ingest_file(store, "covid19_harian", text.encode(), kode_opd="DISKOMINFO", username="w")
    assert back.accepted, back.render_text()
    assert exports.to_bytes(store, "covid19_harian").decode().replace(f",{back.upload_id}\n", "\n") == \
        "".join(line.rsplit(",", 1)[0] + "\n" for line in text.splitlines(keepends=False)).replace(
            "koreksi,sumber_opd\n", "koreksi,sumber_opd,upload_id\n", 1)


def test_daily_counts_sent_by_an_agency_stay_non_negative(store):
    r = ingest_file(store, "covid19_harian", b"tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru,"
                    b"meninggal_kumulatif\n2021-01-31,73.71.01.1001,-1,0,0,4\n", kode_opd="DINKES", username="t")
    assert not r.accepted
    assert [p.code for p in r.problems] == ["header.both_forms"]
    r = ingest_file(store, "covid19_harian", b"tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_kumulatif\n"
                    b"2021-01-31,73.71.01.1001,-1,0,\n", kode_opd="DINKES", username="t")
    assert sorted((p.code, p.column) for p in r.problems) == [("value.missing", "meninggal_kumulatif"),
                                                               ("value.negative", "kasus_baru")]
    assert store.execute("SELECT count(*) FROM covid19_harian").fetchone() == (0,)


def test_mapping_problems_are_refused_clearly(store):
    by_name = json.loads(json.dumps(MAPPING))
    del by_name["columns"]["#9"], by_name["columns"]["#11"]
    by_name["columns"]["Meninggal"] = "meninggal_kumulatif"
    r = send(store, "2021-01-31", by_name)
    assert [(p.code, p.value) for p in r.problems] == [("header.ambiguous", "Meninggal")]
    assert r.problems[0].reason == ('Judul kolom "Meninggal" muncul lebih dari sekali (#9, #11): '
                                    'pemetaan tidak tahu yang mana.')
    assert r.problems[0].suggestion == 'Sebut kolomnya menurut posisi, misalnya "#9", dan abaikan yang lain.'
    # without outside_region: skip, other cities' rows are refused with one reason, counted
    strict = {k: v for k, v in MAPPING.items() if k != "outside_region"}
    r = send(store, "2021-01-31", strict)
    assert r.problem_counts == {"code.outside_region:kode_wilayah": 2}
    assert [p.row for p in r.problems] == [8, 9]
    # a refused column layout
    r = send(store, "2021-01-31", dict(MAPPING, other_columns="refuse"))
    assert {p.value for p in r.problems if p.code == "header.unexpected"} == {
        "Nama_provinsi", "nama_kota", "nama_kecamatan", "nama_kelurahan", "ID_KEL"}
    r = send(store, "2021-01-31", dict(MAPPING, sheet="Tidak Ada"))
    assert [(p.code, p.reason) for p in r.problems] == [
        ("mapping.sheet", 'Lembar "Tidak Ada" tidak ada dalam berkas (ada: Catatan, Data Kelurahan).')]
    r = send(store, "2021-01-31", dict(MAPPING, columns=dict(MAPPING["columns"], **{"#40": "dirawat"})))
    assert [p.code for p in r.problems] == ["mapping.position"]
    r = ingest_file(store, "covid19_harian", workbook(SNAPSHOTS["2021-01-31"]), kode_opd="DINKES", username="t",
                    mapping=dict(MAPPING, outside_region="maybe"))
    assert [p.code for p in r.problems] == ["mapping.invalid"]
    # no date at all: the required tanggal is missing
    r = ingest_file(store, "covid19_harian", workbook(SNAPSHOTS["2021-01-31"]), kode_opd="DINKES", username="t",
                    mapping=MAPPING)
    assert [(p.code, p.column) for p in r.problems] == [("header.missing", "tanggal")]
    assert store.execute("SELECT count(*) FROM covid19_harian").fetchone() == (0,)


def test_command_line_map_and_set(store_file, tmp_path):
    mapping = tmp_path / "kumulatif.json"
    mapping.write_text(json.dumps(MAPPING))
    for tanggal in SNAPSHOTS:
        path = tmp_path / file_name(tanggal)
        path.write_bytes(workbook(SNAPSHOTS[tanggal]))
        out = subprocess.run([sys.executable, "-m", "warroom", "ingest", "covid19_harian", str(path), "--opd",
                              "DINKES", "--map", str(mapping), "--set", "tanggal=1999-01-01", "--set",
                              f"tanggal={tanggal}", "--db", str(store_file)],
                             cwd=ROOT, capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.splitlines()[0] == "DITERIMA: unggahan #5 (covid19_harian): 9 baris; 3 baru, 0 diubah, 0 tetap."
    assert ("catatan: meninggal_kumulatif: 3 angka harian diturunkan dari total kumulatif, 0 di antaranya koreksi "
            "(total turun, disimpan negatif dan ditandai koreksi)") in out.stdout.splitlines()
    bad = subprocess.run([sys.executable, "-m", "warroom", "ingest", "covid19_harian", str(path), "--opd", "DINKES",
                          "--map", str(mapping), "--set", "tanggal", "--db", str(store_file)],
                         cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "expected FIELD=VALUE" in bad.stderr
    import duckdb
    con = duckdb.connect(str(store_file), read_only=True)
    try:
        assert sums(con) == FINAL
    finally:
        con.close()


@pytest.mark.parametrize("flat", [True, False])
def test_flat_mapping_stays_valid_and_positions_work_in_it(store, flat):
    text = (b"Tgl,Kode,Kasus,Kasus,Sembuh,Mati\n2021-01-31,73.71.01.1001,1,99,0,0\n")
    columns = {"Tgl": "tanggal", "Kode": "kode_wilayah", "#3": "kasus_baru", "#4": None, "Sembuh": "sembuh_baru",
               "Mati": "meninggal_baru"}
    r = ingest_file(store, "covid19_harian", text, kode_opd="DINKES", username="t",
                    mapping=columns if flat else {"columns": columns})
    assert r.accepted, r.render_text()
    assert store.execute("SELECT kasus_baru, koreksi FROM covid19_harian").fetchall() == [(1, None)]


def test_weekly_sums_rates_and_conflicts_include_the_correction(store):
    for d in SNAPSHOTS:
        assert send(store, d).accepted
    # another sender's daily figure for the corrected day disagrees with the producer's -1
    other = ingest_file(store, "covid19_harian", b"tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n"
                        b"2021-02-28,73.71.01.1001,5,4,0\n", kode_opd="SATGAS_COVID", username="s")
    assert other.accepted
    from warroom import conflicts
    found = [(c["kolom"], c["sumber_opd"], c["nilai"], c["nilai_resmi"]) for c in conflicts.all_conflicts(
        store, "covid19_harian") if c["jenis"] == "antar_pengirim"]
    assert found == [("meninggal_baru", "SATGAS_COVID", 0, -1)]
    covid.ensure_daily(store)
    week, rate, penduduk = store.execute(
        "SELECT meninggal_7hari, meninggal_7hari_per_100rb, penduduk FROM covid19_wilayah_harian "
        "WHERE tanggal = '2021-02-28' AND kode_wilayah = '73.71.01.1001'").fetchone()
    assert week == -1 and rate == -1 * 100000.0 / penduduk
