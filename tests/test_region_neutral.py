"""Another region from one city.toml (tests/fixtures/region_jakpus): its codes, boundaries and a
population file with a real year are loaded, a mismatched total is reported at `init`, its
published cumulative workbook goes in with a mapping, and no page names the default city."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from warroom import auth, config, db, reference
from warroom.ingest import ingest_file
from warroom.ui.shell import LAYOUT

ROOT = Path(__file__).resolve().parent.parent
REGION = ROOT / "tests" / "fixtures" / "region_jakpus"
DEFAULT_CITY_WORDS = ("Makassar", "73.71", "WITA", "Sulawesi Selatan")


@pytest.fixture
def region(monkeypatch):
    monkeypatch.setenv("WARROOM_CITY", str(REGION / "city.toml"))
    config.city.cache_clear()
    yield config.city()
    monkeypatch.delenv("WARROOM_CITY")
    config.city.cache_clear()


@pytest.fixture
def region_store(region, tmp_path, monkeypatch):
    path = tmp_path / "jakpus.duckdb"
    con = db.open_store(path, create=True)
    reference.load_reference(con)
    con.close()
    monkeypatch.setenv("WARROOM_DB", str(path))
    return path


def test_reference_of_another_region_with_a_dated_population_file(region):
    assert (region.nama, region.zona, str(region.reference["opd"])) == (
        "Kota Jakarta Pusat", "WIB", str(REGION / "opd.csv"))
    rows = {r["kode_wilayah"]: r for r in reference.wilayah_rows()}
    assert sorted(rows) == ["31", "31.71", "31.71.01", "31.71.01.1001", "31.71.01.1002", "31.71.02",
                            "31.71.02.1001", "31.71.02.1002"]
    assert [(rows[k]["penduduk"], rows[k]["tahun_penduduk"], rows[k]["sumber_penduduk"])
            for k in ("31.71", "31.71.01", "31.71.02")] == [
        (180000, 2020, "angka uji (bukan data resmi)"), (77000, 2020, "angka uji (bukan data resmi)"),
        (100000, 2020, "angka uji (bukan data resmi)")]
    # kelurahan split their kecamatan by area (equal halves here)
    assert rows["31.71.01.1001"]["penduduk"] + rows["31.71.01.1002"]["penduduk"] == 77000
    assert reference.population_warnings() == [
        "warning: population of Kota Jakarta Pusat 180,000 (angka uji (bukan data resmi)) differs from the sum "
        "of its 2 kecamatan 177,000 (penduduk_kecamatan.csv); both are kept as their sources give them"]


def test_default_city_has_no_population_warning():
    config.city.cache_clear()
    assert reference.population_warnings() == []


def test_init_reports_the_mismatched_total(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "WARROOM_DB"}
    env["WARROOM_CITY"] = str(REGION / "city.toml")
    out = subprocess.run([sys.executable, "-m", "warroom", "init", "--db", str(tmp_path / "x.duckdb")], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "differs from the sum of its 2 kecamatan 177,000" in out.stderr


def jakarta_workbook(rows) -> bytes:
    """The layout of the per-kelurahan workbooks DKI Jakarta published (ID_KEL twice, two
    Meninggal columns, pseudo-areas, a TOTAL row of formulas)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "data"
    ws.append(["ID_KEL", "Nama_provinsi", "nama_kota", "nama_kecamatan", "nama_kelurahan", "POSITIF", "Dirawat",
               "Sembuh", "Meninggal", "Self Isolation", "Meninggal", "ID_KEL"])
    for kode, pos, rawat, sembuh, mati, iso in rows:
        ws.append([kode, "DKI JAKARTA", "JAKARTA PUSAT", "", "", pos, rawat, sembuh, mati, iso, 0, kode])
    for pseudo in ("LUAR DKI JAKARTA", "BELUM DIKETAHUI", "PROSES UPDATE DATA"):
        ws.append([pseudo, "DKI JAKARTA", "", "", pseudo, 9, 1, 2, 3, 3, 0, ""])
    ws.append(["3172011001", "DKI JAKARTA", "JAKARTA UTARA", "PENJARINGAN", "PENJARINGAN", 50, 5, 40, 2, 3, 0, ""])
    last = ws.max_row
    ws.append(["", "", "", "", "TOTAL"] + [f"=SUM({c}2:{c}{last})" for c in "FGHIJK"] + [""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


JAKARTA_MAPPING = {
    "sheet": "data",
    "columns": {"#1": "kode_wilayah", "POSITIF": "kasus_kumulatif", "Sembuh": "sembuh_kumulatif",
                "#9": "meninggal_kumulatif", "Dirawat": "dirawat", "Self Isolation": "isolasi_mandiri"},
    "skip_rows_where": {"nama_kelurahan": ["TOTAL"],
                        "ID_KEL": ["LUAR DKI JAKARTA", "BELUM DIKETAHUI", "PROSES UPDATE DATA"]},
    "outside_region": "skip",
}


def test_region_ingests_its_cumulative_workbooks_and_no_page_names_the_default_city(region_store):
    con = db.connect(region_store)
    try:
        months = {"2020-06-30": [("3171011001", 10, 2, 5, 2, 1), ("3171021002", 4, 0, 3, 0, 1)],
                  "2020-07-31": [("3171011001", 12, 1, 9, 1, 1), ("3171011002", 3, 1, 1, 0, 1),
                                 ("3171021002", 8, 1, 6, 1, 1)]}
        for tanggal, rows in months.items():
            # `ID_KEL` twice in the file: skip_rows_where reads both (the second is empty on pseudo-areas)
            mapping = dict(JAKARTA_MAPPING, constants={"tanggal": tanggal})
            r = ingest_file(con, "covid19_harian", jakarta_workbook(rows), kode_opd="DINKES", username="t",
                            file_name=f"Standar_Kelurahan_Data_Corona_{tanggal}.xlsx", mapping=mapping)
            assert r.accepted, r.render_text()
            assert "1 baris dilewati: kode wilayah di luar Kota Jakarta Pusat (31.72)" in r.notes
        sums = con.execute("SELECT kode_wilayah, sum(kasus_baru), sum(sembuh_baru), sum(meninggal_baru), "
                           "count(*) FILTER (WHERE koreksi) FROM covid19_harian GROUP BY 1 ORDER BY 1").fetchall()
        assert sums == [("31.71.01.1001", 12, 9, 1, 1), ("31.71.01.1002", 3, 1, 0, 0), ("31.71.02.1002", 8, 6, 1, 0)]
        # a mapped header that occurs twice is refused, naming both positions
        by_name = dict(JAKARTA_MAPPING["columns"], ID_KEL="kode_wilayah")
        del by_name["#1"]
        r = ingest_file(con, "covid19_harian", jakarta_workbook(months["2020-06-30"]), kode_opd="DINKES",
                        username="t", mapping=dict(JAKARTA_MAPPING, columns=by_name, constants={"tanggal": "2020-06-30"}))
        assert [(p.code, p.reason) for p in r.problems] == [
            ("header.ambiguous", 'Judul kolom "ID_KEL" muncul lebih dari sekali (#1, #12): '
                                 'pemetaan tidak tahu yang mana.')]
        auth.add_user(con, "walidata", "rahasia-sekali-123", "admin")
    finally:
        con.close()
    token = auth.start_session("walidata")
    seen = {}
    for _, page, _ in LAYOUT:
        at = AppTest.from_file(f"../pages/{page}.py", default_timeout=60)
        at.session_state["auth_token"] = token
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        text = "\n".join(_texts(at._tree))
        seen[page] = [w for w in DEFAULT_CITY_WORDS if w in text]
        if page == "covid":
            assert "Kota Jakarta Pusat" in text
    assert seen == {page: [] for _, page, _ in LAYOUT}
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    assert any("War Room Kota Jakarta Pusat" in m.value for m in at.sidebar.markdown)


def _texts(node) -> list[str]:
    out = []
    proto = getattr(node, "proto", None)
    if proto is not None:
        out.append(str(proto))
    children = getattr(node, "children", None) or {}
    for child in (children.values() if isinstance(children, dict) else children):
        out += _texts(child)
    return out
