"""Data standard v2, kinerja_opd: a row whose kode_opd is not its sender is refused (nothing
changes) unless the sender is a walidata of the dataset (x-walidata in the schema, plus the
city's walidata). Issue 15, item 2."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from warroom import ingest

ROOT = Path(__file__).resolve().parent.parent
HEAD = "kode_opd,kode_indikator,nama_indikator,satuan,arah,periode,target,realisasi\n"
DISHUB_ROW = "DISHUB,IKU-DISHUB-77,Simpang ber-ATCS,simpang,naik,2026-10,100,90\n"


def kinerja_rows(con) -> list[tuple]:
    return con.execute("SELECT kode_opd, kode_indikator, sumber_opd FROM kinerja_opd ORDER BY ALL").fetchall()


def test_an_opd_cannot_send_another_opds_indicator(store):
    body = (HEAD + "DINKES,IKU-DINKES-1,Cakupan imunisasi,%,naik,2026-10,100,95\n" + DISHUB_ROW).encode()
    result = ingest.ingest_file(store, "kinerja_opd", body, kode_opd="DINKES", username="budi")
    assert not result.accepted
    assert [(p.row, p.column, p.value, p.code) for p in result.problems] == [
        (3, "kode_opd", "DISHUB", "owner.not_sender")]
    assert result.problems[0].reason == (
        "Baris ini milik OPD DISHUB, bukan OPD pengirim: hanya OPD pemilik indikator atau walidata "
        "yang boleh mengirimnya.")
    assert result.problems[0].suggestion == \
        "Isi kode_opd dengan DINKES, atau minta DISHUB (atau walidata) mengirim baris ini."
    assert kinerja_rows(store) == []   # nothing changed, not even the sender's own row


def test_walidata_of_the_dataset_may_send_for_an_owner(store):
    """BAPPEDA (x-walidata of kinerja_opd) and DISKOMINFO (the city's walidata) may."""
    for sender in ("BAPPEDA", "DISKOMINFO"):
        result = ingest.ingest_file(store, "kinerja_opd", (HEAD + DISHUB_ROW).encode(), kode_opd=sender,
                                    username="wali")
        assert result.accepted, result.problems
    assert kinerja_rows(store) == [("DISHUB", "IKU-DISHUB-77", "BAPPEDA"), ("DISHUB", "IKU-DISHUB-77", "DISKOMINFO")]


def test_walidata_cannot_forward_one_opds_row_as_anothers(store):
    """A walidata's file may name each row's sender (sumber_opd); that sender is then held to the rule."""
    head = HEAD.rstrip("\n") + ",sumber_opd\n"
    body = (head + "DISHUB,IKU-DISHUB-77,Simpang ber-ATCS,simpang,naik,2026-10,100,90,DINKES\n"
            "DISHUB,IKU-DISHUB-78,Titik macet,titik,turun,2026-10,10,9,DISHUB\n").encode()
    result = ingest.ingest_file(store, "kinerja_opd", body, kode_opd="DISKOMINFO", username="wali")
    assert [(p.row, p.column, p.value, p.code) for p in result.problems] == [
        (2, "kode_opd", "DISHUB", "owner.not_sender")]
    fixed = body.replace(b",DINKES\n", b",BAPPEDA\n")
    assert ingest.ingest_file(store, "kinerja_opd", fixed, kode_opd="DISKOMINFO", username="wali").accepted
    assert kinerja_rows(store) == [("DISHUB", "IKU-DISHUB-77", "BAPPEDA"), ("DISHUB", "IKU-DISHUB-78", "DISHUB")]


def test_cli_refuses_with_exit_1_and_changes_nothing(store_file, tmp_path):
    path = tmp_path / "kinerja.csv"
    path.write_text(HEAD + DISHUB_ROW, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "warroom", "ingest", "kinerja_opd", str(path), "--opd", "DINKES"],
                          cwd=ROOT, capture_output=True, text=True, env=dict(os.environ), timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "  2 | kode_opd | DISHUB | Baris ini milik OPD DISHUB, bukan OPD pengirim" in proc.stdout
    con = duckdb.connect(str(store_file), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM kinerja_opd").fetchone()[0] == 0
        assert con.execute("SELECT status FROM uploads WHERE dataset = 'kinerja_opd'").fetchall() == [("refused",)]
    finally:
        con.close()
