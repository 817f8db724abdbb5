"""Upsert counts, senders beside the producer, rollback, export round trip, the real
Sulsel series and conflicts: exact values from small known files."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from warroom import conflicts, datasets, exports
from warroom.ingest import ingest_file
from warroom.ingest.engine import walidata_of
from warroom.rollback import RollbackRefused, rollback_upload

ROOT = Path(__file__).resolve().parent.parent
SULSEL = ROOT / "data" / "reference" / "covid_sulsel_daily_satgas_danish1311.csv"
SULSEL_MAP = ROOT / "data" / "mappings" / "covid_sulsel_satgas_danish1311.json"
HEAD = "tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru\n"


def send(con, text: str, opd: str = "DINKES", dataset: str = "covid19_harian"):
    r = ingest_file(con, dataset, (HEAD + text).encode() if dataset == "covid19_harian" else text.encode(),
                    kode_opd=opd, username="t", lang="en")
    assert r.accepted, r.render_text()
    return r


def covid(con) -> list[tuple]:
    return con.execute("SELECT tanggal::VARCHAR, kode_wilayah, sumber_opd, kasus_baru, upload_id "
                       "FROM covid19_harian ORDER BY 1, 2, 3").fetchall()


def test_upsert_counts_and_replaced_rows(store):
    a = send(store, "2021-11-01,73.71.01,5,0,0\n2021-11-02,73.71.01,6,0,0\n")
    assert (a.rows_inserted, a.rows_updated, a.rows_unchanged) == (2, 0, 0)
    b = send(store, "2021-11-02,73.71.01,6,0,0\n2021-11-01,73.71.01,7,0,0\n2021-11-03,73.71.01,1,0,0\n")
    assert (b.rows_total, b.rows_inserted, b.rows_updated, b.rows_unchanged) == (3, 1, 1, 1)
    assert covid(store) == [("2021-11-01", "73.71.01", "DINKES", 7, b.upload_id),
                            ("2021-11-02", "73.71.01", "DINKES", 6, b.upload_id),
                            ("2021-11-03", "73.71.01", "DINKES", 1, b.upload_id)]
    assert store.execute("SELECT tanggal::VARCHAR, kasus_baru, upload_id, replaced_by FROM covid19_harian__replaced "
                         "ORDER BY 1").fetchall() == [("2021-11-01", 5, a.upload_id, b.upload_id),
                                                      ("2021-11-02", 6, a.upload_id, b.upload_id)]
    row = store.execute("SELECT rows_total, rows_inserted, rows_updated, rows_unchanged, status, username, file_name "
                        "FROM uploads WHERE upload_id = ?", [b.upload_id]).fetchone()
    assert row == (3, 1, 1, 1, "accepted", "t", None)


def test_cosender_rows_stored_beside_producer(store):
    p = send(store, "2021-11-01,73.71.01,5,0,0\n")
    s = send(store, "2021-11-01,73.71.01,8,0,0\n", opd="SATGAS_COVID")
    assert s.rows_inserted == 1
    assert covid(store) == [("2021-11-01", "73.71.01", "DINKES", 5, p.upload_id),
                            ("2021-11-01", "73.71.01", "SATGAS_COVID", 8, s.upload_id)]


def test_data_version_bumps_on_accept_and_refusal(store):
    from warroom.db import data_version
    v0 = data_version(store)
    send(store, "2021-11-01,73.71.01,5,0,0\n")
    assert data_version(store) == v0 + 1
    ingest_file(store, "covid19_harian", (HEAD + "x,73.71.01,5,0,0\n").encode(), kode_opd="DINKES", username="t")
    assert data_version(store) == v0 + 2


def test_rollback_restores_and_refuses_while_replaced(store):
    a = send(store, "2021-11-01,73.71.01,5,0,0\n2021-11-02,73.71.01,6,0,0\n")
    b = send(store, "2021-11-01,73.71.01,7,0,0\n")
    before_b = covid(store)
    c = send(store, "2021-11-05,73.71.02,1,0,0\n")
    with pytest.raises(RollbackRefused) as refused:
        rollback_upload(store, a.upload_id, "walidata")
    assert refused.value.later_upload_ids == [b.upload_id]
    summary = rollback_upload(store, c.upload_id, "walidata")
    assert (summary.rows_removed, summary.rows_restored) == (1, 0)
    assert covid(store) == before_b
    summary = rollback_upload(store, b.upload_id, "walidata")
    assert (summary.rows_removed, summary.rows_restored) == (1, 1)
    assert covid(store) == [("2021-11-01", "73.71.01", "DINKES", 5, a.upload_id),
                            ("2021-11-02", "73.71.01", "DINKES", 6, a.upload_id)]
    rollback_upload(store, a.upload_id, "walidata")
    assert covid(store) == []
    assert store.execute("SELECT count(*) FROM covid19_harian__replaced").fetchone()[0] == 0
    assert store.execute("SELECT status, rolled_back_by FROM uploads WHERE upload_id = ?",
                         [a.upload_id]).fetchone() == ("rolled_back", "walidata")
    with pytest.raises(RollbackRefused) as again:
        rollback_upload(store, a.upload_id, "walidata")
    assert again.value.reason == "not_accepted"


def test_export_then_walidata_ingest_gives_back_the_same_data(store):
    send(store, "2021-11-01,73.71.01,5,1,0\n2021-11-02,73.71.01.1001,6,0,1\n")
    send(store, "2021-11-01,73.71.01,8,2,0\n", opd="SATGAS_COVID")
    send(store, "kode_cctv,nama_lokasi,latitude,longitude,status,terakhir_aktif\n"
                'C1,"Jl. Sudirman, depan ""RSUD""\nsisi barat",-5.1477,119.4327,online,2026-11-27 08:30:05\n',
         opd="DISHUB", dataset="cctv")
    for name in ("covid19_harian", "cctv"):
        exported = exports.to_bytes(store, name)
        store.execute(f"DELETE FROM {name}")
        r = ingest_file(store, name, exported, kode_opd="DISKOMINFO", username="walidata")
        assert r.accepted, r.render_text()
        again = exports.to_bytes(store, name)
        # Same rows and senders; only upload_id (the last column) names the new upload.
        strip = lambda b: [",".join(line.split(",")[:-1]) for line in b.decode().splitlines()]  # noqa: E731
        assert strip(again) == strip(exported)
    assert store.execute("SELECT sumber_opd, kasus_baru FROM covid19_harian WHERE tanggal = '2021-11-01' "
                         "ORDER BY 1").fetchall() == [("DINKES", 5), ("SATGAS_COVID", 8)]


def test_export_is_canonical_csv(store):
    send(store, "01/11/2021,737101,1.234,0,0\n".replace(",1.234,", ",1234,"))
    text = exports.to_bytes(store, "covid19_harian").decode()
    lines = text.splitlines()
    assert lines[0] == ("tanggal,kode_wilayah,kasus_baru,sembuh_baru,meninggal_baru,rawat_inap_baru,dirawat,"
                        "isolasi_mandiri,spesimen_diperiksa,spesimen_positif,kasus_kumulatif,sembuh_kumulatif,"
                        "meninggal_kumulatif,koreksi,sumber_opd,upload_id")
    assert lines[1].startswith("2021-11-01,73.71.01,1234,0,0,,,,,,,,,,DINKES,")


def test_real_sulsel_series_with_committed_mapping(store):
    import json
    mapping = json.loads(SULSEL_MAP.read_text())["columns"]
    r = ingest_file(store, "covid19_harian", SULSEL, kode_opd="SATGAS_COVID", username="t", mapping=mapping)
    assert r.accepted, r.render_text()
    with open(SULSEL, newline="") as fh:
        rows = list(csv.DictReader(fh))
    want = tuple(sum(int(x[c]) for x in rows) for c in ("new_cases", "new_recoveries", "new_deaths"))
    got = store.execute("SELECT sum(kasus_baru), sum(sembuh_baru), sum(meninggal_baru), count(*), "
                        "count(DISTINCT kode_wilayah), min(kode_wilayah), count(rawat_inap_baru) "
                        "FROM covid19_harian").fetchone()
    assert got == (*want, len(rows), 1, "73", 0)
    assert r.rows_total == len(rows) == 501


def test_conflicts_between_senders_and_children(store):
    p = send(store, "2021-11-01,73.71.01,5,0,0\n2021-11-01,73.71.01.1001,2,0,0\n2021-11-01,73.71.01.1002,2,0,0\n")
    s = send(store, "2021-11-01,73.71.01.1001,3,0,0\n2021-11-01,73.71.01.1002,2,0,0\n", opd="SATGAS_COVID")
    got = [(c["jenis"], c["kunci"], c["kolom"], c["sumber_opd"], c["nilai"], c["asal"], c["nilai_resmi"], c["uploads"])
           for c in conflicts.open_conflicts(store)]
    assert got == [
        # DINKES's kecamatan row (5) is not the sum of its kelurahan rows (4).
        ("induk_anak", "2021-11-01 73.71.01", "kasus_baru", "DINKES", 4, "jumlah", 5, [p.upload_id]),
        # SATGAS's own kelurahan row differs from DINKES's.
        ("antar_pengirim", "2021-11-01 73.71.01.1001", "kasus_baru", "SATGAS_COVID", 3, "baris", 2,
         [p.upload_id, s.upload_id]),
    ]
    # SATGAS's kecamatan figure is the sum of its kelurahan (5) and agrees with DINKES's row: no conflict.
    key = conflicts.open_conflicts(store)[1]["conflict_key"]
    conflicts.resolve(store, key, "walidata", "Satgas memakai data sebelum verifikasi")
    assert [c["jenis"] for c in conflicts.open_conflicts(store)] == ["induk_anak"]
    assert conflicts.resolutions(store)[0]["reason"] == "Satgas memakai data sebelum verifikasi"
    with pytest.raises(ValueError):
        conflicts.resolve(store, conflicts.open_conflicts(store)[0]["conflict_key"], "walidata", " ")
    # A new upload touching the figure opens a new conflict; SATGAS's kecamatan sum (6) now
    # also differs from DINKES's own kecamatan row (5).
    send(store, "2021-11-01,73.71.01.1001,4,0,0\n", opd="SATGAS_COVID")
    assert [(c["jenis"], c["kunci"], c["nilai"], c["nilai_resmi"]) for c in conflicts.open_conflicts(store)] == [
        ("antar_pengirim", "2021-11-01 73.71.01", 6, 5), ("induk_anak", "2021-11-01 73.71.01", 4, 5),
        ("antar_pengirim", "2021-11-01 73.71.01.1001", 4, 2)]


def test_walidata_sets():
    assert walidata_of(datasets.get("kinerja_opd")) == {"DISKOMINFO", "BAPPEDA"}
    assert walidata_of(datasets.get("cctv")) == {"DISKOMINFO"}


def test_every_dataset_round_trips_through_export_and_walidata_ingest(store):
    """The demo data of every dataset: exported, deleted, ingested back by the walidata:
    the same rows, values and senders (only upload_id names the new upload)."""
    from datetime import date

    from warroom import demo
    demo.load_demo(store, as_of=date(2026, 11, 28), scale=1, seed=7371)
    for name in datasets.ALL:
        exported = exports.to_bytes(store, name)
        assert exported.count(b"\n") > 1, name
        store.execute(f"DELETE FROM {name}")
        r = ingest_file(store, name, exported, kode_opd="DISKOMINFO", username="walidata")
        assert r.accepted, (name, r.render_text()[:2000])
        strip = lambda b: [line.rsplit(",", 1)[0] for line in b.decode().splitlines()]  # noqa: E731
        assert strip(exports.to_bytes(store, name)) == strip(exported), name
