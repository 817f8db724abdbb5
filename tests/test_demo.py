"""The demo database: deterministic, ends at as_of, real places, conflicts to resolve, labelled as demo."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from warroom import datasets, db, demo, lineage, reference
from warroom.cli import main
from warroom.demo import covid, kinerja

AS_OF = date(2026, 11, 28)
SEED = 7371


def build(seed: int = SEED, as_of: date = AS_OF, scale: int = 1):
    con = db.open_store(":memory:", create=True)
    reference.load_reference(con)
    counts = demo.load_demo(con, as_of=as_of, scale=scale, seed=seed)
    return con, counts


def checksums(con) -> dict[str, str]:
    """md5 of every dataset table's rows (lineage ids left out), in a fixed order."""
    out = {}
    for name in datasets.ALL:
        # the demo sends daily counts: the columns of other forms (cumulative totals, koreksi) stay empty
        other_forms = [c for c in datasets.get(name).columns if c not in datasets.get(name).template_columns]
        assert con.execute(f"SELECT count(*) FROM {name} WHERE "
                           + (" OR ".join(f"{c} IS NOT NULL" for c in other_forms) or "FALSE")).fetchone()[0] == 0
        out[name] = con.execute(
            f"SELECT md5(coalesce(string_agg(r::VARCHAR, '|' ORDER BY r::VARCHAR), '')) "
            f"FROM (SELECT * EXCLUDE (upload_id{''.join(', ' + c for c in other_forms)}) FROM {name}) r").fetchone()[0]
    return out


@pytest.fixture(scope="module")
def demo_store():
    con, counts = build()
    yield con, counts
    con.close()


def one(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()[0]


def test_row_counts_at_scale_1(demo_store):
    con, counts = demo_store
    satgas = one(con, "SELECT count(*) FROM covid19_harian WHERE sumber_opd = 'SATGAS_COVID'")
    assert one(con, "SELECT count(*) FROM covid19_harian WHERE sumber_opd = 'DINKES'") == 153 * 730
    assert satgas == 246
    n_ind = {f: sum(1 for spec in kinerja.INDICATORS.values() for s in spec if s[4] == f) for f in "MQY"}
    assert n_ind == {"M": 48, "Q": 2, "Y": 1}
    expected_kinerja = n_ind["M"] * 24 + n_ind["Q"] * 8 + n_ind["Y"] * 2
    assert counts == {"covid19_harian": 153 * 730 + satgas, "kinerja_opd": expected_kinerja, "cctv": 120,
                      "menara_bts": 250, "fasyankes": 14 * 730 + 57 * 105, "aplikasi": 31}
    assert one(con, "SELECT count(DISTINCT kode_opd) FROM kinerja_opd") == 12


def test_same_seed_and_as_of_give_identical_tables(demo_store):
    con, _ = demo_store
    again, _ = build()
    assert checksums(again) == checksums(con)
    again.close()


def test_the_default_demo_is_the_same_on_every_machine(demo_store):
    # numpy is pinned (requirements.txt) because these rows come from its random streams;
    # a generator change must bump demo.DEMO_VERSION and this recorded checksum.
    con, _ = demo_store
    assert checksums(con)["covid19_harian"] == "bcc98312ca54707111dfcdd57ff22ac1"
    assert con.execute("SELECT sum(kasus_baru), sum(meninggal_baru) FROM covid19_harian "
                       "WHERE sumber_opd = 'DINKES'").fetchone() == (61_669, 957)


def test_another_seed_changes_every_generated_table(demo_store):
    con, _ = demo_store
    other, _ = build(seed=SEED + 1)
    a, b = checksums(con), checksums(other)
    assert a["wilayah"] == b["wilayah"] and a["opd"] == b["opd"]        # real reference data
    assert all(a[name] != b[name] for name in datasets.FACTS)
    other.close()


def test_timeline_ends_at_as_of(demo_store):
    con, _ = demo_store
    for sender in ("DINKES", "SATGAS_COVID"):
        assert one(con, "SELECT max(tanggal) FROM covid19_harian WHERE sumber_opd = ?", [sender]) == AS_OF
    assert one(con, "SELECT min(tanggal) FROM covid19_harian") == AS_OF - timedelta(days=729)
    assert one(con, "SELECT max(tanggal) FROM fasyankes") == AS_OF
    assert one(con, "SELECT max(tanggal_cek) FROM aplikasi") <= AS_OF
    assert one(con, "SELECT max(terakhir_aktif) FROM cctv") < datetime(2026, 11, 28)
    assert one(con, "SELECT max(terakhir_aktif) FROM cctv WHERE status = 'online'") > datetime(2026, 11, 27, 23, 0)
    monthly = [r[0] for r in con.execute("SELECT DISTINCT periode FROM kinerja_opd WHERE periode SIMILAR TO '\\d{4}-\\d{2}' "
                                         "ORDER BY 1").fetchall()]
    assert (monthly[0], monthly[-1], len(monthly)) == ("2024-11", "2026-10", 24)
    others = [r[0] for r in con.execute("SELECT DISTINCT periode FROM kinerja_opd WHERE NOT periode SIMILAR TO '\\d{4}-\\d{2}' "
                                        "ORDER BY 1").fetchall()]
    assert others == ["2024", "2024-Q4", "2025", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1",
                      "2026-Q2", "2026-Q3"]


def test_last_complete_month_rule():
    assert kinerja.last_complete_month(date(2026, 11, 28)) == date(2026, 10, 1)
    assert kinerja.last_complete_month(date(2026, 11, 30)) == date(2026, 11, 1)
    assert kinerja.last_complete_month(date(2026, 1, 5)) == date(2025, 12, 1)


def test_city_total_follows_the_real_sulsel_shape(demo_store):
    con, _ = demo_store
    city = np.array([r[0] for r in con.execute(
        "SELECT sum(kasus_baru) FROM covid19_harian WHERE sumber_opd = 'DINKES' GROUP BY tanggal "
        "ORDER BY tanggal").fetchall()], dtype=float)
    expected = covid.city_shape()["level"]
    weekly = lambda a: a[: len(a) // 7 * 7].reshape(-1, 7).sum(axis=1)  # noqa: E731
    assert np.corrcoef(weekly(city), weekly(expected))[0, 1] > 0.98
    assert abs(city.sum() / expected.sum() - 1) < 0.05
    # The source's last day (2021-08-01, Delta rising) is the demo's last: about half of Sulsel's 796/day.
    assert 300 < city[-7:].mean() < 700


def test_counts_are_consistent(demo_store):
    con, _ = demo_store
    assert one(con, "SELECT count(*) FROM covid19_harian WHERE spesimen_positif > spesimen_diperiksa "
                    "OR least(kasus_baru, sembuh_baru, meninggal_baru, rawat_inap_baru, dirawat, "
                    "isolasi_mandiri, spesimen_diperiksa, spesimen_positif) < 0") == 0
    # Outcomes follow cases, so no kelurahan ever has negative active cases.
    assert one(con, """
        SELECT min(active) FROM (
            SELECT sum(kasus_baru - sembuh_baru - meninggal_baru) OVER (PARTITION BY kode_wilayah ORDER BY tanggal)
                   AS active
            FROM covid19_harian WHERE sumber_opd = 'DINKES')""") >= 0
    assert one(con, "SELECT count(*) FROM fasyankes WHERE tt_terisi > tt_total "
                    "OR tt_isolasi_terisi > tt_isolasi") == 0


def test_satgas_mostly_agrees_with_dinkes_but_not_always(demo_store):
    con, _ = demo_store
    rows = con.execute("""
        WITH dinkes AS (
            SELECT c.tanggal, w.kode_induk AS kode_wilayah, sum(c.kasus_baru) AS kasus, sum(c.meninggal_baru) AS mati,
                   sum(c.sembuh_baru) AS sembuh
            FROM covid19_harian c JOIN wilayah w USING (kode_wilayah)
            WHERE c.sumber_opd = 'DINKES' GROUP BY ALL)
        SELECT s.tanggal, s.kasus_baru <> d.kasus OR s.meninggal_baru <> d.mati OR s.sembuh_baru <> d.sembuh
        FROM covid19_harian s JOIN dinkes d USING (tanggal, kode_wilayah)
        WHERE s.sumber_opd = 'SATGAS_COVID'""").fetchall()
    assert len(rows) == one(con, "SELECT count(*) FROM covid19_harian WHERE sumber_opd = 'SATGAS_COVID'")
    disagreements = [d for d, differs in rows if differs]
    assert len(disagreements) == 6
    assert max(disagreements) >= AS_OF - timedelta(days=2)
    assert one(con, "SELECT count(DISTINCT kode_wilayah) FROM covid19_harian WHERE sumber_opd = 'SATGAS_COVID'") == 5
    assert one(con, "SELECT count(*) FROM covid19_harian c JOIN wilayah w USING (kode_wilayah) "
                    "WHERE c.sumber_opd = 'SATGAS_COVID' AND w.tingkat <> 'kecamatan'") == 0


def test_places_lie_inside_their_kelurahan(demo_store):
    con, _ = demo_store
    polygons = {k: shape(json.loads(g)) for k, g in con.execute(
        "SELECT kode_wilayah, geojson FROM batas_wilayah WHERE tingkat = 'kelurahan'").fetchall()}
    for table in ("cctv", "menara_bts", "fasyankes"):
        points = con.execute(f"SELECT DISTINCT kode_wilayah, longitude, latitude FROM {table}").fetchall()
        assert points and all(shapely.contains_xy(polygons[k], x, y) for k, x, y in points), table


def test_the_four_real_referral_hospitals(demo_store):
    con, _ = demo_store
    rows = con.execute("SELECT DISTINCT nama, latitude, longitude, kode_wilayah FROM fasyankes "
                       "WHERE kode_faskes IN ('RS-01', 'RS-02', 'RS-03', 'RS-04') ORDER BY nama").fetchall()
    assert rows == [
        ("RS DR. TADJUDDIN CHALID, MPH", -5.1112459, 119.5144349, "73.71.11.1002"),
        ("RS TK.II PELAMONIA", -5.1381122, 119.4127449, "73.71.04.1005"),
        ("RS UMUM DAERAH LABUANG BAJI", -5.1625757, 119.4160676, "73.71.02.1007"),
        ("RSUP DR. WAHIDIN SUDIROHUSODO", -5.1348968, 119.4917125, "73.71.14.1003"),
    ]
    assert one(con, "SELECT count(DISTINCT tanggal) FROM fasyankes WHERE kode_faskes = 'RS-01'") == 730


def test_statuses_and_bands_are_spread(demo_store):
    con, _ = demo_store
    cctv = dict(con.execute("SELECT status, count(*) FROM cctv GROUP BY 1").fetchall())
    assert set(cctv) == {"online", "offline", "rusak", "pemeliharaan"} and cctv["online"] > 80
    assert 8 <= one(con, "SELECT count(*) FROM cctv WHERE url_stream LIKE 'rtsp://%'") <= 20
    assert one(con, "SELECT count(*) FROM cctv WHERE url_stream = "
                    "'http://127.0.0.1:8501/api/camsim/' || kode_cctv || '.jpg'") >= 100
    permits = dict(con.execute("SELECT status_izin, count(*) FROM menara_bts GROUP BY 1").fetchall())
    assert set(permits) == {"berlaku", "kedaluwarsa", "proses", "tanpa_izin"}
    assert one(con, "SELECT count(*) FROM menara_bts WHERE status_izin = 'berlaku' "
                    "AND izin_berakhir < DATE '2026-11-28' + 90") >= 5
    assert one(con, "SELECT count(*) FROM menara_bts WHERE operator LIKE '%;%'") >= 50
    apps = dict(con.execute("SELECT status, count(*) FROM aplikasi GROUP BY 1").fetchall())
    assert apps == {"aktif": 26, "nonaktif": 2, "pengembangan": 3}
    assert one(con, "SELECT count(*) FROM aplikasi WHERE ketersediaan_persen < 95") >= 2
    bands = dict(con.execute("""
        SELECT CASE WHEN c >= 110 THEN 'sangat_baik' WHEN c >= 100 THEN 'baik' WHEN c >= 80 THEN 'cukup'
                    WHEN c >= 60 THEN 'kurang' ELSE 'sangat_kurang' END, count(*)
        FROM (SELECT CASE arah WHEN 'naik' THEN realisasi / target * 100 ELSE (2 - realisasi / target) * 100 END AS c
              FROM kinerja_opd WHERE realisasi IS NOT NULL) GROUP BY 1""").fetchall())
    assert set(bands) == {"sangat_baik", "baik", "cukup", "kurang", "sangat_kurang"}
    assert min(bands.values()) >= 50
    late = con.execute("SELECT kode_opd FROM kinerja_opd WHERE periode = '2026-10' GROUP BY 1 "
                       "HAVING count(realisasi) = 0 ORDER BY 1").fetchall()
    assert len(late) == 3


def test_every_demo_row_is_a_labelled_demo_upload_by_its_producer(demo_store):
    con, _ = demo_store
    uploads = con.execute("SELECT dataset, kode_opd, username, is_demo, status FROM uploads "
                          "WHERE username = 'demo' ORDER BY upload_id").fetchall()
    assert {(d, k) for d, k, *_ in uploads} >= {("covid19_harian", "DINKES"), ("covid19_harian", "SATGAS_COVID"),
                                                  ("cctv", "DISHUB"), ("menara_bts", "DISKOMINFO"),
                                                  ("fasyankes", "DINKES"), ("aplikasi", "DISKOMINFO"),
                                                  ("kinerja_opd", "BAPENDA")}
    assert all(is_demo and status == "accepted" for *_, is_demo, status in uploads)
    for name in datasets.FACTS:
        assert one(con, f"SELECT count(*) FROM {name} t JOIN uploads u USING (upload_id) "
                        "WHERE NOT u.is_demo OR u.kode_opd <> t.sumber_opd OR u.dataset <> ?", [name]) == 0
    assert one(con, "SELECT count(*) FROM kinerja_opd WHERE kode_opd <> sumber_opd") == 0
    meta = dict(con.execute("SELECT key, value FROM meta WHERE key LIKE 'demo%'").fetchall())
    assert (meta["demo"], meta["demo_as_of"], meta["demo_seed"], meta["demo_scale"]) == ("true", "2026-11-28",
                                                                                         "7371", "1")
    assert demo.real_upload_count(con) == 0


def test_loading_the_same_demo_again_writes_nothing(demo_store):
    con, counts = demo_store
    before = (checksums(con), db.data_version(con), one(con, "SELECT count(*) FROM uploads"))
    assert demo.load_demo(con, as_of=AS_OF, scale=1, seed=SEED) == counts
    assert (checksums(con), db.data_version(con), one(con, "SELECT count(*) FROM uploads")) == before


def test_another_as_of_replaces_the_previous_demo():
    con, counts = build()
    later = AS_OF + timedelta(days=3)
    assert demo.load_demo(con, as_of=later, scale=1, seed=SEED).keys() == counts.keys()
    assert one(con, "SELECT max(tanggal) FROM covid19_harian") == later
    assert one(con, "SELECT count(*) FROM covid19_harian WHERE sumber_opd = 'DINKES'") == 153 * 730
    assert one(con, "SELECT count(*) FROM uploads WHERE is_demo AND status = 'rolled_back'") == \
        one(con, "SELECT count(*) FROM uploads WHERE is_demo AND status = 'accepted'")
    con.close()


def test_scale_adds_marked_synthetic_areas():
    con, counts = build(scale=2)
    synthetic = dict(con.execute("SELECT tingkat, count(*) FROM wilayah WHERE sumber_penduduk LIKE 'sintetis%' "
                                 "GROUP BY 1").fetchall())
    assert synthetic == {"kecamatan": 10, "kelurahan": 153}
    assert counts["wilayah"] == 163
    assert one(con, "SELECT count(*) FROM covid19_harian WHERE sumber_opd = 'DINKES'") == 2 * 153 * 730
    assert one(con, "SELECT count(*) FROM covid19_harian c JOIN wilayah w USING (kode_wilayah) "
                    "WHERE w.kode_wilayah LIKE '73.71.9_.____' AND w.kode_induk LIKE '73.71.9_'") == 153 * 730
    assert one(con, "SELECT count(*) FROM wilayah WHERE tingkat = 'kecamatan' AND kode_induk = '73.71'") == 25
    # The official 169 codes and their population are untouched.
    assert one(con, "SELECT sum(penduduk) FROM wilayah WHERE tingkat = 'kecamatan' "
                    "AND sumber_penduduk NOT LIKE 'sintetis%'") == 1_482_354
    con.close()


def _init(path, *extra) -> int:
    return main(["init", "--demo", "--db", str(path), "--as-of", "2026-11-28", *extra])


def test_init_demo_is_refused_on_real_uploads_unless_forced(tmp_path, capsys):
    path = tmp_path / "real.duckdb"
    con = db.open_store(path, create=True)
    reference.load_reference(con)
    with db.write_transaction(con):
        upload = lineage.new_upload(con, dataset="covid19_harian", kode_opd="DINKES", username="budi",
                                    file_name="covid.csv", sha256="0" * 64, status="accepted", rows_total=1,
                                    rows_inserted=1)
        con.execute("INSERT INTO covid19_harian (tanggal, kode_wilayah, kasus_baru, sembuh_baru, meninggal_baru, "
                    "sumber_opd, upload_id) VALUES (DATE '2026-11-28', '73.71.01.1001', 42, 1, 0, 'DINKES', ?)",
                    [upload])
    con.close()

    assert _init(path) == 1
    assert "1 real uploads" in capsys.readouterr().err
    con = db.connect(path)
    assert one(con, "SELECT count(*) FROM covid19_harian") == 1 and db.get_meta(con, "demo") is None
    con.close()

    assert _init(path, "--force") == 0
    con = db.connect(path)
    # The real row was replaced like any upload would, and is kept for a rollback.
    assert one(con, "SELECT count(*) FROM covid19_harian__replaced WHERE kasus_baru = 42 AND upload_id = ?",
               [upload]) == 1
    assert one(con, "SELECT count(*) FROM covid19_harian WHERE upload_id = ?", [upload]) == 0
    con.close()

    assert _init(path, "--force", "--seed", "1") == 0     # another demo: the real row comes back first
    con = db.connect(path)
    assert one(con, "SELECT count(*) FROM covid19_harian WHERE upload_id = ?", [upload]) == 0
    assert one(con, "SELECT count(*) FROM covid19_harian__replaced WHERE upload_id = ?", [upload]) == 1
    con.close()
