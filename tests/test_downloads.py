"""Every download button of every page, and `python -m warroom export`, go through the one
writer (warroom.export_csv): standard CSV and Excel-Indonesia with the same values, counts
whole, measures to 2 decimals, decimal comma on every number, formula cells neutralised."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from warroom import auth, db, export_csv
from warroom.ui.shell import LAYOUT

PASSWORD = "Rahasia-Unduhan-2026"
NOW = "2026-11-28T10:00:00+08:00"
CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")     # 73.71 is a region code, not a number
DOT_NUMBER = re.compile(r"^-?\d+\.\d+$")
COMMA_NUMBER = re.compile(r"^-?\d+,(\d+)$")
TRAILING_ZERO = re.compile(r"^-?\d+,\d*0$")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo database (every page has data), with an admin who may open every page."""
    path = tmp_path_factory.mktemp("dl") / "warroom.duckdb"
    env = {**__import__("os").environ, "WARROOM_NOW": NOW}
    subprocess.run([sys.executable, "-m", "warroom", "init", "--demo", "--db", str(path)], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=600)
    con = db.connect(path)
    auth.add_user(con, "ani_dl", PASSWORD, "admin")
    con.close()
    return path


@pytest.fixture
def demo(demo_file, tmp_path, monkeypatch):
    path = tmp_path / "warroom.duckdb"
    shutil.copy(demo_file, path)
    monkeypatch.setenv("WARROOM_DB", str(path))
    return path   # tests/conftest.py clears Streamlit's caches after each test


@pytest.fixture
def recorded(monkeypatch):
    """Every download button a page draws: (key, label, file name, bytes)."""
    seen = []
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, *args, **kwargs):
        seen.append((kwargs.get("key"), label, file_name, data))
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: record(st._main, *a, **k))
    return seen


def _run(page: str, **state) -> AppTest:
    at = AppTest.from_file(f"../pages/{page}.py", default_timeout=180)
    at.session_state["auth_token"] = auth.start_session("ani_dl")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _bytes(data) -> bytes:
    data = data() if callable(data) else data
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def check_pair(standard: bytes, excel_id: bytes, where: str) -> int:
    """The two forms of one table: same values, each in its form. Returns the cells compared."""
    assert not standard.startswith(b"\xef\xbb\xbf") and b"\r\n" not in standard.replace(b'\r\n"', b""), where
    assert excel_id.startswith(b"\xef\xbb\xbf"), where
    assert excel_id.count(b"\n") == excel_id.count(b"\r\n"), where
    std = list(csv.reader(io.StringIO(standard.decode("utf-8"), newline="")))
    xid = list(csv.reader(io.StringIO(excel_id.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(std) == len(xid) and [len(r) for r in std] == [len(r) for r in xid], where
    header = std[0]
    n = 0
    for srow, xrow in zip(std[1:], xid[1:]):
        for name, s, x in zip(header, srow, xrow):
            n += 1
            if CODE.match(s) and "kode" in name.lower():
                assert x == s, (where, name, s, x)
                continue
            assert not DOT_NUMBER.match(x), (where, name, x)          # no decimal point in any number
            assert not TRAILING_ZERO.match(x), (where, name, x)       # no `,0` (counts whole, no padding)
            m = COMMA_NUMBER.match(x)
            if m:
                assert s == x.replace(",", "."), (where, name, s, x)
                places = len(m.group(1))
                assert places <= (6 if name in ("latitude", "longitude") else 2), (where, name, x)
            elif DOT_NUMBER.match(s):
                raise AssertionError((where, name, s, x))
            else:
                assert x == s, (where, name, s, x)
    return n


PAGES = [key for _, key, _ in LAYOUT if key not in ("masuk",)]


@pytest.mark.parametrize("page", PAGES)
def test_every_download_button_writes_both_forms_through_the_one_writer(demo, recorded, page):
    _run(page)
    csv_pairs = {}
    for key, label, name, data in recorded:
        if key and key.endswith("_csv_id"):
            csv_pairs.setdefault(key[: -len("_csv_id")], {})["id"] = (label, name, _bytes(data))
        elif key and key.endswith("_csv"):
            csv_pairs.setdefault(key[: -len("_csv")], {})["std"] = (label, name, _bytes(data))
    for base, pair in csv_pairs.items():
        assert set(pair) == {"std", "id"}, (page, base)
        assert pair["id"][1].endswith("_excel-id.csv"), pair["id"][1]
        check_pair(pair["std"][2], pair["id"][2], f"{page}:{base}")
    expected = {"ringkasan": 1, "covid": 5, "kinerja": 4, "katalog": 3}
    if page in expected:
        assert len(csv_pairs) >= expected[page], (page, sorted(csv_pairs))


EXPORTS = ["kinerja_capaian", "covid19_ppkm", "fasyankes", "covid19_harian"]


@pytest.mark.parametrize("name", EXPORTS)
def test_export_command_writes_the_bytes_of_the_katalog_button(demo_file, demo, recorded, name, tmp_path):
    at = _run("katalog")
    recorded.clear()
    at.selectbox(key="katalog_export").select(name).run()
    assert not at.exception
    buttons = {key: _bytes(data) for key, _, _, data in recorded if key and key.startswith(f"katalog_export_{name}")}
    page_std, page_id = buttons[f"katalog_export_{name}_csv"], buttons[f"katalog_export_{name}_csv_id"]
    # The same data in the file the page has not opened (the page's process holds `demo`).
    env = {**__import__("os").environ, "WARROOM_NOW": NOW}
    for form, page_bytes in (("csv", page_std), ("excel-id", page_id)):
        out = tmp_path / f"{name}.{form}.csv"
        subprocess.run([sys.executable, "-m", "warroom", "export", name, "--format", form, "--db", str(demo_file),
                        "--out", str(out)], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
        assert out.read_bytes() == page_bytes, (name, form)
    default = subprocess.run([sys.executable, "-m", "warroom", "export", name, "--db", str(demo_file)], cwd=ROOT,
                             env=env, check=True, capture_output=True, timeout=300).stdout
    assert default == page_std
    assert check_pair(page_std, page_id, name) > 100
    text = page_id.decode("utf-8-sig")
    body = [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") for c in row]
    assert not [c for c in body if DOT_NUMBER.match(c) and not CODE.match(c)]
    assert not [c for c in body if re.match(r"^-?\d+,0+$", c)]


# --- the writer itself ----------------------------------------------------------------------------


def test_counts_whole_measures_half_away_coordinates_six_in_both_forms():
    df = pd.DataFrame({"kasus_baru": [2.0, None, 7.0],                 # count (schema int) held as float
                       "positivity_7hari_persen": [6.775, 0.125, -2.675],  # measure, half away from zero
                       "latitude": [-5.1234567, -5.1, None],
                       "keterangan": ["=SUM(A1)", "-2+3+cmd|' /C calc'!A0", "biasa"],
                       "nilai_campur": ["<5", 3.14159, 12]})                # undeclared object column
    std = export_csv.standard(df).decode()
    assert std.splitlines() == [
        "kasus_baru,positivity_7hari_persen,latitude,keterangan,nilai_campur",
        "2,6.78,-5.123457,'=SUM(A1),<5",
        ",0.13,-5.1,'-2+3+cmd|' /C calc'!A0,3.14",
        "7,-2.68,,biasa,12"]
    xid = export_csv.excel_indonesia(df)
    assert xid.startswith(b"\xef\xbb\xbf") and xid.count(b"\r\n") == 4
    assert xid.decode("utf-8-sig").split("\r\n")[1:4] == [
        "2;6,78;-5,123457;'=SUM(A1);<5",
        ";0,13;-5,1;'-2+3+cmd|' /C calc'!A0;3,14",
        "7;-2,68;;biasa;12"]


def test_negative_numbers_stay_numbers_and_text_round_trips_through_the_gate():
    assert export_csv.cell(-5.16, export_csv.MEASURE) == "-5.16"
    assert export_csv.cell(-3, export_csv.COUNT, export_csv.EXCEL_ID) == "-3"
    for text in ("+SUM(1+1)", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0", "\t=1", "'+x", "'biasa", "biasa", "=1"):
        written = export_csv.cell(text, export_csv.TEXT)
        assert written[:1] not in export_csv.FORMULA_START
        assert export_csv.strip_neutraliser(written) == text


def test_half_away_from_zero_is_not_bankers_rounding():
    assert export_csv.number_text(0.125, export_csv.MEASURE) == "0.13"
    assert export_csv.number_text(2.5, export_csv.COUNT) == "3"
    assert export_csv.number_text(Decimal("500.00"), export_csv.MEASURE) == "500"
    assert export_csv.number_text(-0.001, export_csv.MEASURE) == "0"


def test_formula_text_is_stored_as_sent_exported_neutralised_and_round_trips(store):
    """Issue 15 item 8: `+`, `@`, `-`, tab formulas are stored raw, exported with a leading `'`,
    and the export sent back stores the same text (the gate strips that one `'`)."""
    from warroom import exports
    from warroom.ingest import ingest_file
    names = ["+SUM(1+1)", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0", "'biasa", "Aplikasi biasa"]
    rows = "".join(f'A{i},"{n}",DISKOMINFO,aktif,-0\n' for i, n in enumerate(names))
    sent = ("kode_aplikasi,nama_aplikasi,kode_opd,status,ketersediaan_persen\n" + rows).encode()
    first = ingest_file(store, "aplikasi", sent, kode_opd="DISKOMINFO", username="t")
    assert first.accepted, first.render_text()
    stored = lambda: [r[0] for r in store.execute(  # noqa: E731
        "SELECT nama_aplikasi FROM aplikasi ORDER BY kode_aplikasi").fetchall()]
    assert stored() == names
    for form in ("csv", "excel-id"):
        blob = exports.to_bytes(store, "aplikasi", form)
        sep = ";" if form == "excel-id" else ","
        cells = [r[1] for r in csv.reader(io.StringIO(blob.decode("utf-8-sig"), newline=""), delimiter=sep)][1:]
        assert cells == ["'+SUM(1+1)", "'@SUM(1+1)", "'-2+3+cmd|' /C calc'!A0", "'biasa", "Aplikasi biasa"]
        again = ingest_file(store, "aplikasi", blob, kode_opd="DISKOMINFO", username="t")
        assert again.accepted and again.rows_unchanged == len(names), again.render_text()
        assert stored() == names
    # A `'` typed before a formula is what Excel does to keep it text: it is not stored either.
    typed = ingest_file(store, "aplikasi", b"kode_aplikasi,nama_aplikasi,kode_opd,status\nY,'+kutip,DISKOMINFO,aktif\n",
                        kode_opd="DISKOMINFO", username="t")
    assert typed.accepted
    assert store.execute("SELECT nama_aplikasi FROM aplikasi WHERE kode_aplikasi = 'Y'").fetchone()[0] == "+kutip"
    # The gate's own rule is kept: a leading `=` is refused, with or without the export's `'`.
    for value in ("=1+1", "'=1+1"):
        refused = ingest_file(store, "aplikasi", (
            "kode_aplikasi,nama_aplikasi,kode_opd,status\nZ,\"" + value + "\",DISKOMINFO,aktif\n").encode(),
            kode_opd="DISKOMINFO", username="t")
        assert not refused.accepted and [p.code for p in refused.problems] == ["text.formula"]
